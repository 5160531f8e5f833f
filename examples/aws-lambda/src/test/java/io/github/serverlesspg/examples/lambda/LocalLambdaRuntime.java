package io.github.serverlesspg.examples.lambda;

import io.github.serverlesspg.ServerlessPgDriver;
import java.util.Map;
import java.util.Properties;

/**
 * Stands in for the Lambda runtime in a JVM of its own: loads the handler class (its static init and priming, with
 * the environment the runtime would set), creates it with its public constructor and invokes it a few times.
 */
public final class LocalLambdaRuntime {
  private LocalLambdaRuntime() {
  }

  public static void main(String[] args) throws Exception {
    String plan = ServerlessPgDriver.explain("jdbc:serverless-pg:env:DATABASE_URL", new Properties());
    System.out.println(plan.lines().findFirst().orElseThrow());
    GreetingHandler handler = new GreetingHandler();
    for (String name : new String[] {"Ada", "Grace", "Edsger"}) {
      System.out.println(handler.handleRequest(Map.of("name", name), null).get("greeting"));
    }
    System.out.println(ServerlessPgDriver.health("jdbc:serverless-pg:env:DATABASE_URL", new Properties()).toJson());
  }
}
