package io.github.serverlesspg.testsupport;

import java.security.SecureRandom;
import java.util.Base64;

/** Login of the test superuser; the password never appears in {@link #toString()}. */
record Credentials(String user, String password, String database) {

  static Credentials generate(String user, String database) {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    // URL-safe base64: no quotes or spaces, so it needs no escaping in userlist.txt or URLs
    return new Credentials(user, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), database);
  }

  @Override
  public String toString() {
    return "Credentials{user=" + user + ", database=" + database + "}";
  }
}
