package io.github.serverlesspg;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.routing.ConnectionPlan;
import io.github.serverlesspg.routing.ConnectionPlanner;
import io.github.serverlesspg.routing.Extensions;
import io.github.serverlesspg.routing.UnknownPropertyReporter;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Remembers the plan of each URL and property set, so that a warm {@code DriverManager.getConnection} does not parse
 * and plan again. Bounded: an application uses a handful of URLs.
 */
final class PlanCache {
  private static final int MAX_PLANS = 256;

  private final ConnectionPlanner planner =
      new ConnectionPlanner(Extensions.installed(), new UnknownPropertyReporter());
  private final Cache<Key, ConnectionPlan> plans = Caffeine.newBuilder()
      .maximumSize(MAX_PLANS)
      .executor(Runnable::run)
      .build();

  static PlanCache global() {
    return Global.INSTANCE;
  }

  ConnectionPlan plan(String url, Properties info) throws SQLException {
    Key key = new Key(url, snapshot(info));
    ConnectionPlan plan = plans.getIfPresent(key);
    if (plan == null) {
      plan = planner.plan(url, info, Environment.system());
      plans.put(key, plan);
    }
    return plan;
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

  /** The URL and properties as given; holds the password in memory only, never in a message. */
  private record Key(String url, Map<String, String> properties) {
    @Override
    public String toString() {
      return "PlanCache.Key";
    }
  }

  private static final class Global {
    static final PlanCache INSTANCE = new PlanCache();
  }
}
