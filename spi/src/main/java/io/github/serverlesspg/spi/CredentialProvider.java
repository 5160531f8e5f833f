package io.github.serverlesspg.spi;

import java.sql.SQLException;

/**
 * Supplies the password, or a token used as the password, for each new physical connection, at the moment it is
 * opened: for credentials that change while the process runs, such as a mounted secret that a rotation rewrites
 * (AWS Secrets Manager, Vault, Kubernetes secrets) or short-lived tokens (RDS IAM authentication, valid 15 minutes).
 *
 * <p>Physical connections that are already open are reused as they are: PostgreSQL does not re-authenticate an open
 * session, so a rotation only affects new connections. Pools are keyed by the provider, never by the value it
 * returns, so a rotation never creates a second pool.
 *
 * <p>Choose a provider with the connection property {@code credentialProvider}: a built-in name ({@code file}: the
 * file named by {@code credentialSource}, read on every connect; {@code env}: the environment variable named by
 * {@code credentialSource}), the {@link #name()} of a provider listed in
 * {@code META-INF/services/io.github.serverlesspg.spi.CredentialProvider}, or the name of a class with a public
 * no-argument constructor. Or hand an instance to {@code ServerlessPgDataSource.setCredentialProvider}.
 *
 * <p>Implementations must be thread-safe. {@link #password} runs on the application thread that opens the
 * connection (the driver has no threads of its own) and may block, for example to fetch a token; it should bound
 * that time itself. It may cache what it returns: when the server refuses it, the driver calls {@link #refused} and
 * asks once more before it reports the failure.
 */
public interface CredentialProvider {

  /** Short name, used in {@code credentialProvider=NAME}, {@code explain} output and error messages. */
  String name();

  /**
   * The password or token for a new physical connection.
   *
   * @throws SQLException when none can be obtained; the message must not contain a secret (the driver passes it on)
   */
  String password(CredentialRequest request) throws SQLException;

  /**
   * The server refused the password last returned for {@code request} (SQLSTATE 28P01 or 28000): forget any cached
   * value, so that the next {@link #password} call, which follows at once, fetches a fresh one.
   */
  default void refused(CredentialRequest request) {
  }
}
