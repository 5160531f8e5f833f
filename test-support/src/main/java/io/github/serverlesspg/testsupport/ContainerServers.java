package io.github.serverlesspg.testsupport;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.PortBinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.ExecConfig;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * Fallback when the server binaries are not installed but Docker is: the same PostgreSQL and PgBouncer
 * settings, in containers. Host ports are fixed (picked free up front) instead of Docker's random mapping, so
 * that stop/start and restart keep the address, as they do for local servers.
 */
final class ContainerServers {

  private static final DockerImageName POSTGRES_IMAGE = DockerImageName.parse("postgres:15");
  /** Overridable because this community image has no stable version tags matching PgBouncer releases. */
  private static final DockerImageName PGBOUNCER_IMAGE = DockerImageName.parse(
      System.getenv().getOrDefault("SPG_PGBOUNCER_IMAGE", "edoburu/pgbouncer:latest"));
  private static final String POSTGRES_ALIAS = "postgres";
  private static final int POSTGRES_PORT = 5432;
  private static final int PGBOUNCER_PORT = 6432;

  private ContainerServers() {}

  static DatabaseEnvironment start(Credentials credentials, int maxConnections, int defaultPoolSize, Path logDir) {
    Network network = Network.newNetwork();
    int postgresPort = Waits.freePort();
    GenericContainer<?> postgresContainer = new GenericContainer<>(POSTGRES_IMAGE)
        .withNetwork(network)
        .withNetworkAliases(POSTGRES_ALIAS)
        .withEnv("POSTGRES_USER", credentials.user())
        .withEnv("POSTGRES_PASSWORD", credentials.password())
        .withEnv("POSTGRES_DB", credentials.database())
        .withEnv("POSTGRES_INITDB_ARGS", "--auth=scram-sha-256")
        .withEnv("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")
        // the Debian-based image ships the ssl-cert snakeoil pair, a self-signed certificate
        .withCommand("postgres", "-c", "max_connections=" + maxConnections, "-c", "fsync=off",
            "-c", "password_encryption=scram-sha-256", "-c", "ssl=on",
            "-c", "ssl_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem",
            "-c", "ssl_key_file=/etc/ssl/private/ssl-cert-snakeoil.key")
        .withExposedPorts(POSTGRES_PORT)
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
            .withPortBindings(PortBinding.parse("127.0.0.1:" + postgresPort + ":" + POSTGRES_PORT)))
        // the entrypoint starts a temporary server for initialisation first, so the real one is the second
        .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\n", 2)
            .withStartupTimeout(Duration.ofMinutes(2)));
    ContainerControl postgresControl = new ContainerControl(postgresContainer, logDir.resolve("postgres.log"),
        network, () -> canLogIn(postgresPort, credentials));
    postgresControl.start();
    PostgresServer postgres = new PostgresServer("127.0.0.1", postgresPort, credentials, true, postgresControl);
    Psql psql = (arguments, environment) -> psqlIn(postgresContainer, arguments, environment);
    try {
      PgBouncerServer transaction = startPooler(network, postgres, psql, credentials, PoolMode.TRANSACTION,
          defaultPoolSize, logDir);
      try {
        PgBouncerServer session = startPooler(network, postgres, psql, credentials, PoolMode.SESSION,
            defaultPoolSize, logDir);
        return new DatabaseEnvironment(postgres, transaction, session, logDir);
      } catch (RuntimeException e) {
        transaction.destroy();
        throw e;
      }
    } catch (RuntimeException e) {
      postgres.destroy();
      throw e;
    }
  }

  private static PgBouncerServer startPooler(Network network, PostgresServer postgres, Psql psql,
      Credentials credentials, PoolMode mode, int defaultPoolSize, Path logDir) {
    int hostPort = Waits.freePort();
    String alias = "pgbouncer-" + mode.configValue();
    PgBouncerConfig config = new PgBouncerConfig(mode, "0.0.0.0", PGBOUNCER_PORT, POSTGRES_ALIAS, POSTGRES_PORT,
        defaultPoolSize, credentials, "/etc/pgbouncer/userlist.txt", null);
    GenericContainer<?> container = new GenericContainer<>(PGBOUNCER_IMAGE)
        .withNetwork(network)
        .withNetworkAliases(alias)
        // the image's entrypoint generates a config only when none exists
        .withCopyToContainer(Transferable.of(config.ini()), "/etc/pgbouncer/pgbouncer.ini")
        .withCopyToContainer(Transferable.of(config.userlist()), "/etc/pgbouncer/userlist.txt")
        .withExposedPorts(PGBOUNCER_PORT)
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
            .withPortBindings(PortBinding.parse("127.0.0.1:" + hostPort + ":" + PGBOUNCER_PORT)))
        .waitingFor(Wait.forLogMessage(".*process up.*\\n", 1));
    ContainerControl control = new ContainerControl(container,
        logDir.resolve("pgbouncer-" + mode.configValue() + ".log"), null,
        () -> Waits.accepts("127.0.0.1", hostPort));
    control.start();
    // psql runs inside the PostgreSQL container, so it reaches PgBouncer by its network alias
    PgBouncerAdmin admin = new PgBouncerAdmin(psql, alias, PGBOUNCER_PORT, credentials);
    return new PgBouncerServer("127.0.0.1", hostPort, mode, postgres, control, admin);
  }

  /** The host may lack psql (that is why containers are used), but the postgres image has it. */
  private static String psqlIn(GenericContainer<?> container, List<String> arguments,
      Map<String, String> environment) {
    List<String> command = new ArrayList<>(List.of("psql"));
    command.addAll(arguments);
    try {
      Container.ExecResult result = container.execInContainer(ExecConfig.builder()
          .command(command.toArray(String[]::new)).envVars(environment).build());
      if (result.getExitCode() != 0) {
        throw new IllegalStateException("psql " + arguments + " failed in the PostgreSQL container: "
            + result.getStderr());
      }
      return result.getStdout();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run psql in the PostgreSQL container", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running psql in the PostgreSQL container", e);
    }
  }

  private static boolean canLogIn(int port, Credentials credentials) {
    try {
      DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + credentials.database(),
          credentials.user(), credentials.password()).close();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Stops and starts an existing container with Docker's own commands, which keep its port bindings. */
  private static final class ContainerControl implements ServerControl {

    private final GenericContainer<?> container;
    private final Path logFile;
    private final Network network;
    private final BooleanSupplier ready;
    private boolean created;
    private boolean running;

    ContainerControl(GenericContainer<?> container, Path logFile, Network network, BooleanSupplier ready) {
      this.container = container;
      this.logFile = logFile;
      this.network = network;
      this.ready = ready;
    }

    @Override
    public synchronized void start() {
      if (running) {
        return;
      }
      if (created) {
        docker().startContainerCmd(container.getContainerId()).exec();
      } else {
        container.start();
        created = true;
      }
      running = true;
      Waits.until(Duration.ofMinutes(1), ready, () -> "container " + container.getDockerImageName() + " not ready");
    }

    @Override
    public synchronized void stop() {
      if (running) {
        docker().stopContainerCmd(container.getContainerId()).exec();
        running = false;
      }
    }

    @Override
    public synchronized void destroy() {
      try {
        if (created) {
          // container logs cover every start of the container, unlike a log consumer attached once
          Files.writeString(logFile, container.getLogs());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + logFile, e);
      } finally {
        container.stop();
        if (network != null) {
          network.close();
        }
      }
    }

    private static DockerClient docker() {
      return DockerClientFactory.instance().client();
    }

    @Override
    public String toString() {
      return "container " + container.getDockerImageName() + ", log=" + logFile;
    }
  }
}
