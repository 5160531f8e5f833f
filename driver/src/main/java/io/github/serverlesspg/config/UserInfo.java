package io.github.serverlesspg.config;

/** Where the user info of a {@code user[:password]@host...} connection string ends. */
final class UserInfo {
  private UserInfo() {
  }

  /**
   * The index of the {@code '@'} that ends the user info of {@code authorityAndRest} (the text after
   * {@code scheme://}), or -1 when there is none: the last {@code '@'} before the path (the first {@code '/'}), or,
   * without a path, the last {@code '@'} before the query that follows the host. So a password may hold {@code '@'},
   * {@code '?'} and {@code ':'} unencoded; a {@code '/'} must be encoded as {@code %2F}, as libpq requires.
   */
  static int end(String authorityAndRest) {
    int slash = authorityAndRest.indexOf('/');
    if (slash >= 0) {
      return authorityAndRest.lastIndexOf('@', slash);
    }
    int firstAt = authorityAndRest.indexOf('@');
    if (firstAt < 0) {
      return -1;
    }
    int query = authorityAndRest.indexOf('?', firstAt);
    return query < 0 ? authorityAndRest.lastIndexOf('@') : authorityAndRest.lastIndexOf('@', query);
  }
}
