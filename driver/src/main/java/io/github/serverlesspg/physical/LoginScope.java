package io.github.serverlesspg.physical;

import java.util.ArrayList;
import java.util.List;

/**
 * The sockets opened by the physical connect running on this thread. pgjdbc logs in on the calling thread and creates
 * its sockets through the {@code socketFactory} it instantiates by class name, which cannot be handed a reference; so
 * {@link PgjdbcConnector} opens a scope around the login, each {@link LoginSocket} created meanwhile joins it, and
 * {@link #close()} ends the login phase of all of them: from then on they are plain sockets. A socket created outside
 * a scope (pgjdbc's cancel request, a login on pgjdbc's own {@code loginTimeout} thread) is plain from the start.
 */
final class LoginScope implements AutoCloseable {
  private static final ThreadLocal<LoginScope> CURRENT = new ThreadLocal<>();

  private final List<LoginSocket> sockets = new ArrayList<>(2);
  /** The scope this one interrupts (a connect opened within a connect), restored on close; usually null. */
  private final LoginScope outer;

  private LoginScope(LoginScope outer) {
    this.outer = outer;
  }

  /** Opens the scope of the login about to run on this thread; the caller must {@link #close()} it. */
  static LoginScope begin() {
    LoginScope scope = new LoginScope(CURRENT.get());
    CURRENT.set(scope);
    return scope;
  }

  /** Whether {@code socket} was created during a login on this thread, which then owns its login phase. */
  static boolean enlist(LoginSocket socket) {
    LoginScope scope = CURRENT.get();
    if (scope == null) {
      return false;
    }
    scope.sockets.add(socket);
    return true;
  }

  /** Ends the login phase of every socket of the scope, connected or not, and leaves the scope. */
  @Override
  public void close() {
    if (outer == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(outer);
    }
    for (LoginSocket socket : sockets) {
      socket.loginEnded();
    }
  }
}
