package io.github.serverlesspg.testsupport;

/** Starts and stops one server process (local or container) while its address stays the same. */
interface ServerControl {

  /** Starts the server again after {@link #stop()}, on the same port; returns once it accepts connections. */
  void start();

  /** Stops the server; does nothing when it is not running. */
  void stop();

  /** Stops the server for good and deletes its data; logs are kept. */
  void destroy();
}
