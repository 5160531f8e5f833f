package io.github.serverlesspg.physical;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/** The CRaC resource itself; loaded only after {@link CheckpointSupport#isAvailable()} said yes. */
final class CracResource implements Resource {
  /** CRaC holds resources weakly: this strong reference keeps ours registered for the life of the process. */
  private static CracResource registered;

  private final PhysicalConnectionCache cache;

  private CracResource(PhysicalConnectionCache cache) {
    this.cache = cache;
  }

  /** A resource that is not registered with CRaC, so a test can call its callbacks directly. */
  static CracResource forTest(PhysicalConnectionCache cache) {
    return new CracResource(cache);
  }

  static void register(PhysicalConnectionCache cache) {
    registered = new CracResource(cache);
    Core.getGlobalContext().register(registered);
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    cache.closeIdle("checkpoint");
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to reopen eagerly: the next getConnection connects, as on a cold start.
  }
}
