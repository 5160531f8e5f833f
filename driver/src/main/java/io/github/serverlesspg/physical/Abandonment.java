package io.github.serverlesspg.physical;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * Notices a logical handle that became unreachable while it still held its physical connection (the application
 * never closed it). The pool polls its queue and reclaims the connection: closes it (the handle may have left a
 * transaction or session state behind) and frees the slot. Refers to the handle only weakly, so it never keeps it
 * alive; what the reclaim needs is copied here.
 */
final class Abandonment extends WeakReference<Object> {
  final PhysicalConnection connection;
  final long lease;
  /** Where the handle was opened, when leak detection recorded it; else null. */
  final Throwable origin;

  Abandonment(Object handle, ReferenceQueue<Object> queue, PhysicalConnection connection, long lease,
      Throwable origin) {
    super(handle, queue);
    this.connection = connection;
    this.lease = lease;
    this.origin = origin;
  }
}
