package io.github.serverlesspg.routing;

import io.github.serverlesspg.spi.PlatformDetector;
import io.github.serverlesspg.spi.PoolerProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The pooler providers and platform detectors on the class path, loaded once on first use (never at driver
 * registration, which must stay cheap) and ordered by priority, then name, so that routing is deterministic.
 */
public final class Extensions {
  private final List<PoolerProvider> providers;
  private final List<PlatformDetector> detectors;

  public Extensions(List<PoolerProvider> providers, List<PlatformDetector> detectors) {
    List<PoolerProvider> sortedProviders = new ArrayList<>(providers);
    sortedProviders.sort(Comparator.comparingInt(PoolerProvider::priority).reversed()
        .thenComparing(PoolerProvider::name));
    List<PlatformDetector> sortedDetectors = new ArrayList<>(detectors);
    sortedDetectors.sort(Comparator.comparingInt(PlatformDetector::priority).reversed()
        .thenComparing(PlatformDetector::name));
    this.providers = List.copyOf(sortedProviders);
    this.detectors = List.copyOf(sortedDetectors);
  }

  /** The extensions found by {@link ServiceLoader} in the driver's class loader. */
  public static Extensions installed() {
    return Installed.INSTANCE;
  }

  public List<PoolerProvider> providers() {
    return providers;
  }

  public List<PlatformDetector> detectors() {
    return detectors;
  }

  /** Loaded on first use only: the holder idiom keeps class loading of the driver free of ServiceLoader scans. */
  private static final class Installed {
    static final Extensions INSTANCE = new Extensions(load(PoolerProvider.class), load(PlatformDetector.class));

    private static <T> List<T> load(Class<T> type) {
      List<T> found = new ArrayList<>();
      ServiceLoader.load(type, Extensions.class.getClassLoader()).forEach(found::add);
      return found;
    }
  }
}
