package io.github.serverlesspg.benchmarks.stub;

import java.sql.SQLClientInfoException;
import java.sql.SQLFeatureNotSupportedException;

/** The failures of stub methods a benchmark does not call: loud, so that a benchmark never measures a no-op. */
final class Unsupported {
  private Unsupported() {
  }

  static SQLFeatureNotSupportedException method(String name) {
    return new SQLFeatureNotSupportedException(
        "stub JDBC object: " + name + " is outside what the benchmark stub supports");
  }

  static SQLClientInfoException clientInfo() {
    return new SQLClientInfoException(
        "stub JDBC object: setClientInfo is outside what the benchmark stub supports", null);
  }
}
