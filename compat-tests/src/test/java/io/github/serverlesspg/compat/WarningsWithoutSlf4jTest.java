package io.github.serverlesspg.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.util.Log;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * This module's class path has no SLF4J provider (and the oldest set has no SLF4J API at all), like a typical AWS
 * Lambda function: the driver's warnings still reach the user, through {@code System.Logger} (java.util.logging here).
 */
class WarningsWithoutSlf4jTest {
  private final Logger driverLogger = Logger.getLogger("io.github.serverlesspg");
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @BeforeEach
  void capture() {
    driverLogger.addHandler(capture);
  }

  @AfterEach
  void release() {
    driverLogger.removeHandler(capture);
  }

  @Test
  void theClassPathHasNoSlf4jProvider() {
    boolean api = getClass().getClassLoader().getResource("org/slf4j/LoggerFactory.class") != null;
    assertThat(api ? "present" : "absent").isEqualTo(System.getProperty("compat.slf4j.api"));
    assertThat(getClass().getClassLoader().getResource("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"))
        .isNull();
    assertThat(Log.backend()).isEqualTo("system");
  }

  @Test
  void aMistypedPropertyIsReportedWithItsHint() throws Exception {

    ServerlessPgDriver.explain("jdbc:serverless-pg://db.example.com/app?mod=transaction&password=hunter2",
        new Properties());

    assertThat(records).anySatisfy(record -> {
      assertThat(record.getLevel()).isEqualTo(Level.WARNING);
      assertThat(record.getLoggerName()).startsWith("io.github.serverlesspg.");
      assertThat(record.getMessage()).contains("'mod'", "did you mean 'mode'?");
    });
    assertThat(records).noneSatisfy(record -> assertThat(record.getMessage()).contains("hunter2"));
  }

  @Test
  void debugAndInfoStayQuietWithoutAProvider() {
    Log log = Log.of(WarningsWithoutSlf4jTest.class);
    assertThat(log.isDebugEnabled()).isFalse();
    assertThat(log.isInfoEnabled()).isFalse();
    log.info("not printed {}", 1);
    log.warn("printed {} of {}", 1, 2, new IllegalStateException("the cause"));

    assertThat(records).singleElement().satisfies(record -> {
      assertThat(record.getMessage()).isEqualTo("printed 1 of 2");
      assertThat(record.getThrown()).hasMessage("the cause");
    });
  }
}
