package io.github.serverlesspg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the password and wherever it sits in the URL, the printed form never contains it. */
class UrlMaskingTest {

  @Property(tries = 500)
  void passwordParameterIsMasked(@ForAll("passwords") String password, @ForAll("names") String name) {
    String url = "jdbc:serverless-pg://db.example.com:5432/app?user=app&" + name + "=" + password + "&sslmode=require";

    String masked = UrlMasking.mask(url);

    assertThat(masked).doesNotContain(password).contains(name + "=***", "user=app", "sslmode=require");
  }

  @Property(tries = 500)
  void userInfoPasswordIsMasked(@ForAll("passwords") String password) {
    String url = "jdbc:serverless-pg:postgresql://app:" + password + "@db.example.com:6543/app?sslmode=require";

    String masked = UrlMasking.mask(url);

    assertThat(masked).doesNotContain(password)
        .isEqualTo("jdbc:serverless-pg:postgresql://app:***@db.example.com:6543/app?sslmode=require");
  }

  @Property(tries = 500)
  void aPasswordHoldingAnAtSignIsMaskedWhole(@ForAll("passwords") String head, @ForAll("passwords") String tail) {
    String password = head + "@" + tail;
    String message = "pgjdbc did not accept jdbc:serverless-pg:postgresql://app:" + password
        + "@db.example.com/app?sslmode=require (check the URL)";

    assertThat(UrlMasking.mask(message)).doesNotContain(head).doesNotContain(tail)
        .isEqualTo("pgjdbc did not accept jdbc:serverless-pg:postgresql://app:***@db.example.com/app?sslmode=require"
            + " (check the URL)");
  }

  @Property(tries = 200)
  void urlsWithoutSecretsAreUnchanged(@ForAll("passwords") String database) {
    String url = "jdbc:serverless-pg://db.example.com/" + database + "?user=app&mode=transaction";

    assertThat(UrlMasking.mask(url)).isEqualTo(url);
  }

  @Provide
  Arbitrary<String> passwords() {
    // characters a password may hold once URL-encoded, and the unreserved ones people type as they are
    return Arbitraries.strings().withChars("abcXYZ0189-._~%!$'()*+,:").ofMinLength(4).ofMaxLength(40)
        .filter(p -> !p.contains("***"));
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.of("password", "sslpassword", "PASSWORD", "client_secret", "token");
  }
}
