package io.github.serverlesspg.routing.credential;

import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.spi.CredentialRequest;
import java.sql.SQLException;

/** What the built-in providers share: each reads its secret from the place {@code credentialSource} names. */
final class CredentialSources {
  private CredentialSources() {
  }

  /**
   * The {@code credentialSource} of the request.
   *
   * @param provider the provider's name, as written in {@code credentialProvider}
   * @param expected what the source names, as the message shows it (e.g. {@code PATH, the file that holds the
   *     password})
   */
  static String required(CredentialRequest request, String provider, String expected) throws SQLException {
    String source = request.source();
    if (source == null) {
      throw SqlStates.invalidParameter("credentialProvider=" + provider + " needs credentialSource=" + expected
          + ".");
    }
    return source;
  }
}
