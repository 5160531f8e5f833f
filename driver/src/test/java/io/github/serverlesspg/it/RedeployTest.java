package io.github.serverlesspg.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.testsupport.PostgresServer;
import io.github.serverlesspg.testsupport.RealDatabase;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A webapp reload: the driver's classes in a class loader of their own (as a container loads an application's
 * libraries), used against PostgreSQL with leak detection on (which starts the timer thread), then
 * {@link ServerlessPgDriver#shutdown()}: afterwards no thread of the driver runs, DriverManager no longer knows it and
 * the class loader can be collected.
 */
@RealDatabase
class RedeployTest {

  @Test
  void aShutDownDriverLeavesNoThreadAndNoReferenceToItsClassLoader(PostgresServer postgres) throws Exception {
    // Other tests of this JVM may run the driver's threads from the test class loader: only new ones count.
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    WeakReference<ClassLoader> loader = deployUseAndShutDown(postgres);
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("serverless-pg") && !before.contains(thread)) {
        thread.join(10_000);
        assertThat(thread.isAlive()).as("%s still runs", thread.getName()).isFalse();
      }
    }
    for (int attempt = 0; attempt < 50 && loader.get() != null; attempt++) {
      System.gc();
    }
    assertThat(loader.get()).as("the application's class loader was collected").isNull();
  }

  private static WeakReference<ClassLoader> deployUseAndShutDown(PostgresServer postgres) throws Exception {
    URL classes = ServerlessPgDriver.class.getProtectionDomain().getCodeSource().getLocation();
    ApplicationClassLoader loader = new ApplicationClassLoader(classes, RedeployTest.class.getClassLoader());
    Class<?> driverClass = Class.forName(ServerlessPgDriver.class.getName(), true, loader);
    assertThat(driverClass).isNotSameAs(ServerlessPgDriver.class);
    Driver driver = (Driver) driverClass.getConstructor().newInstance();
    Properties credentials = new Properties();
    credentials.putAll(postgres.credentials());
    String url = Targets.direct(postgres, "redeploy", "telemetry=off&leakDetectionThreshold=60000");
    try (Connection connection = driver.connect(url, credentials);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("select 1")) {
      assertThat(result.next()).isTrue();
    }
    // DriverManager holds the registered instance (it hides it from this test's class loader, so only the collected
    // class loader below shows that shutdown deregistered it).
    driverClass.getMethod("shutdown").invoke(null);
    loader.close();
    return new WeakReference<>(loader);
  }

  /** Child first for the driver's own classes (not the SPI, which the parent shares), as a webapp loader. */
  private static final class ApplicationClassLoader extends URLClassLoader {
    ApplicationClassLoader(URL classes, ClassLoader parent) {
      super(new URL[] {classes}, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith("io.github.serverlesspg.") || name.startsWith("io.github.serverlesspg.spi.")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          try {
            loaded = findClass(name);
          } catch (ClassNotFoundException notOurs) {
            loaded = super.loadClass(name, false);
          }
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }
  }
}
