package io.github.serverlesspg.sql;
public final class SessionStateCheck { public static SessionFeature find(String sql){ return SessionFeature.NONE; } }
