package io.github.serverlesspg.routing;

import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.spi.CredentialProvider;
import io.github.serverlesspg.spi.CredentialRequest;
import java.sql.SQLException;

/** A plan's credential provider and what to ask it, for the physical layer to call at connect time. */
public final class CredentialSource {
  private final CredentialProvider provider;
  private final CredentialRequest request;

  CredentialSource(CredentialProvider provider, CredentialRequest request) {
    this.provider = provider;
    this.request = request;
  }

  /**
   * The password for a new physical connection.
   *
   * @throws SQLException the provider's, or 08001 when it failed otherwise or returned none
   */
  public String password() throws SQLException {
    String password;
    try {
      password = provider.password(request);
    } catch (RuntimeException e) {
      throw SqlStates.unableToConnect("Credential provider '" + provider.name() + "' failed with "
          + e.getClass().getName() + " for user " + request.user() + " at " + request.endpoint() + ".", e);
    }
    if (password == null || password.isEmpty()) {
      throw SqlStates.unableToConnect("Credential provider '" + provider.name() + "' returned no password for user "
          + request.user() + " at " + request.endpoint() + ".");
    }
    return password;
  }

  CredentialProvider provider() {
    return provider;
  }

  String providerName() {
    return provider.name();
  }

  /** Tells the provider that the server refused its last password, so that the next one is fetched afresh. */
  public void refused() {
    provider.refused(request);
  }

  /**
   * Whether the server refused the credentials: 28P01 (invalid password) or 28000 (invalid authorization) from
   * PostgreSQL; PgBouncer reports a failed SCRAM exchange as 08P01 "SASL authentication failed".
   */
  public static boolean isAuthenticationFailure(SQLException e) {
    String state = e.getSQLState();
    if ("28P01".equals(state) || "28000".equals(state)) {
      return true;
    }
    String message = e.getMessage();
    return "08P01".equals(state) && message != null && message.contains("authentication failed");
  }

  /** For {@code explain}: the provider and its argument, never a password. */
  public String describe() {
    return provider.name() + (request.source() == null ? "" : " (" + request.source() + ")");
  }

  @Override
  public String toString() {
    return "CredentialSource[" + describe() + "]";
  }
}
