package com.example.clinic;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application in a JVM of its own, started the way a user starts it ({@code main}, configuration from
 * environment variables), and an HTTP client for it. Its output goes to {@code target/<name>.log}.
 */
final class RunningApp implements AutoCloseable {
  private static final Pattern STARTED = Pattern.compile("Tomcat started on port\\(?s?\\)?:? (\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private final Process process;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final Path log;

  private RunningApp(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts the application with these environment variables and waits until it serves HTTP. */
  static RunningApp start(String name, Map<String, String> environment) throws Exception {
    Path log = Path.of("target", name + ".log");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        ClinicApplication.class.getName(), "--server.port=0").redirectErrorStream(true);
    builder.environment().keySet().removeIf(key -> key.startsWith("DB_") || key.startsWith("SPRING_"));
    builder.environment().putAll(environment);
    RunningApp app = new RunningApp(builder.start(), log);
    app.copyOutputInTheBackground();
    try {
      app.port.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception notStarted) {
      app.close();
      throw new AssertionError("the application did not start; its output: " + log.toAbsolutePath() + "\n"
          + tail(log), notStarted);
    }
    return app;
  }

  private void copyOutputInTheBackground() throws IOException {
    Files.createDirectories(log.getParent());
    Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
    Thread copier = new Thread(() -> {
      try (out; BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          out.write(line);
          out.write('\n');
          out.flush();
          Matcher started = STARTED.matcher(line);
          if (started.find()) {
            port.complete(Integer.parseInt(started.group(1)));
          }
        }
      } catch (IOException e) {
        port.completeExceptionally(e);
      }
      port.completeExceptionally(new IllegalStateException("the application exited"));
    }, "app-output");
    copier.setDaemon(true);
    copier.start();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postForm(String path, String form) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port.join() + path);
  }

  String output() {
    return tail(log);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
