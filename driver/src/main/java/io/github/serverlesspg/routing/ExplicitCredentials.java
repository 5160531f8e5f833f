package io.github.serverlesspg.routing;

import io.github.serverlesspg.spi.CredentialProvider;
import java.util.Objects;

/**
 * Credentials given to a {@code DataSource} rather than in the URL, with the precedence pgjdbc's own data sources
 * give them over URL credentials: a user or password that was given replaces the URL's, and a given null means none
 * (not the URL's). A class rather than a record: a record's generated methods are bootstrapped on first use, and its
 * {@code toString} would show the password.
 */
public final class ExplicitCredentials {
  private final String user;
  private final boolean userGiven;
  private final String password;
  private final boolean passwordGiven;
  private final CredentialProvider provider;

  private ExplicitCredentials(String user, boolean userGiven, String password, boolean passwordGiven,
      CredentialProvider provider) {
    this.user = user;
    this.userGiven = userGiven;
    this.password = password;
    this.passwordGiven = passwordGiven;
    this.provider = provider;
  }

  /**
   * The arguments of {@code DataSource.getConnection(user, password)}: they replace the user and password of every
   * other source, and a null password sends none, as {@code PGSimpleDataSource.getConnection(user, password)} does.
   */
  public static ExplicitCredentials replacing(String user, String password) {
    return new ExplicitCredentials(user, true, password, true, null);
  }

  /**
   * {@code setUser}/{@code setPassword} of a data source: each one that was called replaces the URL's value (null:
   * none), as the setters of {@code PGSimpleDataSource} replace the values its {@code setUrl} read from the URL.
   */
  public static ExplicitCredentials overriding(String user, boolean userGiven, String password,
      boolean passwordGiven) {
    return new ExplicitCredentials(user, userGiven, password, passwordGiven, null);
  }

  /** These credentials with the password of new connections coming from {@code provider} unless one is given. */
  public ExplicitCredentials withProvider(CredentialProvider credentialProvider) {
    return new ExplicitCredentials(user, userGiven, password, passwordGiven, credentialProvider);
  }

  /** Whether a user was given; {@link #user()} is then the user (or null: pgjdbc's default). */
  public boolean userGiven() {
    return userGiven;
  }

  public String user() {
    return user;
  }

  /** Whether a password was given; {@link #password()} is then the password (or null: none). */
  public boolean passwordGiven() {
    return passwordGiven;
  }

  public String password() {
    return password;
  }

  /** The data source's credential provider instance, or null. */
  public CredentialProvider provider() {
    return provider;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof ExplicitCredentials)) {
      return false;
    }
    ExplicitCredentials that = (ExplicitCredentials) other;
    return userGiven == that.userGiven && passwordGiven == that.passwordGiven && Objects.equals(user, that.user)
        && Objects.equals(password, that.password) && provider == that.provider;
  }

  @Override
  public int hashCode() {
    int hash = 31 * Objects.hashCode(user) + Objects.hashCode(password);
    hash = 31 * hash + (userGiven ? 1 : 0) + (passwordGiven ? 2 : 0);
    return 31 * hash + System.identityHashCode(provider);
  }

  @Override
  public String toString() {
    return "ExplicitCredentials[user=" + (userGiven ? user : "(not given)") + ", password="
        + (passwordGiven ? (password == null ? "none" : "***") : "(not given)")
        + (provider == null ? "" : ", provider=" + provider.name()) + "]";
  }
}
