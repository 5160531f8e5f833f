package io.github.serverlesspg.config;

import io.github.serverlesspg.spi.Endpoint;
import java.util.List;
import java.util.Map;

/**
 * What a {@code jdbc:serverless-pg:} URL says, in pgjdbc's vocabulary: the endpoints, the database and the
 * parameters (ours and pgjdbc's, libpq names already translated). Holds the password when the URL carries one, so
 * {@link #toString()} masks it.
 *
 * @param endpoints the hosts in URL order, at least one
 * @param database the database name, or null when the URL names none (pgjdbc then uses the user name)
 * @param parameters parameters in URL order, including {@code user} and {@code password} from user info
 * @param environmentVariable the variable the URL was read from ({@code env:NAME} form), or null
 */
public record ParsedUrl(List<Endpoint> endpoints, String database, Map<String, String> parameters,
    String environmentVariable) {

  public ParsedUrl {
    endpoints = List.copyOf(endpoints);
    parameters = Map.copyOf(parameters);
  }

  @Override
  public String toString() {
    return "ParsedUrl[endpoints=" + endpoints + ", database=" + database + ", parameters="
        + Secrets.mask(parameters) + ", environmentVariable=" + environmentVariable + "]";
  }
}
