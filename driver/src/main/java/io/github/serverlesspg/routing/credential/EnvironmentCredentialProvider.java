package io.github.serverlesspg.routing.credential;

import io.github.serverlesspg.config.Environment;
import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.spi.CredentialProvider;
import io.github.serverlesspg.spi.CredentialRequest;
import java.sql.SQLException;

/**
 * {@code credentialProvider=env}: the password is the value of the environment variable named by
 * {@code credentialSource}, read on every new physical connection; for platforms that inject the secret as a
 * variable (AWS Lambda with a Secrets Manager extension writing to the environment of a new instance, Cloud Run
 * secrets, Kubernetes {@code secretKeyRef}), so that the password never has to be written into the URL.
 */
public final class EnvironmentCredentialProvider implements CredentialProvider {
  public static final String NAME = "env";

  private final Environment environment;

  public EnvironmentCredentialProvider(Environment environment) {
    this.environment = environment;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String password(CredentialRequest request) throws SQLException {
    String variable = CredentialSources.required(request, NAME,
        "VARIABLE, the environment variable that holds the password");
    String password = environment.get(variable);
    if (password == null) {
      throw SqlStates.unableToConnect("Environment variable " + variable + " (credentialProvider=env) is not set "
          + "or is blank: set it to the password.");
    }
    return password;
  }

  /** Equal for the same environment: interchangeable. */
  @Override
  public boolean equals(Object other) {
    return other instanceof EnvironmentCredentialProvider
        && ((EnvironmentCredentialProvider) other).environment == environment;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(environment);
  }

  @Override
  public String toString() {
    return "EnvironmentCredentialProvider";
  }
}
