package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.testsupport.PgBouncerServer;
import io.github.serverlesspg.testsupport.PoolMode;
import io.github.serverlesspg.testsupport.Pooler;
import io.github.serverlesspg.testsupport.RealDatabase;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * No exception of any type, here a RuntimeException thrown by the application's OpenTelemetry SDK when a span starts or
 * ends, leaves anything behind that a later statement could send in place of its own SQL, or a transaction open.
 */
@RealDatabase
class TelemetryFailureIsolationTest {

  /** Throws when a span of a statement naming {@code boom_start} starts, or one naming {@code boom_end} ends. */
  static final class ThrowingProcessor implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
      if (span.getName().contains("boom_start")) {
        throw new IllegalStateException("telemetry failed at start");
      }
    }

    @Override
    public boolean isStartRequired() {
      return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      if (span.getName().contains("boom_end")) {
        throw new IllegalStateException("telemetry failed at end");
      }
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }

  @Test
  void aTelemetryFailureNeverChangesWhatLaterStatementsSend(@Pooler(PoolMode.TRANSACTION) PgBouncerServer pooler)
      throws SQLException {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).addSpanProcessor(new ThrowingProcessor()).build())
        .build();
    try (Connection setup = Targets.connect(Targets.through(pooler, "telemetry-failure-setup", "mode=direct"),
        pooler.credentials()); Statement statement = setup.createStatement()) {
      statement.execute("create schema if not exists tf");
      statement.execute("create table if not exists tf.boom_start(id int)");
      statement.execute("create table if not exists tf.boom_end(id int)");
      statement.execute("create table if not exists tf.rows(note text)");
      statement.execute("truncate tf.boom_start, tf.boom_end, tf.rows");
    }
    ServerlessPgDriver.setOpenTelemetry(sdk);
    try (Connection connection = Targets.connect(
        Targets.through(pooler, "telemetry-failure", "mode=transaction&currentSchema=tf"), pooler.credentials());
        Statement statement = connection.createStatement()) {
      statement.execute("set work_mem = '8MB'");
      assertThatThrownBy(() -> statement.executeUpdate("insert into boom_start values (1)"))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> statement.executeUpdate("insert into boom_end values (1)"))
          .isInstanceOf(IllegalStateException.class);
      assertThat(statement.executeUpdate("insert into rows values ('after')")).isEqualTo(1);
      assertThat(query(connection, "show work_mem")).isEqualTo("8MB");
      assertThat(spans.getFinishedSpanItems().stream().filter(s -> s.getName().contains("boom_end")).count())
          .as("the statement's span ended once").isEqualTo(1);
    } finally {
      ServerlessPgDriver.setOpenTelemetry(null);
      sdk.close();
    }
    try (Connection check = Targets.connect(Targets.through(pooler, "telemetry-failure-setup", "mode=direct"),
        pooler.credentials())) {
      assertThat(query(check, "select count(*) from tf.boom_start")).as("never sent").isEqualTo("0");
      assertThat(query(check, "select count(*) from tf.boom_end")).as("sent and committed").isEqualTo("1");
      assertThat(query(check, "select count(*) from tf.rows")).isEqualTo("1");
    }
  }

  private static String query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
