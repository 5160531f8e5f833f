package io.github.serverlesspg.routing.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.spi.PoolerProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class BuiltInProvidersRegistrationTest {
  @Test
  void serviceLoaderFindsEveryBuiltInProvider() {
    assertThat(ServiceLoader.load(PoolerProvider.class).stream().map(ServiceLoader.Provider::get))
        .extracting(PoolerProvider::name)
        .contains("neon", "supabase", "rds-proxy");
  }
}
