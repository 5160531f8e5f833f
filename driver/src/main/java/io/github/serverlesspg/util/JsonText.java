package io.github.serverlesspg.util;

import java.util.Locale;

/** JSON string literals for the few JSON documents the project writes (health snapshot, doctor report). */
public final class JsonText {
  private JsonText() {
  }

  /** Appends {@code text} as a quoted JSON string, escaping quotes, backslashes and control characters. */
  public static StringBuilder appendString(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"');
  }
}
