package dev.timestep.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Files that are not regular files, for tests of outputs that must never replace them. */
public final class SpecialFiles {
  private SpecialFiles() {}

  /** A named pipe at {@code path} (with mkfifo, which every Linux and macOS has). */
  public static Path fifo(Path path) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("mkfifo " + path + " failed");
    }
    return path;
  }

  /** A Unix domain socket file at {@code path}; its channel is closed, the file stays. */
  public static Path socket(Path path) throws IOException {
    try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.bind(UnixDomainSocketAddress.of(path));
    }
    return path;
  }

  /** Still there, and still not a regular file (nothing was renamed over it). */
  public static boolean untouched(Path special) {
    return Files.exists(special, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(special, LinkOption.NOFOLLOW_LINKS)
        && !Files.isDirectory(special, LinkOption.NOFOLLOW_LINKS);
  }
}
