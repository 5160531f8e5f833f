package io.github.serverlesspg.cli;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.cli.demo.Demo;
import io.github.serverlesspg.cli.doctor.Doctor;
import io.github.serverlesspg.cli.doctor.DoctorReport;
import io.github.serverlesspg.config.Environment;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The commands. Returns exit codes instead of exiting, so tests run it in-process: 0 fine, 1 problems found,
 * 2 cannot connect (or cannot start), 64 wrong usage.
 */
public final class Cli {
  public static final int OK = 0;
  public static final int PROBLEMS = 1;
  public static final int CANNOT_CONNECT = 2;
  public static final int USAGE = 64;

  static final String USAGE_TEXT = String.join("\n",
      "serverless-pg " + ServerlessPgDriver.version(),
      "",
      "usage: java -jar serverless-pg-cli.jar <command> [options]",
      "",
      "commands:",
      "  explain URL          what the driver will do with URL: mode and why, endpoint, prepare policy, limits",
      "                       (opens no connection)",
      "  doctor [--json] URL  connects and checks DNS, TCP, TLS, authentication, pooler, server, connection",
      "                       limits and the serverless checklist; exit 0 fine, 1 problems, 2 cannot connect",
      "  demo                 starts a throwaway PostgreSQL and a transaction-mode PgBouncer, and shows plain",
      "                       pgjdbc failing behind the pooler and this driver not (needs the local binaries)",
      "  version              the driver version",
      "",
      "URL is a jdbc:serverless-pg: URL, e.g. jdbc:serverless-pg://host:5432/db?user=app, or",
      "jdbc:serverless-pg:env:DATABASE_URL to read the connection string (and its password) from the environment,",
      "which keeps the password off the command line. Passwords are never printed.",
      "");

  private final PrintStream out;
  private final PrintStream err;

  public Cli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public int run(String... args) {
    if (args.length == 0 || isHelp(args[0])) {
      (args.length == 0 ? err : out).print(USAGE_TEXT);
      return args.length == 0 ? USAGE : OK;
    }
    List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
    switch (args[0]) {
      case "explain":
        return explain(rest);
      case "doctor":
        return doctor(rest);
      case "demo":
        return rest.isEmpty() ? new Demo(out, err).run() : usage("demo takes no arguments");
      case "version":
      case "--version":
        out.println(ServerlessPgDriver.version());
        return OK;
      default:
        return usage("unknown command '" + args[0] + "'");
    }
  }

  private int explain(List<String> args) {
    if (args.size() != 1) {
      return usage("explain takes one URL");
    }
    String url = normalize(args.get(0));
    try {
      out.print(ServerlessPgDriver.explain(url, new Properties()));
      return OK;
    } catch (SQLException e) {
      err.println("error: " + UrlMasking.mask(e.getMessage()) + " (SQLSTATE " + e.getSQLState() + ")");
      return CANNOT_CONNECT;
    }
  }

  private int doctor(List<String> args) {
    boolean json = args.remove("--json");
    if (args.size() != 1 || args.get(0).startsWith("--")) {
      return usage("doctor takes one URL and optionally --json");
    }
    DoctorReport report = new Doctor(Environment.system()).examine(normalize(args.get(0)));
    out.print(json ? report.toJson() : report.toText());
    return report.exitCode();
  }

  /** Accepts the dashboard form {@code postgresql://...} too, as a user would paste it. */
  static String normalize(String url) {
    if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
      return "jdbc:serverless-pg:" + url;
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return "jdbc:serverless-pg:" + url.substring("jdbc:postgresql:".length());
    }
    return url;
  }

  private int usage(String problem) {
    err.println("error: " + problem);
    err.print(USAGE_TEXT);
    return USAGE;
  }

  private static boolean isHelp(String arg) {
    return arg.equals("help") || arg.equals("--help") || arg.equals("-h");
  }
}
