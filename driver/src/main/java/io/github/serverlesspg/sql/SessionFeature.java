package io.github.serverlesspg.sql;
public enum SessionFeature { NONE, SET; public String reason(){return "r";} public String fix(){return "f";} }
