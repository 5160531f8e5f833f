package io.github.serverlesspg.conformance.library;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Spring Boot application of the conformance cases: JPA entities, a repository, a transactional service. */
@SpringBootApplication
public class LibraryApplication {
}
