package io.github.serverlesspg.physical;

/**
 * AWS Lambda SnapStart and OpenJDK CRaC: closes idle physical connections before a checkpoint, because an open
 * socket aborts it and would be dead after restore anyway; the first {@code getConnection} after restore opens a
 * fresh one. Only touches {@code org.crac} when it is on the class path, so the dependency stays optional.
 */
final class CheckpointSupport {
  private CheckpointSupport() {
  }

  static boolean isAvailable() {
    try {
      Class.forName("org.crac.Core", false, CheckpointSupport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static void register(PhysicalConnectionCache cache) {
    CracResource.register(cache);
  }
}
