package io.github.serverlesspg.config;

import io.github.serverlesspg.spi.Endpoint;
import java.util.List;
import java.util.Map;

/**
 * What a {@code jdbc:serverless-pg:} URL says, in pgjdbc's vocabulary: the endpoints, the database, the user info and
 * the parameters (ours and pgjdbc's, libpq names already translated). Holds the password when the URL carries one,
 * so {@link #toString()} masks it.
 *
 * @param endpoints the hosts in URL order, at least one
 * @param database the database name, or null when the URL names none (pgjdbc then uses the user name)
 * @param parameters query parameters in URL order ({@code user} and {@code password} only when written as
 *     {@code ?user=...&password=...}); for {@code env:NAME?k=v} the variable's parameters overridden by those after
 *     the name
 * @param userInfo {@code user} and {@code password} from the user info of a {@code postgresql://user:password@host}
 *     connection string, empty when there is none; explicit {@code Properties} take precedence over these
 * @param environmentVariable the variable the URL was read from ({@code env:NAME} form), or null
 */
public record ParsedUrl(List<Endpoint> endpoints, String database, Map<String, String> parameters,
    Map<String, String> userInfo, String environmentVariable) {

  public ParsedUrl {
    endpoints = List.copyOf(endpoints);
    parameters = Map.copyOf(parameters);
    userInfo = Map.copyOf(userInfo);
  }

  @Override
  public String toString() {
    return "ParsedUrl[endpoints=" + endpoints + ", database=" + database + ", parameters="
        + Secrets.mask(parameters) + ", userInfo=" + Secrets.mask(userInfo) + ", environmentVariable="
        + environmentVariable + "]";
  }
}
