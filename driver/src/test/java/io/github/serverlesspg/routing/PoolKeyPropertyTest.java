package io.github.serverlesspg.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.config.Environment;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Over credential pairs, URL forms and property sets: two plans share a pool key exactly when everything they hand
 * to pgjdbc (URL, every property, password included) and every setting of their own is equal. Values are drawn from
 * small sets so that equal and unequal pairs are both frequent, and include values that imitate a separator
 * ({@code "app|sslmode=verify-full"}), which a concatenated key confused with real settings.
 */
class PoolKeyPropertyTest {
  private final ConnectionPlanner planner = new ConnectionPlanner(Extensions.installed(), new UnknownPropertyReporter());

  @Property(tries = 1000)
  void keysAreEqualExactlyWhenTheResolvedConnectionIsIdentical(@ForAll("requests") Request a,
      @ForAll("requests") Request b) throws SQLException {
    ConnectionPlan first = a.plan(planner);
    ConnectionPlan second = b.plan(planner);
    boolean identical = first.mode() == second.mode() && first.pgjdbcUrl().equals(second.pgjdbcUrl())
        && first.pgjdbcProperties().equals(second.pgjdbcProperties())
        && first.cacheKey().settings().equals(second.cacheKey().settings());
    assertThat(first.cacheKey().equals(second.cacheKey())).as("%s%nvs%n%s", a, b).isEqualTo(identical);
    if (identical) {
      assertThat(first.cacheKey().hashCode()).isEqualTo(second.cacheKey().hashCode());
    }
    assertThat(first.cacheKey()).isEqualTo(a.plan(planner).cacheKey());
  }

  @Provide
  Arbitrary<Request> requests() {
    Arbitrary<String> users = Arbitraries.of("app", "postgres", "app|x");
    Arbitrary<String> passwords = Arbitraries.of("right", "wrong", "a|b", "right ");
    Arbitrary<String> forms = Arbitraries.of("query", "userinfo", "properties", "env", "datasource");
    Arbitrary<List<String>> settings = Arbitraries.of(
        "ApplicationName=app", "ApplicationName=app|sslmode=verify-full", "ApplicationName=app%7Csslmode%3Dprefer",
        "sslmode=prefer", "sslmode=verify-full", "sslmode=require", "sslrootcert=/a.crt", "sslrootcert=/b.crt",
        "channelBinding=require", "channelBinding=prefer", "sslpassword=key", "mode=transaction", "mode=direct",
        "maxConnections=2", "currentSchema=s").list().ofMaxSize(3);
    return Combinators.combine(users, passwords, forms, settings).as(Request::new);
  }

  /** One way of asking for a connection: credentials written in one of five places, plus some settings. */
  record Request(String user, String password, String form, List<String> settings) {
    ConnectionPlan plan(ConnectionPlanner planner) throws SQLException {
      String query = String.join("&", settings);
      Properties info = new Properties();
      ExplicitCredentials explicit = null;
      Environment environment = Environment.of(Map.of());
      String url;
      switch (form) {
        case "query":
          url = "jdbc:serverless-pg://db.example.com/app?user=" + encode(user) + "&password=" + encode(password)
              + (query.isEmpty() ? "" : "&" + query);
          break;
        case "userinfo":
          url = "jdbc:serverless-pg:postgresql://" + encode(user) + ":" + encode(password) + "@db.example.com/app"
              + (query.isEmpty() ? "" : "?" + query);
          break;
        case "env":
          String value = "postgresql://" + encode(user) + ":" + encode(password) + "@db.example.com:5432/app";
          environment = Environment.of(Map.of("DB_URL", value, "DB_URL_DIRECT", value, "DB_URL_SESSION", value));
          url = "jdbc:serverless-pg:env:DB_URL" + (query.isEmpty() ? "" : "?" + query);
          break;
        case "datasource":
          url = "jdbc:serverless-pg://db.example.com/app?user=other&password=other"
              + (query.isEmpty() ? "" : "&" + query);
          explicit = ExplicitCredentials.replacing(user, password);
          break;
        default:
          url = "jdbc:serverless-pg://db.example.com/app" + (query.isEmpty() ? "" : "?" + query);
          info.setProperty("user", user);
          info.setProperty("password", password);
      }
      return planner.plan(url, info, explicit, environment);
    }

    private static String encode(String text) {
      return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
  }
}
