package io.github.serverlesspg.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the secrets a URL can carry before it is printed: the password of a {@code user:password@} user-info part
 * and the value of every parameter whose name says it is a secret ({@code password}, {@code sslpassword}, ...).
 */
public final class UrlMasking {
  private static final String MASK = "***";
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?#\\s]*:)[^/@?#\\s]*@");
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile("(?i)([?&;]\\s*[a-z_]*(?:password|secret|token)[a-z_]*=)[^&;\\s]*");

  private UrlMasking() {
  }

  public static String mask(String text) {
    if (text == null) {
      return null;
    }
    String masked = USER_INFO.matcher(text).replaceAll("$1" + MASK + "@");
    Matcher parameters = SECRET_PARAMETER.matcher(masked);
    return parameters.replaceAll("$1" + MASK);
  }
}
