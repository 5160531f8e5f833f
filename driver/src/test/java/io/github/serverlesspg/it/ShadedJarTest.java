package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shaded (uber) jar of an application: the driver, pgjdbc and their dependencies merged into one jar, as
 * maven-shade-plugin builds it. With {@code ServicesResourceTransformer} both {@code META-INF/services/java.sql.Driver}
 * files are concatenated and {@code DriverManager} finds the driver; without it the first file wins, and when that is
 * pgjdbc's, {@code DriverManager} knows no {@code jdbc:serverless-pg:} driver, while the {@link
 * io.github.serverlesspg.ServerlessPgDataSource} (which needs no registration) and an explicit {@code Class.forName}
 * still connect. Each jar is run in a JVM of its own, as an application would be.
 */
@RealDatabase
class ShadedJarTest {
  private static final String SERVICES = "META-INF/services/";

  @TempDir
  Path directory;

  @Test
  void servicesResourceTransformerKeepsBothDrivers(PostgresServer postgres) throws Exception {
    Path jar = shade(directory.resolve("app-merged.jar"), true);
    assertThat(entry(jar, SERVICES + "java.sql.Driver"))
        .contains("io.github.serverlesspg.ServerlessPgDriver", "org.postgresql.Driver");
    assertThat(probe(jar, "driver-manager", url(postgres), postgres)).isEqualTo("user " + postgres.user());
    assertThat(probe(jar, "driver-manager", postgres.jdbcUrl(), postgres)).isEqualTo("user " + postgres.user());
  }

  @Test
  void aLostServicesEntryLeavesTheDataSourceAndClassForName(PostgresServer postgres) throws Exception {
    Path jar = shade(directory.resolve("app-first-wins.jar"), false);
    assertThat(entry(jar, SERVICES + "java.sql.Driver")).doesNotContain("ServerlessPgDriver");
    String lost = probe(jar, "driver-manager", url(postgres) + "&password=Secret42", postgres);
    assertThat(lost).startsWith("refused 08001 No suitable driver");
    assertThat(probe(jar, "data-source", url(postgres), postgres)).isEqualTo("user " + postgres.user());
    assertThat(probe(jar, "class-for-name", url(postgres), postgres)).isEqualTo("user " + postgres.user());
  }

  private static String url(PostgresServer postgres) {
    return "jdbc:serverless-pg://" + postgres.host() + ":" + postgres.port() + "/" + postgres.database()
        + "?ApplicationName=shaded-jar&reuse=false";
  }

  /**
   * Merges the runtime class path of the driver into one jar, in the order maven-shade-plugin would meet it with
   * pgjdbc declared first; {@code mergeServices} does what {@code ServicesResourceTransformer} does, otherwise the
   * first copy of a resource wins (the plugin's default, with an "overlapping resources" warning).
   */
  private static Path shade(Path target, boolean mergeServices) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (Path source : runtimeClassPath()) {
      forEachEntry(source, (name, bytes) -> {
        if (name.startsWith(SERVICES) && mergeServices && entries.containsKey(name)) {
          byte[] before = entries.get(name);
          byte[] merged = new byte[before.length + 1 + bytes.length];
          System.arraycopy(before, 0, merged, 0, before.length);
          merged[before.length] = '\n';
          System.arraycopy(bytes, 0, merged, before.length + 1, bytes.length);
          entries.put(name, merged);
        } else {
          entries.putIfAbsent(name, bytes);
        }
      });
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    try (OutputStream file = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(file, manifest)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        jar.putNextEntry(new JarEntry(entry.getKey()));
        jar.write(entry.getValue());
        jar.closeEntry();
      }
    }
    return target;
  }

  /**
   * pgjdbc first, then the driver and its runtime dependencies, then the probe; test-only libraries (JUnit, AssertJ,
   * jqwik, the SDK, the test fixture, the SLF4J binding) are left out, as they would be from an application.
   */
  private static List<Path> runtimeClassPath() {
    List<Path> pgjdbc = new ArrayList<>();
    List<Path> rest = new ArrayList<>();
    for (String element : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(element);
      String name = path.getFileName().toString();
      String full = path.toString().replace(File.separatorChar, '/');
      if (name.startsWith("postgresql-")) {
        pgjdbc.add(path);
      } else if (full.endsWith("driver/target/classes") || full.endsWith("spi/target/classes")
          || name.startsWith("serverless-pg-spi") || name.startsWith("opentelemetry-api")
          || name.startsWith("opentelemetry-context") || name.startsWith("opentelemetry-common")
          || name.startsWith("slf4j-api") || name.startsWith("HdrHistogram") || name.startsWith("checker-qual")) {
        rest.add(path);
      } else if (full.endsWith("driver/target/test-classes")) {
        rest.add(path);
      }
    }
    assertThat(pgjdbc).as("pgjdbc on the test class path").hasSize(1);
    List<Path> ordered = new ArrayList<>(pgjdbc);
    ordered.addAll(rest);
    return ordered;
  }

  interface EntryConsumer {
    void accept(String name, byte[] bytes) throws IOException;
  }

  private static void forEachEntry(Path source, EntryConsumer consumer) throws IOException {
    if (Files.isDirectory(source)) {
      boolean testClasses = source.toString().replace(File.separatorChar, '/').endsWith("test-classes");
      try (Stream<Path> files = Files.walk(source)) {
        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          String name = source.relativize(file).toString().replace(File.separatorChar, '/');
          if (!testClasses || name.startsWith("io/github/serverlesspg/it/ShadedJarProbe")) {
            consumer.accept(name, Files.readAllBytes(file));
          }
        }
      }
      return;
    }
    try (JarFile jar = new JarFile(source.toFile())) {
      Enumeration<JarEntry> all = jar.entries();
      while (all.hasMoreElements()) {
        JarEntry entry = all.nextElement();
        String name = entry.getName();
        if (entry.isDirectory() || name.equals("META-INF/MANIFEST.MF") || name.endsWith("module-info.class")
            || name.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)")) {
          continue;
        }
        try (InputStream in = jar.getInputStream(entry)) {
          consumer.accept(name, in.readAllBytes());
        }
      }
    }
  }

  private static String entry(Path jar, String name) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      JarEntry entry = file.getJarEntry(name);
      try (InputStream in = file.getInputStream(entry)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  /** Runs the probe in a new JVM on the jar alone and returns its last line of output. */
  private static String probe(Path jar, String how, String url, PostgresServer postgres) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", jar.toString(),
        "io.github.serverlesspg.it.ShadedJarProbe", how, url, postgres.user());
    builder.environment().put("PROBE_PASSWORD", postgres.password());
    builder.redirectErrorStream(true);
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the probe JVM exits").isTrue();
    String text = new String(output, StandardCharsets.UTF_8).trim();
    String[] lines = text.split("\n");
    String last = lines[lines.length - 1].trim();
    assertThat(last).as("probe output:%n%s", text).matches("(user|refused) .*");
    return last;
  }
}
