package io.github.serverlesspg.sql;
public final class QueryDescription { public static QueryDescription of(String s){return new QueryDescription();} public String sanitizedText(){return "";} }
