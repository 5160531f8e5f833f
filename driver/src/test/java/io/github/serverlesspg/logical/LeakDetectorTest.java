package io.github.serverlesspg.logical;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeakDetectorTest {

  @Test
  void reportsTheStackOfTheLeakedGetConnection() throws Exception {
    CompletableFuture<Throwable> reported = new CompletableFuture<>();
    LeakDetector detector = new LeakDetector(20, (connection, origin) -> reported.complete(origin));
    detector.watch("leaked connection");
    StringWriter stack = new StringWriter();
    reported.get(10, TimeUnit.SECONDS).printStackTrace(new PrintWriter(stack));
    assertThat(stack.toString()).contains("getConnection() was called here")
        .contains("reportsTheStackOfTheLeakedGetConnection");
  }

  @Test
  void aClosedConnectionIsNotReported() throws Exception {
    CompletableFuture<Object> reported = new CompletableFuture<>();
    // A threshold far above any scheduling stall between watch() and cancel() on a loaded machine: a connection that
    // really stayed open past it would rightly be reported.
    LeakDetector detector = new LeakDetector(1_000, (connection, origin) -> reported.complete(connection));
    detector.watch("closed in time").cancel();
    // A second, uncancelled watch on the same timer thread proves the timer ran past the first one's deadline.
    CompletableFuture<Object> later = new CompletableFuture<>();
    new LeakDetector(1_500, (connection, origin) -> later.complete(connection)).watch("marker");
    assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo("marker");
    assertThat(reported).isNotDone();
  }
}
