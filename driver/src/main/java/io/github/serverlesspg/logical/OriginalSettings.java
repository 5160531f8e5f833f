package io.github.serverlesspg.logical;

import java.util.Map;
import java.util.Properties;

/**
 * Session and direct mode: the physical connection's settings as they were before a handle first changed them, which
 * close restores. Created by the handle's first change, so a handle that changes nothing (most of them) carries none
 * of it. Each value is valid only while the handle's matching dirty bit is set.
 */
final class OriginalSettings {
  int isolation;
  String schema;
  int networkTimeout;
  int holdability;
  Map<String, Class<?>> typeMap;
  /** A copy: pgjdbc hands out the Properties it keeps updating. */
  Properties clientInfo;
}
