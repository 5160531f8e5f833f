package io.github.serverlesspg.routing;

import io.github.serverlesspg.config.ServerlessPgProperty;
import io.github.serverlesspg.util.Log;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGProperty;

/**
 * Warns once per key about properties that are neither ours nor pgjdbc's. pgjdbc ignores such keys silently, so a
 * typo ({@code maxConection}) would otherwise go unnoticed; it is only a warning because the key may belong to another
 * layer (a pool or framework that passes its properties through).
 */
public final class UnknownPropertyReporter {
  private static final Log LOG = Log.of(UnknownPropertyReporter.class);
  private static final int MAX_REPORTED = 1_000;

  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final List<String> knownNames;

  public UnknownPropertyReporter() {
    List<String> names = new ArrayList<>();
    for (ServerlessPgProperty property : ServerlessPgProperty.values()) {
      names.add(property.propertyName());
    }
    for (PGProperty property : PGProperty.values()) {
      names.add(property.getName());
    }
    this.knownNames = List.copyOf(names);
  }

  /** Logs a warning for each unknown key not reported before. */
  void check(Collection<String> keys) {
    for (String key : keys) {
      if (PGProperty.forName(key) == null && ServerlessPgProperty.forName(key) == null
          && reported.size() < MAX_REPORTED && reported.add(key)) {
        LOG.warn("Unknown connection property '{}': neither serverless-pg nor pgjdbc uses it{}", key,
            suggestionFor(key));
      }
    }
  }

  /** ", did you mean 'x'?" for the closest known name within a small edit distance, or "". */
  String suggestionFor(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lowerKey = key.toLowerCase(Locale.ROOT);
    for (String name : knownNames) {
      int distance = editDistance(lowerKey, name.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        bestDistance = distance;
        best = name;
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 3) ? "; did you mean '" + best + "'?" : "";
  }

  /** Levenshtein distance with two rows: the inputs are short property names. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
