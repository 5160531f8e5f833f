package io.github.serverlesspg.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Keeps secrets out of messages, logs and {@code toString()}. */
public final class Secrets {
  private static final String MASK = "***";

  private Secrets() {
  }

  /** Whether a property with this name holds a secret (pgjdbc's {@code password}, {@code sslpassword}, ...). */
  public static boolean isSecret(String propertyName) {
    String lower = propertyName.toLowerCase(Locale.ROOT);
    return lower.contains("password") || lower.contains("secret") || lower.contains("token");
  }

  /** A sorted copy of {@code properties} with secret values masked, for messages. */
  public static Map<String, String> mask(Map<?, ?> properties) {
    Map<String, String> masked = new TreeMap<>();
    for (Map.Entry<?, ?> entry : properties.entrySet()) {
      String key = String.valueOf(entry.getKey());
      masked.put(key, isSecret(key) ? MASK : String.valueOf(entry.getValue()));
    }
    return masked;
  }

  /**
   * {@code text} with every occurrence of {@code secret} masked; for wrapping messages of exceptions that may quote
   * a connection string.
   */
  public static String redact(String text, String secret) {
    if (text == null || secret == null || secret.isEmpty()) {
      return text;
    }
    return text.replace(secret, MASK);
  }
}
