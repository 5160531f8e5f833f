package io.github.serverlesspg.routing.platform;

import static io.github.serverlesspg.routing.platform.EnvironmentVariables.isSet;

import io.github.serverlesspg.spi.PlatformDetector;
import java.util.Map;

/** AWS Lambda, from the reserved variables the Lambda runtime sets in every execution environment. */
public final class AwsLambdaDetector implements PlatformDetector {
  @Override
  public String name() {
    return "aws-lambda";
  }

  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
  @Override
  public boolean detect(Map<String, String> environment) {
    String executionEnvironment = environment.get("AWS_EXECUTION_ENV");
    return isSet(environment, "AWS_LAMBDA_FUNCTION_NAME")
        // the prefix matters: ECS sets AWS_EXECUTION_ENV too, to AWS_ECS_FARGATE or AWS_ECS_EC2
        || (executionEnvironment != null && executionEnvironment.startsWith("AWS_Lambda_"));
  }

  @Override
  public String evidence(Map<String, String> environment) {
    return isSet(environment, "AWS_LAMBDA_FUNCTION_NAME") ? "AWS_LAMBDA_FUNCTION_NAME" : "AWS_EXECUTION_ENV";
  }

  /** An execution environment handles one invocation at a time. */
  @Override
  public boolean servesOneRequestAtATime(Map<String, String> environment) {
    return true;
  }
}
