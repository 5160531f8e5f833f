package io.github.serverlesspg.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Properties;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * No span name, attribute, event or status anywhere contains the password or a bound value. Values carry a marker
 * prefix so that a short random string cannot match an unrelated attribute by chance; bound values are any printable
 * text PostgreSQL accepts (no NUL). (Literals of non-parameterized
 * SQL are the sql package's sanitizer's job and are tested there.)
 */
class NoSecretsInTelemetryPropertyTest {
  private TelemetryFixture telemetry;

  @BeforeProperty
  void install() {
    telemetry = new TelemetryFixture().install();
  }

  @AfterProperty
  void uninstall() {
    telemetry.uninstall();
  }

  @Property(tries = 15)
  void neitherPasswordNorBoundValuesReachTelemetry(
      @ForAll @AlphaChars @StringLength(min = 6, max = 24) String password,
      @ForAll @CharRange(from = ' ', to = '~') @CharRange(from = '\u00a0', to = '\u07ff') @StringLength(min = 6, max = 40)
      String bound) throws Exception {
    String secret = "pw" + password;
    String value = "val" + bound;
    TelemetryDatabase postgres = TelemetryDatabase.shared();
    postgres.setPassword("telemetry_secrets", secret);
    telemetry.spans.reset();
    Properties info = new Properties();
    info.setProperty("user", "telemetry_secrets");
    info.setProperty("password", secret);
    try (Connection connection = DriverManager.getConnection(
        postgres.urlWithoutCredentials("ApplicationName=secrets&reuse=false"), info);
        PreparedStatement statement = connection.prepareStatement("SELECT ?::text, length(?)")) {
      statement.setString(1, value);
      statement.setString(2, value);
      statement.executeQuery().close();
      try (PreparedStatement failing = connection.prepareStatement("SELECT ?::int")) {
        failing.setString(1, value);
        failing.executeQuery().close();
      } catch (java.sql.SQLException expected) {
        // 22P02 quotes the value in its message: the span must not.
      }
    }
    for (SpanData span : telemetry.spans.getFinishedSpanItems()) {
      assertThat(render(span)).doesNotContain(secret).doesNotContain(value);
    }
  }

  private static String render(SpanData span) {
    StringBuilder text = new StringBuilder(span.getName()).append(span.getAttributes()).append(span.getStatus());
    span.getEvents().forEach(event -> text.append(event.getName()).append(event.getAttributes()));
    return text.toString();
  }
}
