package io.github.serverlesspg.routing;

/**
 * Credentials given to a {@code DataSource} rather than in the URL, with the precedence pgjdbc's own data sources
 * give them over URL credentials. A class rather than a record: a record's generated methods are bootstrapped on
 * first use, and its {@code toString} would show the password.
 */
public final class ExplicitCredentials {
  private final String user;
  private final String password;
  private final boolean replacing;

  private ExplicitCredentials(String user, String password, boolean replacing) {
    this.user = user;
    this.password = password;
    this.replacing = replacing;
  }

  /**
   * The arguments of {@code DataSource.getConnection(user, password)}: they replace the user and password of every
   * other source, and a null password sends none, as {@code PGSimpleDataSource.getConnection(user, password)} does.
   */
  public static ExplicitCredentials replacing(String user, String password) {
    return new ExplicitCredentials(user, password, true);
  }

  /**
   * {@code setUser}/{@code setPassword} of a data source: each one that is set (non-null) overrides the URL's, as
   * the setters of {@code PGSimpleDataSource} override the values its {@code setUrl} read from the URL.
   */
  public static ExplicitCredentials overriding(String user, String password) {
    return new ExplicitCredentials(user, password, false);
  }

  /** Whether these replace both user and password, rather than override only those that are set. */
  public boolean replacing() {
    return replacing;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ExplicitCredentials && ((ExplicitCredentials) other).replacing == replacing
        && java.util.Objects.equals(user, ((ExplicitCredentials) other).user)
        && java.util.Objects.equals(password, ((ExplicitCredentials) other).password);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * java.util.Objects.hashCode(user) + java.util.Objects.hashCode(password))
        + Boolean.hashCode(replacing);
  }

  @Override
  public String toString() {
    return "ExplicitCredentials[user=" + user + ", password=" + (password == null ? "none" : "***") + ", replacing="
        + replacing + "]";
  }
}
