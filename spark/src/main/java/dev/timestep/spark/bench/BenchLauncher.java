package dev.timestep.spark.bench;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The main class of {@code timestep-spark-bench.jar}: runs {@link SparkBench} in a class loader
 * over this jar and the Spark jars of the {@code lib/} folder beside it (Spark is provided, not in
 * the jar; a manifest Class-Path of some 200 jars would be built by hand).
 */
public final class BenchLauncher {
  private BenchLauncher() {}

  public static void main(String[] args) throws Exception {
    File jar =
        new File(BenchLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    File lib = new File(jar.getParentFile(), "lib");
    File[] jars = lib.listFiles((d, name) -> name.endsWith(".jar"));
    if (jars == null || jars.length == 0) {
      System.err.println(
          "timestep-spark-bench: no Spark jars in "
              + lib
              + "; build with 'mvn package', which copies them there");
      System.exit(2);
    }
    Arrays.sort(jars);
    List<URL> urls = new ArrayList<>();
    urls.add(jar.toURI().toURL());
    for (File f : jars) {
      urls.add(f.toURI().toURL());
    }
    ClassLoader loader =
        new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    try {
      loader
          .loadClass("dev.timestep.spark.bench.SparkBench")
          .getMethod("main", String[].class)
          .invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }
}
