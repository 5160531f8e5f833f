package io.github.serverlesspg.routing;

import io.github.serverlesspg.config.SqlStates;
import java.sql.SQLException;

/**
 * Reads pgjdbc's {@code options} property ({@code -c name=value} pairs sent in the startup packet), which
 * transaction-mode poolers reject. Only {@code search_path} has a per-transaction equivalent the driver can apply.
 */
final class StartupOptions {
  private StartupOptions() {
  }

  /**
   * The {@code search_path} the options set, or null when they set none.
   *
   * @throws SQLException 0A000 when the options set anything else, naming it and the fix
   */
  static String searchPathOnly(String options) throws SQLException {
    String searchPath = null;
    String[] words = options.trim().split("\\s+");
    for (int i = 0; i < words.length; i++) {
      String word = words[i];
      String setting;
      if (word.equals("-c") && i + 1 < words.length) {
        setting = words[++i];
      } else if (word.startsWith("-c")) {
        setting = word.substring(2);
      } else if (word.startsWith("--")) {
        setting = word.substring(2);
      } else if (word.isEmpty()) {
        continue;
      } else {
        throw unsupported(word);
      }
      int equals = setting.indexOf('=');
      String name = equals < 0 ? setting : setting.substring(0, equals);
      if (equals > 0 && name.replace('-', '_').equalsIgnoreCase("search_path")) {
        searchPath = setting.substring(equals + 1);
      } else {
        throw unsupported(name);
      }
    }
    return searchPath;
  }

  private static SQLException unsupported(String setting) {
    return SqlStates.notSupported("The 'options' property sets '" + setting + "' at connection startup, which a "
        + "transaction-mode pooler rejects (unsupported startup parameter) and which would not survive a "
        + "transaction boundary. Set it per transaction with SET LOCAL, per role with ALTER ROLE ... SET, or use "
        + "mode=session or mode=direct.");
  }
}
