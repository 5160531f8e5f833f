package io.github.serverlesspg.cli;

/** {@code java -jar serverless-pg-cli.jar <command> ...}: runs {@link Cli} on the console and exits with its code. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    int code = new Cli(System.out, System.err).run(args);
    System.out.flush();
    System.exit(code);
  }
}
