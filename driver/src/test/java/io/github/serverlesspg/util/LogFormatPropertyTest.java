package io.github.serverlesspg.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/**
 * Without an SLF4J provider the driver formats its warnings itself: differential against SLF4J's own formatter, so
 * a message reads the same on both backends.
 */
class LogFormatPropertyTest {

  @Property(tries = 2000)
  void formatsLikeSlf4j(@ForAll("formats") String format, @ForAll("arguments") List<Object> arguments) {
    Object[] array = arguments.toArray();
    FormattingTuple slf4j = MessageFormatter.arrayFormat(format, array);
    assertThat(Log.format(format, array)).isEqualTo(slf4j.getMessage());
    assertThat(Log.cause(array)).isSameAs(slf4j.getThrowable());
  }

  @Provide
  Arbitrary<String> formats() {
    Arbitrary<String> piece = Arbitraries.oneOf(Arbitraries.of("{}", "\\{}", "\\\\{}", "{", "}", "\\", " "),
        Arbitraries.strings().withChars("ab{}\\ ").ofMaxLength(4));
    return piece.list().ofMaxSize(8).map(pieces -> String.join("", pieces));
  }

  @Provide
  Arbitrary<List<Object>> arguments() {
    Arbitrary<Object> argument = Arbitraries.<Object>oneOf(Arbitraries.strings().withChars("xy{}\\").ofMaxLength(3),
        Arbitraries.integers().between(-5, 5)).injectNull(0.2);
    Arbitrary<List<Object>> plain = argument.list().ofMaxSize(5);
    return Combinators.combine(plain, Arbitraries.of(false, true)).as((list, withCause) -> {
      List<Object> all = new ArrayList<>(list);
      if (withCause) {
        all.add(new IllegalStateException("cause"));
      }
      return all;
    });
  }
}
