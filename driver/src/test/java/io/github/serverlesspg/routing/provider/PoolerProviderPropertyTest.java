package io.github.serverlesspg.routing.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.serverlesspg.spi.ConnectionMode;
import io.github.serverlesspg.spi.Endpoint;
import io.github.serverlesspg.spi.PoolerProvider;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws every built-in provider obeys, checked on generated hosts of each provider and of nobody. */
class PoolerProviderPropertyTest {
  private static final NeonPoolerProvider NEON = new NeonPoolerProvider();
  private static final SupabasePoolerProvider SUPABASE = new SupabasePoolerProvider();
  private static final RdsProxyPoolerProvider RDS_PROXY = new RdsProxyPoolerProvider();
  private static final List<PoolerProvider> PROVIDERS = List.of(NEON, SUPABASE, RDS_PROXY);

  /** A provider and one of its endpoints. */
  record Owned(PoolerProvider provider, Endpoint endpoint) {
  }

  @Property
  void routingIsIdempotent(@ForAll("ownedEndpoints") Owned owned, @ForAll ConnectionMode mode) {
    Endpoint routed = owned.provider().route(owned.endpoint(), mode);
    assertThat(owned.provider().route(routed, mode)).isEqualTo(routed);
  }

  @Property
  void transactionModeAlwaysReachesATransactionPooler(@ForAll("ownedEndpoints") Owned owned) {
    Endpoint routed = owned.provider().route(owned.endpoint(), ConnectionMode.TRANSACTION);
    assertThat(owned.provider().isTransactionPooler(routed)).isTrue();
  }

  /** RDS Proxy is left out: it has no address that is not the proxy, so it never leaves transaction mode. */
  @Property
  void sessionAndDirectModeLeaveTheTransactionPooler(@ForAll("reroutableEndpoints") Owned owned,
      @ForAll ConnectionMode mode) {
    if (mode == ConnectionMode.TRANSACTION) {
      return;
    }
    PoolerProvider provider = owned.provider();
    Endpoint pooled = provider.route(owned.endpoint(), ConnectionMode.TRANSACTION);
    assertThat(provider.isTransactionPooler(provider.route(pooled, mode))).isFalse();
  }

  @Property
  void routingStaysWithTheOwningProvider(@ForAll("ownedEndpoints") Owned owned, @ForAll ConnectionMode mode) {
    Endpoint routed = owned.provider().route(owned.endpoint(), mode);
    for (PoolerProvider provider : PROVIDERS) {
      assertThat(provider.recognizes(routed)).as(provider.name() + " recognizes " + routed)
          .isEqualTo(provider == owned.provider());
    }
  }

  @Property
  void ownedEndpointsBelongToExactlyOneProvider(@ForAll("ownedEndpoints") Owned owned) {
    assertThat(PROVIDERS).filteredOn(provider -> provider.recognizes(owned.endpoint()))
        .containsExactly(owned.provider());
  }

  @Property
  void hostsOutsideEveryDomainAreNotRecognized(@ForAll("foreignEndpoints") Endpoint endpoint) {
    assertThat(PROVIDERS).noneMatch(provider -> provider.recognizes(endpoint));
  }

  @Provide
  Arbitrary<Owned> ownedEndpoints() {
    return Arbitraries.oneOf(neonEndpoints(), supabaseEndpoints(), rdsProxyEndpoints());
  }

  @Provide
  Arbitrary<Owned> reroutableEndpoints() {
    return Arbitraries.oneOf(neonEndpoints(), supabaseEndpoints());
  }

  @Provide
  Arbitrary<Endpoint> foreignEndpoints() {
    // The suffixes are near misses of the real domains: look-alikes, the domains used as subdomains, and bare parents.
    Arbitrary<String> suffix = Arbitraries.of("example.com", "neon.tech.evil.com", "notneon.tech", "neon.techx",
        "notsupabase.co", "supabase.co.evil.io", "supabase.com", "pooler.supabase.com.evil.net", "supabase.co",
        "rds.amazonaws.com.evil.net", "amazonaws.com", "rds.amazonaws.co", "us-east-1.rds.amazonaws.com", "local");
    Arbitrary<String> host = Combinators.combine(labels().list().ofMinSize(1).ofMaxSize(4), suffix)
        .as((labels, domain) -> String.join(".", labels) + "." + domain);
    return Combinators.combine(host, ports()).as(Endpoint::new);
  }

  private static Arbitrary<Owned> neonEndpoints() {
    Arbitrary<String> endpointId = labelParts().list().ofMinSize(1).ofMaxSize(3)
        .map(parts -> "ep-" + String.join("-", parts));
    Arbitrary<String> pooler = Arbitraries.of("", "-pooler");
    Arbitrary<String> region = Arbitraries.of("us-east-2.aws", "eu-central-1.aws", "ap-southeast-1.aws",
        "eastus2.azure", "us-west-2");
    return Combinators.combine(endpointId, pooler, region, ports())
        .as((id, suffix, where, port) -> new Owned(NEON, new Endpoint(id + suffix + "." + where + ".neon.tech", port)));
  }

  private static Arbitrary<Owned> supabaseEndpoints() {
    Arbitrary<String> projectRef = Arbitraries.strings().withCharRange('a', 'z').ofLength(20);
    Arbitrary<String> direct = projectRef.map(ref -> "db." + ref + ".supabase.co");
    Arbitrary<String> pooler = Combinators.combine(Arbitraries.integers().between(0, 9),
            Arbitraries.of("us-east-1", "eu-west-2", "ap-south-1"))
        .as((cluster, region) -> "aws-" + cluster + "-" + region + ".pooler.supabase.com");
    return Combinators.combine(Arbitraries.oneOf(direct, pooler), ports())
        .as((host, port) -> new Owned(SUPABASE, new Endpoint(host, port)));
  }

  private static Arbitrary<Owned> rdsProxyEndpoints() {
    Arbitrary<String> resourceId = Arbitraries.strings().withCharRange('a', 'z').numeric().ofLength(12);
    Arbitrary<String> prefix = Arbitraries.oneOf(labels(), labels().map(name -> name + ".endpoint"));
    Arbitrary<String> domain = Arbitraries.of("us-east-1.rds.amazonaws.com", "cn-north-1.rds.amazonaws.com.cn");
    return Combinators.combine(prefix, resourceId, domain, ports())
        .as((name, id, where, port) -> new Owned(RDS_PROXY, new Endpoint(name + ".proxy-" + id + "." + where, port)));
  }

  private static Arbitrary<String> labels() {
    return labelParts().list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("-", parts));
  }

  private static Arbitrary<String> labelParts() {
    return Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(8);
  }

  private static Arbitrary<Integer> ports() {
    return Arbitraries.oneOf(Arbitraries.of(5432, 6543), Arbitraries.integers().between(1, 65535));
  }
}
