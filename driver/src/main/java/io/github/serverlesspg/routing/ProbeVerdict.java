package io.github.serverlesspg.routing;

/**
 * What the probe found behind an endpoint on its first physical connection: a pooler or PostgreSQL itself, and the
 * evidence, for {@code explain} and the connect span.
 *
 * <p>The signal: a pooler answers the startup with BackendKeyData of its own, so the process id pgjdbc received
 * ({@code PGConnection.getBackendPID()}) differs from the one the server reports ({@code select pg_backend_pid()});
 * straight to PostgreSQL both are the same process. A transaction-mode pooler cannot do otherwise: its client is not
 * bound to one server connection, so it must answer cancel requests itself, with a key of its own (checked with
 * PgBouncer 1.18, transaction and session pools). A session-mode pooler that forwarded the server's key would be
 * taken for the server, which is harmless: session state is safe behind it.
 */
public final class ProbeVerdict {
  /** The two answers. */
  public enum Kind {
    /** Something between the client and PostgreSQL: treated as a transaction-mode pooler. */
    POOLER,
    /** PostgreSQL itself. */
    SERVER
  }

  private final Kind kind;
  private final String evidence;

  public ProbeVerdict(Kind kind, String evidence) {
    this.kind = kind;
    this.evidence = evidence;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isPooler() {
    return kind == Kind.POOLER;
  }

  /** How the verdict was reached, e.g. {@code BackendKeyData process id 1234 = pg_backend_pid() 1234}. */
  public String evidence() {
    return evidence;
  }

  /** The value of the connect span's {@code serverless_pg.probe.result} attribute: {@code pooler} or {@code server}. */
  public String attributeValue() {
    return kind == Kind.POOLER ? "pooler" : "server";
  }

  @Override
  public String toString() {
    return attributeValue() + " (" + evidence + ")";
  }
}
