package io.github.serverlesspg.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that runs against the shared real PostgreSQL and PgBouncers; they are started before the
 * class and injected as {@link DatabaseEnvironment}, {@link PostgresServer} or
 * {@code @Pooler(...) PgBouncerServer} parameters. If the servers cannot start, the tests fail, never skip.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RealDatabaseExtension.class)
@Tag("database")
public @interface RealDatabase {}
