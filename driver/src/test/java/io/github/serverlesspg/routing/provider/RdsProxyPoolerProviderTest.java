package io.github.serverlesspg.routing.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RdsProxyPoolerProviderTest {
  private final RdsProxyPoolerProvider rdsProxy = new RdsProxyPoolerProvider();

  @ParameterizedTest
  @ValueSource(strings = {
      "my-proxy.proxy-abcdefghijkl.us-east-1.rds.amazonaws.com",
      "reader.endpoint.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com",
      "my-proxy.proxy-abcdefghijkl.cn-north-1.rds.amazonaws.com.cn"})
  void recognizesProxyEndpointsAsTransactionPoolersAndNeverRewritesThem(String host) {
    Endpoint proxy = new Endpoint(host, 5432);
    assertThat(rdsProxy.recognizes(proxy)).isTrue();
    assertThat(rdsProxy.isTransactionPooler(proxy)).isTrue();
    for (ConnectionMode mode : ConnectionMode.values()) {
      assertThat(rdsProxy.route(proxy, mode)).isSameAs(proxy);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "example.com",
      "mydb.abcdefghijkl.us-east-1.rds.amazonaws.com",
      "mycluster.cluster-abcdefghijkl.us-east-1.rds.amazonaws.com",
      "proxy-abcdefghijkl.us-east-1.rds.amazonaws.com",
      "my-proxy.proxy-abcdefghijkl.us-east-1.rds.amazonaws.com.evil.com",
      "my-proxy.proxy-abcdefghijkl.us-east-1.rds.notamazonaws.com"})
  void doesNotRecognizeOtherHosts(String host) {
    assertThat(rdsProxy.recognizes(new Endpoint(host, 5432))).isFalse();
  }

  @Test
  void preparedStatementsWouldPinSessions() {
    assertThat(rdsProxy.supportsProtocolPreparedStatements()).isFalse();
  }
}
