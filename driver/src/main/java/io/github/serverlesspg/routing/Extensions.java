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
    sortedProviders.sort(new ProviderOrder());
    List<PlatformDetector> sortedDetectors = new ArrayList<>(detectors);
    sortedDetectors.sort(new DetectorOrder());
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

  // The orders are classes, not Comparator lambdas: the first connect should not pay a lambda bootstrap.

  /** Higher priority first, then by name. */
  private static final class ProviderOrder implements Comparator<PoolerProvider> {
    @Override
    public int compare(PoolerProvider a, PoolerProvider b) {
      int byPriority = Integer.compare(b.priority(), a.priority());
      return byPriority != 0 ? byPriority : a.name().compareTo(b.name());
    }
  }

  /** Higher priority first, then by name. */
  private static final class DetectorOrder implements Comparator<PlatformDetector> {
    @Override
    public int compare(PlatformDetector a, PlatformDetector b) {
      int byPriority = Integer.compare(b.priority(), a.priority());
      return byPriority != 0 ? byPriority : a.name().compareTo(b.name());
    }
  }

  /** Loaded on first use only: the holder idiom keeps class loading of the driver free of ServiceLoader scans. */
  private static final class Installed {
    static final Extensions INSTANCE = new Extensions(load(PoolerProvider.class), load(PlatformDetector.class));

    private static <T> List<T> load(Class<T> type) {
      List<T> found = new ArrayList<>();
      for (T extension : ServiceLoader.load(type, Extensions.class.getClassLoader())) {
        found.add(extension);
      }
      return found;
    }
  }
}
