package io.github.serverlesspg.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDataSource;
import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.testsupport.FaultProxy;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Set;
import javax.management.JMException;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A target's MBean lives exactly as long as one of its pools: registered when the first opens, unregistered when the
 * last closes, however it closes ({@code DataSource.close}, {@code closeAllPools}, the cache dropping an idle
 * target or evicting an unused pool past {@code maxPools}). Each test reaches PostgreSQL through a proxy of its own, so that its target ({@code host:port/database},
 * the MBean's name) is not shared with other tests' pools.
 */
@RealDatabase
class JmxLifecycleTest {
  private final PostgresServer postgres;
  private FaultProxy proxy;

  JmxLifecycleTest(PostgresServer postgres) {
    this.postgres = postgres;
  }

  @BeforeEach
  void ownTarget() {
    proxy = FaultProxy.to(postgres.host(), postgres.port());
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  @Test
  void dataSourceCloseUnregistersTheMBeanOnceTheTargetsLastPoolCloses() throws Exception {
    try (ServerlessPgDataSource first = dataSource("jmx-first", "");
        ServerlessPgDataSource second = dataSource("jmx-second", "")) {
      first.getConnection().close();
      second.getConnection().close();
      assertThat(ourMBeans()).containsExactly(mbeanName());

      first.close();
      assertThat(ourMBeans()).as("the target's other pool is still open").containsExactly(mbeanName());
      second.close();
      assertThat(ourMBeans()).as("no pool of the target is open").isEmpty();

      first.getConnection().close();
      assertThat(ourMBeans()).as("a new pool registers it again").containsExactly(mbeanName());
    }
    assertThat(ourMBeans()).isEmpty();
  }

  @Test
  void closeAllPoolsUnregistersEveryMBean() throws Exception {
    DriverManager.getConnection(url("jmx-all", ""), postgres.credentials()).close();
    assertThat(ourMBeans()).containsExactly(mbeanName());
    ServerlessPgDriver.closeAllPools();
    assertThat(ourMBeans()).isEmpty();
  }

  @Test
  void droppingAnIdleTargetUnregistersItsMBean() throws Exception {
    DriverManager.getConnection(url("jmx-idle", "idleTimeout=1"), postgres.credentials()).close();
    assertThat(ourMBeans()).containsExactly(mbeanName());
    // Creating a pool looks for idle targets; the first pool is unused past its 1 ms idle timeout by then.
    for (int pool = 0; !ourMBeans().isEmpty(); pool++) {
      assertThat(pool).as("the idle target was dropped").isLessThan(20);
      try (Connection other = DriverManager.getConnection(direct("jmx-other-" + pool), postgres.credentials())) {
        assertThat(other.isValid(5)).isTrue();
      }
    }
    assertThat(ourMBeans()).isEmpty();
  }

  /**
   * A pool evicted by the process-wide bound (here {@code maxPools=1}, from its system property, applied by the next
   * pool created) takes its MBean with it.
   */
  @Test
  void evictingAnUnusedPoolPastMaxPoolsUnregistersItsMBean() throws Exception {
    DriverManager.getConnection(url("jmx-evicted", ""), postgres.credentials()).close();
    assertThat(ourMBeans()).containsExactly(mbeanName());
    System.setProperty("serverlesspg.maxPools", "1");
    try {
      DriverManager.getConnection(direct("jmx-evicting"), postgres.credentials()).close();
      assertThat(ourMBeans()).as("the least recently used unused pool was evicted").isEmpty();
    } finally {
      System.clearProperty("serverlesspg.maxPools");
      // The next new pool applies the default bounds again, for the tests after this one.
      DriverManager.getConnection(direct("jmx-default-bounds"), postgres.credentials()).close();
    }
  }

  private String direct(String application) {
    return "jdbc:serverless-pg://" + postgres.host() + ":" + postgres.port() + "/" + postgres.database()
        + "?mode=direct&idleTimeout=1&ApplicationName=" + application;
  }

  private ServerlessPgDataSource dataSource(String application, String parameters) {
    ServerlessPgDataSource dataSource = new ServerlessPgDataSource(url(application, parameters));
    dataSource.setUser(postgres.user());
    dataSource.setPassword(postgres.password());
    return dataSource;
  }

  private String url(String application, String parameters) {
    return "jdbc:serverless-pg://" + proxy.address() + "/" + postgres.database() + "?mode=direct&jmx=on"
        + "&ApplicationName=" + application + (parameters.isEmpty() ? "" : "&" + parameters);
  }

  private ObjectName mbeanName() throws JMException {
    return TargetTelemetry.objectName(proxy.address() + "/" + postgres.database());
  }

  /** The MBeans of this test's target now registered. */
  private Set<ObjectName> ourMBeans() throws JMException {
    return ManagementFactory.getPlatformMBeanServer().queryNames(mbeanName(), null);
  }
}
