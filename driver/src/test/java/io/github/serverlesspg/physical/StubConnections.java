package io.github.serverlesspg.physical;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Connector} of in-memory connections for tests of the pool's own bookkeeping (limits, waiting, overflow,
 * retirement), where no database behaviour is under test. Tests of validation against dead connections use the real
 * servers instead.
 */
final class StubConnections implements Connector {
  final AtomicInteger opened = new AtomicInteger();
  final AtomicInteger open = new AtomicInteger();
  final AtomicInteger maxOpen = new AtomicInteger();
  volatile boolean valid = true;

  @Override
  public Connection open() {
    opened.incrementAndGet();
    maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
    AtomicBoolean closed = new AtomicBoolean();
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "close":
              if (closed.compareAndSet(false, true)) {
                open.decrementAndGet();
              }
              return null;
            case "isClosed":
              return closed.get();
            case "isValid":
              return valid && !closed.get();
            case "toString":
              return "stub";
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              throw new UnsupportedOperationException(method.getName());
          }
        });
  }
}
