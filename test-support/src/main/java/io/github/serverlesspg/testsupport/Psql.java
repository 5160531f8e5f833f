package io.github.serverlesspg.testsupport;

import java.util.List;
import java.util.Map;

/** Runs psql with the given arguments and environment and returns its output; local or inside a container. */
@FunctionalInterface
interface Psql {
  String run(List<String> arguments, Map<String, String> environment);
}
