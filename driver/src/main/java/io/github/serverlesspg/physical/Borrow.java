package io.github.serverlesspg.physical;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * One borrow of a physical connection, held by the logical handle that borrowed it: the connection and the lease
 * number that ends exactly this borrow ({@link PhysicalPool#release}), so a stale release can never end someone
 * else's.
 *
 * <p>It is also how the pool notices a handle that became unreachable while it still held its connection (the
 * application never closed it): it refers to the handle only weakly, so it never keeps it alive, and the pool polls
 * its queue and reclaims the connection, closing it (the handle may have left a transaction or session state behind)
 * and freeing the slot, by compare-and-set on the lease, so a reclaim changes nothing if the borrow ended meanwhile.
 * Being the handle's own record of its borrow, it is the only object a borrow allocates besides the handle.
 */
public class Borrow extends WeakReference<Object> {
  final PhysicalConnection connection;
  final long lease;

  Borrow(Object handle, ReferenceQueue<Object> queue, PhysicalConnection connection) {
    super(handle, queue);
    this.connection = connection;
    this.lease = connection.lease();
  }

  /** The borrowed connection. */
  public final PhysicalConnection connection() {
    return connection;
  }

  /** The lease number of this borrow, for {@link PhysicalPool#release} and {@link PhysicalPool#discard}. */
  public final long lease() {
    return lease;
  }

  /** Where the handle was opened, when leak detection recorded it; else null. */
  Throwable origin() {
    return null;
  }

  /** With leak detection on: also where the handle was opened, for the warning. */
  static final class Traced extends Borrow {
    private final Throwable origin;

    Traced(Object handle, ReferenceQueue<Object> queue, PhysicalConnection connection, Throwable origin) {
      super(handle, queue, connection);
      this.origin = origin;
    }

    @Override
    Throwable origin() {
      return origin;
    }
  }
}
