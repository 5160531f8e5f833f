package io.github.serverlesspg.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Keeps secrets out of messages, logs and {@code toString()}. */
public final class Secrets {
  private static final String MASK = "***";
  /** A user name shown as is in a masked URL; anything else may be a misplaced password and is masked too. */
  private static final Pattern PLAIN_USER = Pattern.compile("[A-Za-z0-9._%+-]{0,63}");

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
   * {@code url} as it may be quoted in a message: the password of its user info and the values of secret query
   * parameters masked. The user info is masked up to the last {@code '@'} of the URL, which over-masks a query value
   * holding an {@code '@'} rather than risk showing part of a password that holds one.
   */
  public static String maskUrl(String url) {
    if (url == null) {
      return null;
    }
    StringBuilder masked = new StringBuilder(url.length());
    String rest = url;
    int scheme = url.indexOf("://");
    if (scheme >= 0) {
      int authority = scheme + 3;
      int at = url.lastIndexOf('@');
      masked.append(url, 0, authority);
      if (at >= authority) {
        String userInfo = url.substring(authority, at);
        int colon = userInfo.indexOf(':');
        String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
        boolean plainUser = PLAIN_USER.matcher(user).matches();
        masked.append(plainUser ? user : MASK).append(plainUser && colon >= 0 ? ":" + MASK : "").append('@');
        rest = url.substring(at + 1);
      } else {
        rest = url.substring(authority);
      }
    }
    int question = rest.indexOf('?');
    if (question < 0) {
      return masked.append(rest).toString();
    }
    masked.append(rest, 0, question + 1);
    String[] pairs = rest.substring(question + 1).split("&", -1);
    for (int i = 0; i < pairs.length; i++) {
      if (i > 0) {
        masked.append('&');
      }
      int equals = pairs[i].indexOf('=');
      String name = equals >= 0 ? pairs[i].substring(0, equals) : pairs[i];
      masked.append(equals >= 0 && isSecret(name) ? name + "=" + MASK : pairs[i]);
    }
    return masked.toString();
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
