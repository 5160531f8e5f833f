package io.github.serverlesspg.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PgBouncer's admin console (virtual database {@code pgbouncer}), reached with psql: the console rejects every
 * SET, and pgjdbc always sends {@code SET extra_float_digits} to a server reporting a version below 12, which
 * the console (reporting PgBouncer's own version) does.
 */
public final class PgBouncerAdmin {

  private static final String SEPARATOR = "\u001f";

  private final Psql psql;
  private final String host;
  private final int port;
  private final Credentials credentials;

  /** host and port as seen from where psql runs. */
  PgBouncerAdmin(Psql psql, String host, int port, Credentials credentials) {
    this.psql = psql;
    this.host = host;
    this.port = port;
    this.credentials = credentials;
  }

  public List<Map<String, String>> pools() {
    return show("POOLS");
  }

  public List<Map<String, String>> clients() {
    return show("CLIENTS");
  }

  public List<Map<String, String>> servers() {
    return show("SERVERS");
  }

  /** {@code SHOW <what>} as rows of column name to text value (empty for NULL), in column order. */
  public List<Map<String, String>> show(String what) {
    String[] lines = execute("SHOW " + what).split("\n");
    List<Map<String, String>> rows = new ArrayList<>();
    if (lines.length == 0 || lines[0].isEmpty()) {
      return rows;
    }
    String[] columns = lines[0].split(SEPARATOR, -1);
    for (int i = 1; i < lines.length; i++) {
      String[] values = lines[i].split(SEPARATOR, -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < columns.length; c++) {
        row.put(columns[c], c < values.length ? values[c] : "");
      }
      rows.add(row);
    }
    return rows;
  }

  /** An admin command without result, e.g. {@code RECONNECT}, {@code KILL app}, {@code RESUME app}. */
  public void command(String command) {
    execute(command);
  }

  private String execute(String command) {
    List<String> arguments = List.of("-X", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-A", "-F", SEPARATOR,
        "-P", "footer=off", "-h", host, "-p", String.valueOf(port), "-U", credentials.user(),
        "-d", "pgbouncer", "-c", command);
    return psql.run(arguments, Map.of("PGPASSWORD", credentials.password(), "PGSSLMODE", "disable",
        "PGCONNECT_TIMEOUT", "10", "PGAPPNAME", "spg-fixture-admin"));
  }

  @Override
  public String toString() {
    return "PgBouncerAdmin{" + host + ":" + port + "/pgbouncer, user=" + credentials.user() + "}";
  }
}
