package io.github.serverlesspg.spi;

/**
 * What a {@link CredentialProvider} is asked for: the password of {@code user} for a connection to {@code endpoint}
 * (after pooler routing: an RDS IAM token is signed for the host and port actually connected to).
 *
 * @param user the user name, or null when none was configured
 * @param endpoint the endpoint the connection is opened to
 * @param database the database name, or null
 * @param source the {@code credentialSource} property, or null: the provider's argument (a file path, an
 *     environment variable name, a secret's id, a region...)
 */
public record CredentialRequest(String user, Endpoint endpoint, String database, String source) {
}
