package io.github.serverlesspg.cli.doctor;

import io.github.serverlesspg.util.JsonText;
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
    JsonText.appendString(json, text);
  }
}
