package io.github.serverlesspg.physical;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * Notices a logical handle that became unreachable while it still held its physical connection (the application
 * never closed it). The pool polls its queue and reclaims the connection: closes it (the handle may have left a
 * transaction or session state behind) and frees the slot. Refers to the handle only weakly, so it never keeps it
 * alive. One is allocated per borrow, so it holds only the connection and the lease of the borrow it watches: a
 * reclaim ends exactly that borrow, by compare-and-set, and changes nothing if the borrow ended meanwhile.
 */
class Abandonment extends WeakReference<Object> {
  final PhysicalConnection connection;
  final long lease;

  Abandonment(Object handle, ReferenceQueue<Object> queue, PhysicalConnection connection) {
    super(handle, queue);
    this.connection = connection;
    this.lease = connection.lease();
  }

  /** Where the handle was opened, when leak detection recorded it; else null. */
  Throwable origin() {
    return null;
  }

  /** With leak detection on: also where the handle was opened, for the warning. */
  static final class Traced extends Abandonment {
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
