package io.github.serverlesspg.benchmarks.coldstart;

import io.github.serverlesspg.testsupport.DatabaseEnvironment;
import io.github.serverlesspg.testsupport.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Starts the fixture's PostgreSQL for the cold-start runs and keeps it up until this process is stopped (its
 * shutdown hook stops the servers). Writes {@code PGADDRESS}, {@code PGUSER} and {@code PGPASSWORD} as shell
 * assignments to the file named by the only argument, readable by the owner only, once the server accepts
 * connections.
 */
public final class ColdStartServers {
  private ColdStartServers() {
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    Path environmentFile = Path.of(args[0]);
    DatabaseEnvironment environment = DatabaseEnvironment.builder().build();
    PostgresServer postgres = environment.postgres();
    Path partial = Files.createTempFile(environmentFile.toAbsolutePath().getParent(), "servers", ".partial",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(partial, "PGADDRESS=" + postgres.host() + ":" + postgres.port() + "/" + postgres.database()
        + "\nPGUSER=" + postgres.user() + "\nPGPASSWORD='" + postgres.password() + "'\n");
    // Renamed into place only when complete, so that a waiting script never reads half a file.
    Files.move(partial, environmentFile, StandardCopyOption.ATOMIC_MOVE);
    Thread.currentThread().join();
  }
}
