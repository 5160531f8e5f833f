package io.github.serverlesspg.examples.spring;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot JDBC application on serverless-pg, configured by {@code spring.datasource.url} alone (see
 * {@code application.properties}); the driver tells Spring Boot its driver class itself.
 *
 * <pre>
 * DATABASE_URL=postgresql://app:secret@localhost:6432/app java -jar target/spring-boot-example.jar
 * </pre>
 */
@SpringBootApplication
public class ExampleApplication {

  public static void main(String[] args) {
    SpringApplication.run(ExampleApplication.class, args);
  }

  @Bean
  ApplicationRunner greet(GreetingRepository greetings) {
    return arguments -> System.out.println(greetings.greet(arguments.getOptionValues("name") == null ? "world"
        : arguments.getOptionValues("name").get(0)));
  }
}
