package io.github.serverlesspg.telemetry;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute names we emit. The {@code db.*}, {@code server.*} and {@code error.type} names are those of the
 * OpenTelemetry semantic conventions {@value #SCHEMA_URL} (the release that declared the database conventions stable
 * for PostgreSQL); ours live under {@code serverless_pg.}. Kept as constants rather than taken from the
 * {@code opentelemetry-semconv} artifact so that the driver depends on the OpenTelemetry API only.
 */
final class SemanticAttributes {
  static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.33.0";
  static final String INSTRUMENTATION_SCOPE = "io.github.serverlesspg";
  static final String DB_SYSTEM = "postgresql";

  static final AttributeKey<String> DB_SYSTEM_NAME = stringKey("db.system.name");
  static final AttributeKey<String> DB_NAMESPACE = stringKey("db.namespace");
  static final AttributeKey<String> DB_OPERATION_NAME = stringKey("db.operation.name");
  static final AttributeKey<String> DB_COLLECTION_NAME = stringKey("db.collection.name");
  static final AttributeKey<String> DB_QUERY_TEXT = stringKey("db.query.text");
  static final AttributeKey<String> DB_QUERY_SUMMARY = stringKey("db.query.summary");
  static final AttributeKey<Long> DB_OPERATION_BATCH_SIZE = longKey("db.operation.batch.size");
  static final AttributeKey<String> DB_RESPONSE_STATUS_CODE = stringKey("db.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
  static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = longKey("server.port");
  static final AttributeKey<String> POOL_NAME = stringKey("db.client.connection.pool.name");
  static final AttributeKey<String> CONNECTION_STATE = stringKey("db.client.connection.state");

  static final AttributeKey<String> MODE = stringKey("serverless_pg.mode");
  static final AttributeKey<String> PLATFORM = stringKey("serverless_pg.platform");
  static final AttributeKey<String> PROVIDER = stringKey("serverless_pg.provider");
  /** What the probe of {@code mode=auto} found at the endpoint: {@code pooler} or {@code server}. */
  static final AttributeKey<String> PROBE_RESULT = stringKey("serverless_pg.probe.result");
  static final AttributeKey<String> ORIGIN = stringKey("serverless_pg.connection.origin");
  static final AttributeKey<Double> WAIT_MS = doubleKey("serverless_pg.connection.wait_ms");
  static final AttributeKey<String> PHASE = stringKey("serverless_pg.connect.phase");
  static final AttributeKey<Boolean> VALID = booleanKey("serverless_pg.validation.valid");
  static final AttributeKey<String> REASON = stringKey("serverless_pg.reason");
  static final AttributeKey<Double> DURATION_MS = doubleKey("serverless_pg.duration_ms");
  static final AttributeKey<Long> CONNECT_ATTEMPTS = longKey("serverless_pg.connect.attempts");
  static final AttributeKey<Double> BACKOFF_MS = doubleKey("serverless_pg.backoff_ms");

  private SemanticAttributes() {
  }
}
