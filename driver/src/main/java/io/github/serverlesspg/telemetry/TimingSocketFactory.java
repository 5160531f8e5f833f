package io.github.serverlesspg.telemetry;

import io.github.serverlesspg.physical.LoginSocketFactory;
import java.net.Socket;
import java.util.Properties;

/**
 * pgjdbc's {@code socketFactory} when telemetry is on (unless the user set their own): the driver's
 * {@link LoginSocketFactory}, whose sockets also time the TCP connect of a new physical connection.
 */
public final class TimingSocketFactory extends LoginSocketFactory {
  public TimingSocketFactory() {
  }

  /** The constructor pgjdbc looks for first (see {@link LoginSocketFactory#LoginSocketFactory(Properties)}). */
  public TimingSocketFactory(Properties connectionProperties) {
  }

  @Override
  protected Socket newSocket() {
    return new TimedSocket();
  }
}
