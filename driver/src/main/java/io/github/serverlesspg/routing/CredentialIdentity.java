package io.github.serverlesspg.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What authenticates a physical connection, as far as reuse needs to know: a salted digest of the fixed secrets
 * (password, {@code sslpassword}...), never the secrets themselves; or, for a credential provider, the provider's
 * identity, never its current password or token, so that a rotation does not multiply pools.
 */
public final class CredentialIdentity {
  /**
   * A per-process salt, so that a digest cannot be compared across processes or tested against guesses offline. Not
   * SecureRandom: the digest never leaves the process (which holds the password itself), and seeding SecureRandom
   * costs a cold start about 20 ms.
   */
  private static final byte[] SALT = newSalt();

  private final byte[] digest;
  private final Object provider;
  private final String description;

  private CredentialIdentity(byte[] digest, Object provider, String description) {
    this.digest = digest;
    this.provider = provider;
    this.description = description;
  }

  /**
   * The identity of fixed secrets, by name. Each name and value is length-prefixed, so that no pair of entries can
   * produce the bytes of another.
   */
  static CredentialIdentity ofSecrets(Map<String, String> secrets) {
    MessageDigest sha = sha256();
    sha.update(SALT);
    for (Map.Entry<String, String> entry : new java.util.TreeMap<>(secrets).entrySet()) {
      update(sha, entry.getKey());
      update(sha, entry.getValue());
    }
    return new CredentialIdentity(sha.digest(), null, secrets.isEmpty() ? "none" : "secret digest");
  }

  /**
   * The identity of a credential provider: equal only for the same provider (by its {@code equals}, identity unless
   * it says otherwise), the same argument and the same other secrets ({@code sslpassword}...).
   */
  static CredentialIdentity ofProvider(Object provider, String argument, String name,
      Map<String, String> otherSecrets) {
    return new CredentialIdentity(ofSecrets(otherSecrets).digest, Arrays.asList(provider, argument),
        "provider " + name);
  }

  private static void update(MessageDigest sha, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    sha.update((byte) (bytes.length >>> 24));
    sha.update((byte) (bytes.length >>> 16));
    sha.update((byte) (bytes.length >>> 8));
    sha.update((byte) bytes.length);
    sha.update(bytes);
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof CredentialIdentity)) {
      return false;
    }
    CredentialIdentity that = (CredentialIdentity) other;
    return Arrays.equals(digest, that.digest) && java.util.Objects.equals(provider, that.provider);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(digest) + java.util.Objects.hashCode(provider);
  }

  @Override
  public String toString() {
    return description;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static byte[] newSalt() {
    byte[] salt = new byte[16];
    ThreadLocalRandom.current().nextBytes(salt);
    return salt;
  }
}
