package io.github.serverlesspg.telemetry;

import static io.github.serverlesspg.telemetry.SemanticAttributes.CONNECTION_STATE;
import static io.github.serverlesspg.telemetry.SemanticAttributes.ORIGIN;
import static io.github.serverlesspg.telemetry.SemanticAttributes.POOL_NAME;

import io.github.serverlesspg.physical.PhysicalConnection;
import io.github.serverlesspg.physical.PoolStats;
import io.github.serverlesspg.util.Log;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.ObservableLongUpDownCounter;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Everything telemetry keeps per target ({@code host:port/database}, the {@code db.client.connection.pool.name}):
 * statement statistics for health, the pool observer, the asynchronous pool gauges and the JMX MBean.
 */
final class TargetTelemetry {
  private static final Log LOG = Log.of(TargetTelemetry.class);
  private static final PhysicalConnection.Origin[] ORIGINS = PhysicalConnection.Origin.values();

  private final String name;
  private final PoolDirectory directory;
  /** Built on first use with an OpenTelemetry instance: without one, no OpenTelemetry class is loaded. */
  private volatile TargetAttributes attributes;
  private final QueryStats queryStats = new QueryStats();
  private final PoolMetrics poolMetrics = new PoolMetrics(this);
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Instruments gaugesFor;
  private ObservableLongUpDownCounter[] gauges;
  /** Open pools of this target whose plan has telemetry; guarded by {@link #lock}. */
  private int openPools;
  /** The name this driver registered its MBean under, or null; guarded by {@link #lock}. */
  private ObjectName mbean;

  TargetTelemetry(String name, PoolDirectory directory) {
    this.name = name;
    this.directory = directory;
  }

  static String originName(PhysicalConnection.Origin origin) {
    return origin.name().toLowerCase(Locale.ROOT);
  }

  String name() {
    return name;
  }

  Attributes poolAttributes() {
    return attributes().pool;
  }

  Attributes connectAttributes(PhysicalConnection.Origin origin) {
    return attributes().connect[origin.ordinal()];
  }

  private TargetAttributes attributes() {
    TargetAttributes current = attributes;
    if (current == null) {
      current = new TargetAttributes(name); // racing threads build equal copies
      attributes = current;
    }
    return current;
  }

  /** The metric attributes of this target's pool. */
  private static final class TargetAttributes {
    final Attributes pool;
    final Attributes idle;
    final Attributes used;
    final Attributes[] connect = new Attributes[ORIGINS.length];

    TargetAttributes(String name) {
      pool = Attributes.of(POOL_NAME, name);
      idle = Attributes.of(POOL_NAME, name, CONNECTION_STATE, "idle");
      used = Attributes.of(POOL_NAME, name, CONNECTION_STATE, "used");
      for (PhysicalConnection.Origin origin : ORIGINS) {
        connect[origin.ordinal()] = Attributes.of(POOL_NAME, name, ORIGIN, originName(origin));
      }
    }
  }

  QueryStats queryStats() {
    return queryStats;
  }

  PoolMetrics poolMetrics() {
    return poolMetrics;
  }

  PoolStats poolStats() {
    return directory.stats(name);
  }

  /** Registers the pool gauges with the current meter; a no-op unless the OpenTelemetry instance changed. */
  void ensureGauges(Instruments instruments) {
    if (gaugesFor == instruments) {
      return;
    }
    lock.lock();
    try {
      if (gaugesFor == instruments) {
        return;
      }
      if (gauges != null) {
        for (ObservableLongUpDownCounter gauge : gauges) {
          gauge.close();
        }
      }
      TargetAttributes attributes = attributes();
      gauges = new ObservableLongUpDownCounter[] {
          instruments.meter.upDownCounterBuilder("db.client.connection.count").setUnit("{connection}")
              .setDescription("The number of connections that are currently in state described by the state "
                  + "attribute.")
              .buildWithCallback(measurement -> {
                PoolStats stats = poolStats();
                measurement.record(stats.idle(), attributes.idle);
                measurement.record(stats.active(), attributes.used);
              }),
          instruments.meter.upDownCounterBuilder("db.client.connection.max").setUnit("{connection}")
              .setDescription("The maximum number of open connections allowed.")
              .buildWithCallback(measurement -> measurement.record(poolStats().limit(), attributes.pool)),
          instruments.meter.upDownCounterBuilder("db.client.connection.pending_requests").setUnit("{request}")
              .setDescription("The number of current pending requests for an open connection.")
              .buildWithCallback(measurement -> measurement.record(poolStats().waiting(), attributes.pool))
      };
      gaugesFor = instruments;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A pool of this target opened; registers {@code io.github.serverlesspg:type=Pool,name="<target>"} if {@code jmx}
   * asks for it and it is not registered yet (never at class load: the platform MBean server is not free to start;
   * see {@link JmxPolicy}).
   */
  void poolOpened(boolean jmx, String mode, String endpoint) {
    lock.lock();
    try {
      openPools++;
      if (!jmx || mbean != null) {
        return;
      }
      ObjectName objectName = objectName(name);
      ManagementFactory.getPlatformMBeanServer().registerMBean(new TargetMBean(this, mode, endpoint), objectName);
      mbean = objectName;
    } catch (InstanceAlreadyExistsException e) {
      // Another copy of the driver (another class loader) reports this target already; it is not ours to remove.
    } catch (JMException | RuntimeException e) {
      LOG.debug("serverless-pg: could not register the JMX MBean for {}: {}", name, e.toString());
    } finally {
      lock.unlock();
    }
  }

  /**
   * A pool of this target closed (closed by the application, evicted, or the driver shut down): once none is open,
   * the target's MBean is unregistered, so that closed pools leave nothing behind in the MBean server (whose
   * reference to the MBean would keep this driver's class loader alive after a redeploy).
   */
  void poolClosed() {
    lock.lock();
    try {
      openPools = Math.max(0, openPools - 1);
      if (openPools > 0 || mbean == null) {
        return;
      }
      ObjectName registered = mbean;
      mbean = null;
      ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
    } catch (InstanceNotFoundException e) {
      // Someone else unregistered it already.
    } catch (JMException | RuntimeException e) {
      LOG.debug("serverless-pg: could not unregister the JMX MBean for {}: {}", name, e.toString());
    } finally {
      lock.unlock();
    }
  }

  static ObjectName objectName(String target) throws JMException {
    return new ObjectName("io.github.serverlesspg:type=Pool,name=" + ObjectName.quote(target));
  }
}
