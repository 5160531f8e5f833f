package io.github.serverlesspg.cli.doctor;

import java.util.Locale;

/** The few JSON pieces the report needs; a dependency for them would outweigh the CLI. */
final class Json {
  private Json() {
  }

  static void value(StringBuilder json, Object value) {
    if (value == null) {
      json.append("null");
    } else if (value instanceof Double || value instanceof Float) {
      json.append(String.format(Locale.ROOT, "%.3f", ((Number) value).doubleValue()));
    } else if (value instanceof Number || value instanceof Boolean) {
      json.append(value);
    } else {
      string(json, value.toString());
    }
  }

  static void string(StringBuilder json, String text) {
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
    json.append('"');
  }
}
