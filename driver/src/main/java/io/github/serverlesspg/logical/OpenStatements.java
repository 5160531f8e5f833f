package io.github.serverlesspg.logical;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The statements a logical connection closes when it closes. Held weakly: a statement the application closed is
 * removed, and one it dropped without closing is not kept alive by the handle (pgjdbc itself keeps no list either),
 * so creating statements without closing them costs no more memory than it does with plain pgjdbc. Not thread-safe,
 * like the connection that owns it.
 */
final class OpenStatements {
  private static final int INITIAL = 4;

  @SuppressWarnings("unchecked")
  private WeakReference<LogicalStatement>[] statements = new WeakReference[INITIAL];
  private int size;

  void add(LogicalStatement statement) {
    if (size == statements.length) {
      purge();
      if (size > statements.length / 2) {
        statements = Arrays.copyOf(statements, statements.length * 2);
      }
    }
    statements[size++] = new WeakReference<>(statement);
  }

  void remove(LogicalStatement statement) {
    // Newest first: statements are usually closed in the reverse order of their creation.
    for (int i = size - 1; i >= 0; i--) {
      if (statements[i].get() == statement) {
        System.arraycopy(statements, i + 1, statements, i, size - i - 1);
        statements[--size] = null;
        return;
      }
    }
  }

  /** The statements still reachable, oldest first; forgets them all. */
  List<LogicalStatement> drain() {
    List<LogicalStatement> open = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      LogicalStatement statement = statements[i].get();
      if (statement != null) {
        open.add(statement);
      }
    }
    Arrays.fill(statements, 0, size, null);
    size = 0;
    return open;
  }

  int size() {
    return size;
  }

  /** Drops entries whose statement was garbage-collected, and shrinks the array when most of it is unused. */
  private void purge() {
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (statements[i].get() != null) {
        statements[kept++] = statements[i];
      }
    }
    Arrays.fill(statements, kept, size, null);
    size = kept;
    if (statements.length > INITIAL && size < statements.length / 4) {
      statements = Arrays.copyOf(statements, Math.max(INITIAL, statements.length / 2));
    }
  }
}
