package io.github.serverlesspg.util;

/**
 * The driver's logger: SLF4J when the application has an SLF4J provider (Logback, Log4j, slf4j-simple, ...), else
 * {@link System.Logger} (java.util.logging unless the platform is configured otherwise) for warnings, so that they
 * reach the user of an application without SLF4J, a typical AWS Lambda function, instead of vanishing into SLF4J's
 * no-op logger. Without a provider, debug and info messages are dropped as before: they are what a provider is for,
 * and sending them to the console would print the first-connect report of every cold start.
 *
 * <p>Messages use SLF4J's {@code {}} placeholders; a last argument that is a {@link Throwable} is logged as the
 * cause. The backend is chosen once per process, at the first message or level check,
 * never at class load: a {@code static final Log} field costs one small object, and an application that never logs
 * never loads SLF4J or the system logger. Nothing on the hot path logs.
 */
public final class Log {
  private final String name;
  private volatile Sink sink;

  private Log(String name) {
    this.name = name;
  }

  public static Log of(Class<?> owner) {
    return new Log(owner.getName());
  }

  /** Which backend this process uses: "slf4j" or "system" (warnings only). For diagnostics and tests. */
  public static String backend() {
    return Choice.SLF4J ? "slf4j" : "system";
  }

  public boolean isDebugEnabled() {
    return sink().isDebugEnabled();
  }

  public boolean isInfoEnabled() {
    return sink().isInfoEnabled();
  }

  public void debug(String format, Object... arguments) {
    Sink current = sink();
    if (current.isDebugEnabled()) {
      current.debug(format, arguments);
    }
  }

  public void info(String format, Object... arguments) {
    Sink current = sink();
    if (current.isInfoEnabled()) {
      current.info(format, arguments);
    }
  }

  public void warn(String format, Object... arguments) {
    sink().warn(format, arguments);
  }

  private Sink sink() {
    Sink current = sink;
    if (current == null) {
      // racing threads may each create one; they are interchangeable
      current = Choice.SLF4J ? new Slf4jSink(name) : new SystemSink(name);
      sink = current;
    }
    return current;
  }

  /**
   * {@code format} with each {@code {}} replaced by the next argument, exactly as SLF4J's {@code MessageFormatter}
   * does it (a backslash before {@code {}} keeps it literal, a doubled one prints one backslash and substitutes; a
   * trailing {@link Throwable} is the cause, never an argument), so a message reads the same on either backend.
   */
  static String format(String format, Object[] arguments) {
    int count = cause(arguments) == null ? arguments.length : arguments.length - 1;
    if (count == 0) {
      return format;
    }
    StringBuilder text = new StringBuilder(format.length() + 16 * count);
    int from = 0;
    for (int next = 0; next < count; next++) {
      int at = format.indexOf("{}", from);
      if (at < 0) {
        break;
      }
      boolean escaped = at > 0 && format.charAt(at - 1) == '\\';
      if (escaped && !(at > 1 && format.charAt(at - 2) == '\\')) {
        text.append(format, from, at - 1).append('{');
        from = at + 1;
        next--;
      } else {
        text.append(format, from, escaped ? at - 1 : at);
        appendArgument(text, arguments[next]);
        from = at + 2;
      }
    }
    return text.append(format, from, format.length()).toString();
  }

  private static void appendArgument(StringBuilder text, Object argument) {
    if (argument instanceof Object[] array) {
      text.append(java.util.Arrays.deepToString(array));
      return;
    }
    try {
      text.append(argument);
    } catch (RuntimeException failed) {
      text.append("[FAILED toString()]");
    }
  }

  /** The cause to log: a last argument that is a Throwable, as SLF4J takes it. */
  static Throwable cause(Object[] arguments) {
    return arguments.length > 0 && arguments[arguments.length - 1] instanceof Throwable thrown ? thrown : null;
  }

  /** Decided once per process, at the first use of any Log. */
  private static final class Choice {
    static final boolean SLF4J = slf4jHasProvider();

    private static boolean slf4jHasProvider() {
      try {
        Class.forName("org.slf4j.LoggerFactory", false, Log.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError absent) {
        return false;
      }
      return Slf4jSink.hasProvider();
    }
  }

  private interface Sink {
    boolean isDebugEnabled();

    boolean isInfoEnabled();

    void debug(String format, Object[] arguments);

    void info(String format, Object[] arguments);

    void warn(String format, Object[] arguments);
  }

  /** Loaded only when the SLF4J API is on the class path. */
  private static final class Slf4jSink implements Sink {
    private final org.slf4j.Logger logger;

    Slf4jSink(String name) {
      this.logger = org.slf4j.LoggerFactory.getLogger(name);
    }

    /**
     * SLF4J without a provider (2.x) or binding (1.7) falls back to its no-op factory, after printing its own
     * "no providers" notice once.
     */
    static boolean hasProvider() {
      return !(org.slf4j.LoggerFactory.getILoggerFactory() instanceof org.slf4j.helpers.NOPLoggerFactory);
    }

    @Override
    public boolean isDebugEnabled() {
      return logger.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
      return logger.isInfoEnabled();
    }

    @Override
    public void debug(String format, Object[] arguments) {
      logger.debug(format, arguments);
    }

    @Override
    public void info(String format, Object[] arguments) {
      logger.info(format, arguments);
    }

    @Override
    public void warn(String format, Object[] arguments) {
      logger.warn(format, arguments);
    }
  }

  /** Warnings to {@link System.Logger}, created at the first warning so that a quiet process never loads it. */
  private static final class SystemSink implements Sink {
    private final String name;
    private volatile System.Logger logger;

    SystemSink(String name) {
      this.name = name;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return false;
    }

    @Override
    public void debug(String format, Object[] arguments) {
    }

    @Override
    public void info(String format, Object[] arguments) {
    }

    @Override
    public void warn(String format, Object[] arguments) {
      System.Logger current = logger;
      if (current == null) {
        current = System.getLogger(name);
        logger = current;
      }
      if (current.isLoggable(System.Logger.Level.WARNING)) {
        current.log(System.Logger.Level.WARNING, format(format, arguments), cause(arguments));
      }
    }
  }
}
