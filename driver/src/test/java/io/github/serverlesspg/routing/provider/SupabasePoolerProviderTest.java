package io.github.serverlesspg.routing.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SupabasePoolerProviderTest {
  private static final String DIRECT_HOST = "db.abcdefghijklmnopqrst.supabase.co";
  private static final String POOLER_HOST = "aws-0-us-east-1.pooler.supabase.com";

  private final SupabasePoolerProvider supabase = new SupabasePoolerProvider();

  @ParameterizedTest
  @ValueSource(strings = {DIRECT_HOST, POOLER_HOST, "aws-1-eu-central-1.pooler.supabase.com"})
  void transactionModeUsesPort6543OnTheSameHost(String host) {
    assertThat(supabase.route(new Endpoint(host, 5432), ConnectionMode.TRANSACTION)).isEqualTo(new Endpoint(host, 6543));
  }

  @ParameterizedTest
  @EnumSource(ConnectionMode.class)
  void routingIsIdempotent(ConnectionMode mode) {
    Endpoint routed = supabase.route(new Endpoint(POOLER_HOST, 5432), mode);
    assertThat(supabase.route(routed, mode)).isSameAs(routed);
  }

  @Test
  void sessionModeUsesSupavisorSessionPort() {
    assertThat(supabase.route(new Endpoint(POOLER_HOST, 6543), ConnectionMode.SESSION))
        .isEqualTo(new Endpoint(POOLER_HOST, 5432));
  }

  @Test
  void directModeOnTheDirectHostUsesPostgresPort() {
    assertThat(supabase.route(new Endpoint(DIRECT_HOST, 6543), ConnectionMode.DIRECT))
        .isEqualTo(new Endpoint(DIRECT_HOST, 5432));
  }

  @Test
  void directModeOnAPoolerHostFallsBackToSessionMode() {
    assertThat(supabase.route(new Endpoint(POOLER_HOST, 6543), ConnectionMode.DIRECT))
        .isEqualTo(new Endpoint(POOLER_HOST, 5432));
  }

  @Test
  void port6543IsTheTransactionPooler() {
    assertThat(supabase.isTransactionPooler(new Endpoint(POOLER_HOST, 6543))).isTrue();
    assertThat(supabase.isTransactionPooler(new Endpoint(POOLER_HOST, 5432))).isFalse();
    assertThat(supabase.isTransactionPooler(new Endpoint(DIRECT_HOST, 5432))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "example.com",
      "supabase.co",
      "notsupabase.co",
      "db.abcdefghijklmnopqrst.notsupabase.co",
      "abcdefghijklmnopqrst.supabase.co",
      "db.abcdefghijklmnopqrst.supabase.co.evil.com",
      "pooler.supabase.com",
      "aws-0-us-east-1.pooler.supabase.com.evil.com",
      "ep-cool-darkness-123456.us-east-2.aws.neon.tech"})
  void doesNotRecognizeOtherHosts(String host) {
    assertThat(supabase.recognizes(new Endpoint(host, 5432))).isFalse();
  }

  @Test
  void supavisorTransactionModeHasNoPreparedStatements() {
    assertThat(supabase.supportsProtocolPreparedStatements()).isFalse();
  }
}
