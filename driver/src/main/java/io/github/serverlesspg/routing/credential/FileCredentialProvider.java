package io.github.serverlesspg.routing.credential;

import io.github.serverlesspg.config.SqlStates;
import io.github.serverlesspg.spi.CredentialProvider;
import io.github.serverlesspg.spi.CredentialRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * {@code credentialProvider=file}: the password is the content of the file named by {@code credentialSource}, read
 * on every new physical connection, so a secret that a rotation rewrites (a Kubernetes or Secrets Store CSI mount,
 * Vault agent, a file an init step writes) is picked up without a restart. Trailing line breaks are dropped: secret
 * files usually end with one, passwords do not. Stateless: every instance is interchangeable.
 */
public final class FileCredentialProvider implements CredentialProvider {
  public static final String NAME = "file";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String password(CredentialRequest request) throws SQLException {
    String source = CredentialSources.required(request, NAME, "PATH, the file that holds the password");
    String content;
    try {
      content = Files.readString(Path.of(source), StandardCharsets.UTF_8);
    } catch (IOException | InvalidPathException e) {
      throw SqlStates.unableToConnect("Cannot read the password file '" + source + "' (credentialProvider=file): "
          + e.getClass().getSimpleName() + ". Check that it exists and that this process may read it.", e);
    }
    int end = content.length();
    while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
      end--;
    }
    if (end == 0) {
      throw SqlStates.unableToConnect("The password file '" + source + "' (credentialProvider=file) is empty.");
    }
    return content.substring(0, end);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FileCredentialProvider;
  }

  @Override
  public int hashCode() {
    return NAME.hashCode();
  }

  @Override
  public String toString() {
    return "FileCredentialProvider";
  }
}
