package dev.timestep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Every library dependency that {@code java/pom.xml} declares must be used: some main source names
 * a package of its jar. Test dependencies are the tests' business, and a runtime-scoped one is
 * found by name at run time (a service), so neither is checked. A jar without classes (a platform's
 * native libraries) counts as used when the same artifact without classifier is declared and used.
 * A dependency nobody uses still lands in every user's classpath and in timestep.jar.
 */
class DeclaredDependenciesTest {
  private static final Path POM = Path.of("pom.xml");
  private static final List<Path> SOURCE_ROOTS =
      List.of(Path.of("src", "main", "java"), Path.of("target", "generated-sources"));
  // A package followed by a type or a wildcard: "org.bytedeco.javacpp.Loader",
  // "picocli.CommandLine".
  private static final Pattern QUALIFIED =
      Pattern.compile("\\b([a-z_][a-z0-9_]*(?:\\.[a-z_][a-z0-9_]*)*)\\.(?:[A-Z]|\\*)");

  /** One {@code <dependency>} of the module (not of dependencyManagement or a plugin). */
  record Declared(String groupId, String artifactId, String classifier, String scope) {
    String coordinates() {
      return groupId + ":" + artifactId + (classifier.isEmpty() ? "" : ":" + classifier);
    }
  }

  @Test
  void everyDeclaredLibraryDependencyIsUsedByTheCode() throws Exception {
    assertTrue(Files.isRegularFile(POM), "run from the java module: " + POM.toAbsolutePath());
    Set<String> named = packagesNamedBySources();
    List<Declared> declared = declaredDependencies();
    assertTrue(
        declared.stream().anyMatch(d -> d.artifactId().equals("javacpp")),
        "the pom was not read: " + declared);
    Set<String> used = new HashSet<>();
    List<String> unused = new ArrayList<>();
    List<Declared> withoutClasses = new ArrayList<>();
    for (Declared d : declared) {
      if (d.scope().equals("test") || d.scope().equals("runtime")) {
        continue;
      }
      Set<String> packages = packagesOf(jarOf(d));
      if (packages.isEmpty()) {
        withoutClasses.add(d);
      } else if (packages.stream().anyMatch(named::contains)) {
        used.add(d.groupId() + ":" + d.artifactId());
      } else {
        unused.add(d.coordinates());
      }
    }
    for (Declared d : withoutClasses) {
      if (!used.contains(d.groupId() + ":" + d.artifactId())) {
        unused.add(d.coordinates() + " (no classes, and its classes' artifact is unused)");
      }
    }
    assertEquals(
        List.of(), unused, "declared in java/pom.xml but no main source names its packages");
  }

  @Test
  void theQualifiedNamePatternFindsImportsAndFullNames() {
    Set<String> found = new TreeSet<>();
    collectPackages(
        "import org.bytedeco.javacpp.Loader;\n"
            + "import static org.junit.jupiter.api.Assertions.assertEquals;\n"
            + "import com.fasterxml.jackson.core.*;\n"
            + "import picocli.CommandLine;\n"
            + "var x = new java.util.ArrayList<String>(); // a.b.c is not a package reference\n",
        found);
    assertEquals(
        Set.of(
            "org.bytedeco.javacpp",
            "org.junit.jupiter.api",
            "com.fasterxml.jackson.core",
            "picocli",
            "java.util"),
        found);
  }

  private static List<Declared> declaredDependencies() throws Exception {
    Element project =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(POM.toFile())
            .getDocumentElement();
    List<Declared> out = new ArrayList<>();
    Optional<Element> dependencies = child(project, "dependencies");
    if (dependencies.isEmpty()) {
      return out;
    }
    NodeList nodes = dependencies.get().getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e && e.getTagName().equals("dependency")) {
        out.add(
            new Declared(
                text(e, "groupId"),
                text(e, "artifactId"),
                text(e, "classifier"),
                text(e, "scope")));
      }
    }
    return out;
  }

  private static Optional<Element> child(Element parent, String tag) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private static String text(Element parent, String tag) {
    return child(parent, tag).map(e -> e.getTextContent().trim()).orElse("");
  }

  /**
   * The dependency's jar on the test class path; Surefire may run tests from a manifest-only jar,
   * so its own record of the class path is read first.
   */
  private static Path jarOf(Declared d) {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String groupFolder =
        File.separator
            + d.groupId().replace('.', File.separatorChar)
            + File.separator
            + d.artifactId()
            + File.separator;
    for (String entry : classPath.split(File.pathSeparator)) {
      Path jar = Path.of(entry);
      if (!entry.contains(groupFolder) || jar.getParent() == null) {
        continue;
      }
      // A local repository's layout: GROUP/ARTIFACT/VERSION/ARTIFACT-VERSION[-CLASSIFIER].jar
      String version = jar.getParent().getFileName().toString();
      String name = jar.getFileName().toString();
      String stem = d.artifactId() + "-" + version;
      boolean matches =
          d.classifier().isEmpty()
              ? name.equals(stem + ".jar")
              : d.classifier().contains("${") // a property such as the platform: any classifier
                  ? name.startsWith(stem + "-") && name.endsWith(".jar")
                  : name.equals(stem + "-" + d.classifier() + ".jar");
      if (matches) {
        return jar;
      }
    }
    throw new AssertionError(d.coordinates() + " is declared but not on the test class path");
  }

  private static Set<String> packagesOf(Path jar) {
    Set<String> packages = new HashSet<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      file.stream()
          .map(e -> e.getName())
          .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && n.contains("/"))
          .filter(n -> !n.endsWith("module-info.class"))
          .forEach(n -> packages.add(n.substring(0, n.lastIndexOf('/')).replace('/', '.')));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return packages;
  }

  private static Set<String> packagesNamedBySources() throws IOException {
    Set<String> named = new HashSet<>();
    for (Path root : SOURCE_ROOTS) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          collectPackages(Files.readString(f), named);
        }
      }
    }
    return named;
  }

  /** Adds the packages that code lines (not comment lines) of {@code source} name. */
  private static void collectPackages(String source, Set<String> into) {
    source
        .lines()
        .map(String::trim)
        .filter(l -> !l.startsWith("*") && !l.startsWith("//") && !l.startsWith("/*"))
        .map(l -> l.contains("//") ? l.substring(0, l.indexOf("//")) : l)
        .forEach(
            l -> {
              Matcher m = QUALIFIED.matcher(l);
              while (m.find()) {
                into.add(m.group(1));
              }
            });
  }
}
