package io.github.serverlesspg.routing.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class NeonPoolerProviderTest {
  private static final Endpoint DIRECT = new Endpoint("ep-cool-darkness-123456.us-east-2.aws.neon.tech", 5432);
  private static final Endpoint POOLED = new Endpoint("ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech", 5432);

  private final NeonPoolerProvider neon = new NeonPoolerProvider();

  @Test
  void transactionModeInsertsPoolerAfterTheEndpointId() {
    assertThat(neon.route(DIRECT, ConnectionMode.TRANSACTION)).isEqualTo(POOLED);
  }

  @Test
  void transactionModeKeepsAPoolerHostAsItIs() {
    assertThat(neon.route(POOLED, ConnectionMode.TRANSACTION)).isSameAs(POOLED);
  }

  @ParameterizedTest
  @EnumSource(value = ConnectionMode.class, names = {"SESSION", "DIRECT"})
  void sessionAndDirectModeConnectToTheComputeItself(ConnectionMode mode) {
    assertThat(neon.route(POOLED, mode)).isEqualTo(DIRECT);
    assertThat(neon.route(DIRECT, mode)).isSameAs(DIRECT);
  }

  @Test
  void keepsTheConfiguredPort() {
    assertThat(neon.route(DIRECT.withPort(6432), ConnectionMode.TRANSACTION)).isEqualTo(POOLED.withPort(6432));
  }

  @Test
  void recognizesAzureRegionsAndUpperCaseHosts() {
    Endpoint azure = new Endpoint("EP-Quiet-Field-a1b2c3d4.EastUS2.Azure.Neon.Tech", 5432);
    assertThat(neon.recognizes(azure)).isTrue();
    assertThat(neon.route(azure, ConnectionMode.TRANSACTION).host())
        .isEqualTo("ep-quiet-field-a1b2c3d4-pooler.eastus2.azure.neon.tech");
  }

  @Test
  void onlyThePoolerHostIsATransactionPooler() {
    assertThat(neon.isTransactionPooler(POOLED)).isTrue();
    assertThat(neon.isTransactionPooler(DIRECT)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "example.com",
      "neon.tech",
      "console.neon.tech",
      "ep-cool-darkness-123456.neon.tech",
      "neon.tech.evil.com",
      "ep-cool-darkness-123456.us-east-2.aws.neon.tech.evil.com",
      "ep-cool-darkness-123456.us-east-2.aws.notneon.tech",
      "db.abcdefghijklmnopqrst.supabase.co",
      "127.0.0.1",
      "::1"})
  void doesNotRecognizeOtherHosts(String host) {
    assertThat(neon.recognizes(new Endpoint(host, 5432))).isFalse();
  }

  @Test
  void supportsProtocolPreparedStatements() {
    assertThat(neon.supportsProtocolPreparedStatements()).isTrue();
  }
}
