package io.github.serverlesspg.physical;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.routing.PoolSettings;
import org.junit.jupiter.api.Test;

/** SnapStart / CRaC: idle connections close before a checkpoint; the next borrow after restore reconnects. */
class CheckpointSupportTest {

  @Test
  void cracIsDetectedWhenOnTheClassPath() {
    assertThat(CheckpointSupport.isAvailable()).as("org.crac is an optional dependency, present in tests").isTrue();
  }

  @Test
  void beforeCheckpointClosesIdleConnectionsAndRestoreReconnectsOnDemand() throws Exception {
    StubConnections connector = new StubConnections();
    PhysicalConnectionCache cache = PhysicalConnectionCache.isolated();
    PhysicalPool pool = cache.pool("key", () -> new PhysicalPool("test:5432/db",
        new PoolSettings(true, 2, 1000, 500, 1000, 600_000, 1_800_000, 0), connector, PoolObserver.NONE));
    PhysicalConnection borrowed = pool.borrow();
    PhysicalConnection idle = pool.borrow();
    pool.release(idle, idle.lease());

    CracResource resource = CracResource.forTest(cache);
    resource.beforeCheckpoint(null);
    assertThat(connector.open).as("only the borrowed connection stays open").hasValue(1);
    resource.afterRestore(null);

    PhysicalConnection afterRestore = pool.borrow();
    assertThat(afterRestore.origin()).as("the closed idle connection is not handed out").isEqualTo(
        PhysicalConnection.Origin.COLD);
    assertThat(connector.opened).hasValue(3);
    pool.release(afterRestore, afterRestore.lease());
    pool.release(borrowed, borrowed.lease());
  }

}
