package io.github.serverlesspg;

import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.routing.ConnectionPlanner;
import io.github.serverlesspg.routing.ExplicitCredentials;
import io.github.serverlesspg.routing.Extensions;
import io.github.serverlesspg.routing.UnknownPropertyReporter;
import io.github.serverlesspg.util.BoundedCache;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Remembers the plan (bound to its {@link Target}) of each URL and property set, so that a warm
 * {@code DriverManager.getConnection} does not parse and plan again. Bounded: an application uses a handful of URLs.
 */
final class PlanCache {
  private static final int MAX_PLANS = 256;

  private final ConnectionPlanner planner =
      new ConnectionPlanner(Extensions.installed(), new UnknownPropertyReporter());
  private final BoundedCache<Key, Target> targets = new BoundedCache<>(MAX_PLANS);

  static PlanCache global() {
    return Global.INSTANCE;
  }

  /** The target of this URL and these properties, planned and bound on first use. */
  Target target(String url, Properties info) throws SQLException {
    return target(url, info, null);
  }

  /** The target of this URL, these properties and a data source's credentials, planned and bound on first use. */
  Target target(String url, Properties info, ExplicitCredentials explicit) throws SQLException {
    Key key = new Key(url, snapshot(info), explicit);
    Target target = targets.get(key);
    if (target == null) {
      target = ConnectionBroker.global().bind(planner.plan(url, info, explicit, Environment.system()));
      targets.put(key, target);
    }
    return target;
  }

  private static Map<String, String> snapshot(Properties info) {
    Map<String, String> copy = new TreeMap<>();
    if (info != null) {
      for (String name : info.stringPropertyNames()) {
        copy.put(name, info.getProperty(name));
      }
    }
    return copy;
  }

  /**
   * The URL, properties and data source credentials as given; holds the password in memory only, never in a message. A class rather than a
   * record: a record's equals and hashCode are bootstrapped through invokedynamic on first use, which a cold start
   * pays for.
   */
  private static final class Key {
    private final String url;
    private final Map<String, String> properties;
    private final ExplicitCredentials explicit;
    private final int hash;

    Key(String url, Map<String, String> properties, ExplicitCredentials explicit) {
      this.url = url;
      this.properties = properties;
      this.explicit = explicit;
      this.hash = 31 * (31 * url.hashCode() + properties.hashCode()) + Objects.hashCode(explicit);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key && ((Key) other).url.equals(url) && ((Key) other).properties.equals(properties)
          && Objects.equals(((Key) other).explicit, explicit);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return "PlanCache.Key";
    }
  }

  private static final class Global {
    static final PlanCache INSTANCE = new PlanCache();
  }
}
