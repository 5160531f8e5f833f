package io.github.serverlesspg.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;

/**
 * The OS user the servers run as. PostgreSQL and PgBouncer refuse to run as root, so when the test JVM is root
 * they run as {@code postgres} (via setpriv, which execs in place so a Process PID is the server's own PID) and
 * the files they need are handed over to that user.
 */
final class ServerUser {

  private static final String UNPRIVILEGED = "postgres";

  private final boolean switchUser;

  private ServerUser(boolean switchUser) {
    this.switchUser = switchUser;
  }

  static ServerUser current() {
    boolean root = "0".equals(Commands.run(List.of("id", "-u")).trim());
    if (root) {
      try {
        Commands.run(List.of("id", UNPRIVILEGED));
      } catch (RuntimeException e) {
        throw new IllegalStateException("the tests run as root, and PostgreSQL refuses to run as root, but there is no '"
            + UNPRIVILEGED + "' OS user to run it as; " + ServerBinaries.INSTALL_HINT, e);
      }
    }
    return new ServerUser(root);
  }

  /** The command, prefixed so that it runs as the server user. */
  List<String> command(List<String> command) {
    if (!switchUser) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + UNPRIVILEGED, "--regid=" + UNPRIVILEGED,
        "--init-groups", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Gives the file tree to the server user so the server can read and write it. */
  void handOver(Path root) {
    if (!switchUser) {
      return;
    }
    try {
      UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
      UserPrincipal user = lookup.lookupPrincipalByName(UNPRIVILEGED);
      GroupPrincipal group = lookup.lookupPrincipalByGroupName(UNPRIVILEGED);
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          chown(dir);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          chown(file);
          return FileVisitResult.CONTINUE;
        }

        private void chown(Path path) throws IOException {
          PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
          view.setOwner(user);
          view.setGroup(group);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hand " + root + " over to " + UNPRIVILEGED, e);
    }
  }
}
