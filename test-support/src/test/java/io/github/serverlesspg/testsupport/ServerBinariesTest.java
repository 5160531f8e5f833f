package io.github.serverlesspg.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ServerBinariesTest {

  @Test
  void detectedPostgresDirectoryHoldsTheServerTools() {
    ServerBinaries binaries = ServerBinaries.detect();

    binaries.postgresBin().ifPresent(bin -> {
      assertThat(Files.isExecutable(bin.resolve("initdb"))).isTrue();
      assertThat(Files.isExecutable(bin.resolve("pg_ctl"))).isTrue();
    });
    binaries.pgbouncer().ifPresent(pgbouncer -> assertThat(Files.isExecutable(pgbouncer)).isTrue());
    assertThat(binaries.missing()).hasSize((binaries.postgresBin().isEmpty() ? 1 : 0)
        + (binaries.pgbouncer().isEmpty() ? 1 : 0));
  }
}
