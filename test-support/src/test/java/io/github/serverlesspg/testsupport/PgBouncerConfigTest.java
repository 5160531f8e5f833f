package io.github.serverlesspg.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgBouncerConfigTest {

  private final Credentials credentials = Credentials.generate("spg", "app");
  private final PgBouncerConfig config = new PgBouncerConfig(PoolMode.TRANSACTION, "127.0.0.1", 6432,
      "127.0.0.1", 5432, 10, credentials, "/tmp/x/userlist.txt", "/tmp/x/pgbouncer.pid");

  @Test
  void ignoresOnlyExtraFloatDigitsLikeHostedPoolers() {
    // search_path and options must stay rejected: the driver has to prove it never sends them
    assertThat(config.ini()).containsOnlyOnce("ignore_startup_parameters = extra_float_digits\n")
        .doesNotContain("search_path").doesNotContain("options");
  }

  @Test
  void configuresModeAddressAndPool() {
    assertThat(config.ini()).contains("pool_mode = transaction", "listen_port = 6432",
        "* = host=127.0.0.1 port=5432", "default_pool_size = 10", "auth_type = scram-sha-256",
        "admin_users = spg", "unix_socket_dir =\n");
  }

  @Test
  void passwordIsOnlyInTheUserlist() {
    assertThat(config.userlist()).isEqualTo("\"spg\" \"" + credentials.password() + "\"\n");
    assertThat(config.ini()).doesNotContain(credentials.password());
    assertThat(config.toString()).doesNotContain(credentials.password());
    assertThat(credentials.toString()).doesNotContain(credentials.password());
  }
}
