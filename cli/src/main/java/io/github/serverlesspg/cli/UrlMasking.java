package io.github.serverlesspg.cli;

import io.github.serverlesspg.config.Secrets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the secrets of every URL in a text before it is printed (a URL given on the command line, or an error
 * message quoting one): each URL is masked by the driver's own {@link Secrets#maskUrl}, so the CLI and the driver
 * agree on what a secret is.
 */
public final class UrlMasking {
  /** A URL as it stands in a message: a scheme (JDBC's {@code jdbc:serverless-pg:postgresql} included) and no space. */
  private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.:-]*://\\S+");

  private UrlMasking() {
  }

  public static String mask(String text) {
    if (text == null) {
      return null;
    }
    Matcher urls = URL.matcher(text);
    return urls.replaceAll(url -> Matcher.quoteReplacement(Secrets.maskUrl(url.group())));
  }
}
