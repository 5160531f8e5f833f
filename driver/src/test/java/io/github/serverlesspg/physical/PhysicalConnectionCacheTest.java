package io.github.serverlesspg.physical;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.config.ProcessBounds;
import io.github.serverlesspg.routing.PoolSettings;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class PhysicalConnectionCacheTest {
  private static final PoolSettings SETTINGS = new PoolSettings(true, 2, 1000, 500, 1000, 600_000, 1_800_000, 0);
  private final StubConnections connector = new StubConnections();

  @Test
  void idleConnectionsAndPoolsStayWithinTheProcessWideBoundsLeastRecentlyUsedFirst() throws SQLException {
    PhysicalConnectionCache cache = PhysicalConnectionCache.isolated(3, 5);
    for (int i = 0; i < 20; i++) {
      PhysicalPool pool = poolFor(cache, i);
      PhysicalConnection connection = pool.borrow();
      pool.release(connection, connection.lease());
      assertThat(cache.pools()).hasSizeLessThanOrEqualTo(5);
      assertThat(connector.open.get()).isLessThanOrEqualTo(3);
    }
    assertThat(cache.existing("key-19")).isNotNull();
    assertThat(cache.existing("key-18")).isNotNull();
    assertThat(cache.existing("key-0")).as("least recently used, evicted").isNull();
  }

  @Test
  void aPoolWithALentConnectionIsNeverEvicted() throws SQLException {
    PhysicalConnectionCache cache = PhysicalConnectionCache.isolated(1, 2);
    PhysicalPool busy = poolFor(cache, 0);
    PhysicalConnection lent = busy.borrow();
    for (int i = 1; i < 10; i++) {
      PhysicalPool pool = poolFor(cache, i);
      PhysicalConnection connection = pool.borrow();
      pool.release(connection, connection.lease());
    }
    assertThat(cache.existing("key-0")).isSameAs(busy);
    assertThat(busy.isClosed()).isFalse();
    assertThat(busy.release(lent, lent.lease())).isTrue();
  }

  /** The bounds a configuration read (system property or environment) apply from the pool it creates on. */
  @Test
  void creatingAPoolAppliesTheBoundsItsConfigurationRead() throws SQLException {
    PhysicalConnectionCache cache = PhysicalConnectionCache.isolated();
    for (int i = 0; i < 6; i++) {
      PhysicalPool pool = poolFor(cache, i);
      PhysicalConnection connection = pool.borrow();
      pool.release(connection, connection.lease());
    }
    assertThat(cache.pools()).hasSize(6);
    int index = 6;
    PhysicalPool pool = cache.pool("key-" + index, () -> new PhysicalPool("target-" + index, SETTINGS, connector,
        PoolObserver.NONE), new ProcessBounds(10, 3));
    assertThat(cache.pools()).hasSize(3).contains(pool);
    assertThat(cache.existing("key-4")).as("recently used, kept").isNotNull();
    assertThat(cache.existing("key-5")).as("most recently used, kept").isNotNull();
    assertThat(cache.existing("key-0")).as("least recently used, evicted").isNull();
  }

  private PhysicalPool poolFor(PhysicalConnectionCache cache, int index) {
    return cache.pool("key-" + index, () -> new PhysicalPool("target-" + index, SETTINGS, connector,
        PoolObserver.NONE));
  }
}
