package io.github.serverlesspg.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Locates the PostgreSQL and PgBouncer executables installed on this machine. */
public final class ServerBinaries {

  static final String INSTALL_HINT =
      "install them with `apt-get install -y postgresql pgbouncer` (Debian/Ubuntu), "
          + "or set PG_BIN to the directory holding initdb and pg_ctl and put pgbouncer on the PATH, "
          + "or make a Docker engine reachable for Testcontainers";

  private final Optional<Path> postgresBin;
  private final Optional<Path> pgbouncer;
  private final Optional<Path> openssl;

  private ServerBinaries(Optional<Path> postgresBin, Optional<Path> pgbouncer, Optional<Path> openssl) {
    this.postgresBin = postgresBin;
    this.pgbouncer = pgbouncer;
    this.openssl = openssl;
  }

  /** Looks the executables up; never throws, missing ones are reported by {@link #missing()}. */
  public static ServerBinaries detect() {
    return new ServerBinaries(findPostgresBin(), findOnPath("pgbouncer", "/usr/sbin", "/usr/local/sbin"),
        findOnPath("openssl"));
  }

  /** Directory holding initdb, pg_ctl and postgres. */
  public Optional<Path> postgresBin() {
    return postgresBin;
  }

  public Optional<Path> pgbouncer() {
    return pgbouncer;
  }

  /** Without openssl the local PostgreSQL runs without TLS. */
  public Optional<Path> openssl() {
    return openssl;
  }

  /** Human-readable names of the missing server executables; empty when both servers can run locally. */
  public List<String> missing() {
    List<String> missing = new ArrayList<>();
    if (postgresBin.isEmpty()) {
      missing.add("PostgreSQL (initdb, pg_ctl)");
    }
    if (pgbouncer.isEmpty()) {
      missing.add("pgbouncer");
    }
    return missing;
  }

  Path initdb() {
    return postgresBin.orElseThrow().resolve("initdb");
  }

  /** psql, which talks to PgBouncer's admin console (pgjdbc cannot: it always sends a SET there). */
  Optional<Path> psql() {
    return postgresBin.map(bin -> bin.resolve("psql")).filter(Files::isExecutable).or(() -> findOnPath("psql"));
  }

  Path pgCtl() {
    return postgresBin.orElseThrow().resolve("pg_ctl");
  }

  private static Optional<Path> findPostgresBin() {
    String fromEnv = System.getenv("PG_BIN");
    if (fromEnv != null && !fromEnv.isBlank()) {
      // an explicit setting that is wrong must not silently fall back to another installation
      Path dir = Path.of(fromEnv);
      return hasPostgres(dir) ? Optional.of(dir) : Optional.empty();
    }
    Optional<Path> fromPgConfig = pgConfigBindir().filter(ServerBinaries::hasPostgres);
    if (fromPgConfig.isPresent()) {
      return fromPgConfig;
    }
    return highestVersionedBin();
  }

  private static Optional<Path> pgConfigBindir() {
    Optional<Path> pgConfig = findOnPath("pg_config");
    if (pgConfig.isEmpty()) {
      return Optional.empty();
    }
    try {
      String out = Commands.run(List.of(pgConfig.get().toString(), "--bindir")).trim();
      return out.isEmpty() ? Optional.empty() : Optional.of(Path.of(out));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> highestVersionedBin() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
          .map(p -> p.resolve("bin"))
          .filter(ServerBinaries::hasPostgres);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean hasPostgres(Path dir) {
    return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
  }

  private static Optional<Path> findOnPath(String name, String... extraDirs) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
    }
    dirs.addAll(List.of(extraDirs));
    return dirs.stream()
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  @Override
  public String toString() {
    return "ServerBinaries{postgres=" + postgresBin.map(Path::toString).orElse("missing")
        + ", pgbouncer=" + pgbouncer.map(Path::toString).orElse("missing")
        + ", openssl=" + openssl.map(Path::toString).orElse("missing") + "}";
  }
}
