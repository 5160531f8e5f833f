package io.github.serverlesspg.cli.doctor;

import io.github.serverlesspg.ServerlessPgDriver;
import io.github.serverlesspg.cli.Cli;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the doctor found: the connection steps in order, the checklist, and the facts behind them. Rendered as text
 * for people or as JSON for CI. Every rendering passes through {@link #redact}, so a password that reached a
 * message by any path is masked.
 */
public final class DoctorReport {
  private static final int SHORTEST_REDACTED_SECRET = 4;

  private final String target;
  private final List<Finding> steps;
  private final List<Finding> checklist;
  private final Map<String, Object> facts;
  private final boolean cannotConnect;
  private final List<String> secrets;

  private DoctorReport(Builder builder) {
    this.target = builder.target;
    this.steps = List.copyOf(builder.steps);
    this.checklist = List.copyOf(builder.checklist);
    this.facts = new LinkedHashMap<>(builder.facts);
    this.cannotConnect = builder.cannotConnect;
    this.secrets = List.copyOf(builder.secrets);
  }

  public List<Finding> steps() {
    return steps;
  }

  public List<Finding> checklist() {
    return checklist;
  }

  /** What the doctor learned, in the order it learned it; values are null where nothing applies. */
  public Map<String, Object> facts() {
    return Collections.unmodifiableMap(facts);
  }

  /** 2 when the doctor could not connect, 1 when a step or checklist item failed, else 0. */
  public int exitCode() {
    if (cannotConnect) {
      return Cli.CANNOT_CONNECT;
    }
    boolean failed = steps.stream().anyMatch(f -> f.verdict() == Verdict.FAIL)
        || checklist.stream().anyMatch(f -> f.verdict() == Verdict.FAIL);
    return failed ? Cli.PROBLEMS : Cli.OK;
  }

  private String result() {
    switch (exitCode()) {
      case Cli.OK:
        return "ok";
      case Cli.PROBLEMS:
        return "problems";
      default:
        return "cannot-connect";
    }
  }

  public String toText() {
    StringBuilder text = new StringBuilder();
    text.append("serverless-pg doctor ").append(ServerlessPgDriver.version()).append('\n');
    text.append("target: ").append(target).append("\n\n");
    for (Finding step : steps) {
      line(text, step);
    }
    if (!checklist.isEmpty()) {
      text.append("\nchecklist for serverless use\n");
      for (Finding item : checklist) {
        line(text, item);
      }
    }
    text.append("\nresult: ").append(result()).append(" (exit ").append(exitCode()).append(")\n");
    return redact(text.toString());
  }

  private static void line(StringBuilder text, Finding finding) {
    text.append(String.format(Locale.ROOT, "  %-5s %-24s %9s  %s%n", finding.verdict().name(), finding.title(),
        finding.millis() == null ? "" : String.format(Locale.ROOT, "%.1f ms", finding.millis()), finding.detail()));
    if (finding.fix() != null) {
      text.append(String.format(Locale.ROOT, "  %-5s %-24s %9s  fix: %s%n", "", "", "", finding.fix()));
    }
  }

  public String toJson() {
    StringBuilder json = new StringBuilder("{\n");
    json.append("  \"version\": ");
    Json.string(json, ServerlessPgDriver.version());
    json.append(",\n  \"target\": ");
    Json.string(json, target);
    json.append(",\n  \"result\": ");
    Json.string(json, result());
    json.append(",\n  \"exitCode\": ").append(exitCode());
    json.append(",\n  \"facts\": {");
    boolean first = true;
    for (Map.Entry<String, Object> fact : facts.entrySet()) {
      json.append(first ? "\n    " : ",\n    ");
      first = false;
      Json.string(json, fact.getKey());
      json.append(": ");
      Json.value(json, fact.getValue());
    }
    json.append(first ? "}" : "\n  }");
    json.append(",\n  \"steps\": ");
    findings(json, steps);
    json.append(",\n  \"checklist\": ");
    findings(json, checklist);
    json.append("\n}\n");
    return redact(json.toString());
  }

  private static void findings(StringBuilder json, List<Finding> findings) {
    if (findings.isEmpty()) {
      json.append("[]");
      return;
    }
    json.append('[');
    for (int i = 0; i < findings.size(); i++) {
      Finding finding = findings.get(i);
      json.append(i == 0 ? "\n    {" : ",\n    {");
      json.append("\"id\": ");
      Json.string(json, finding.id());
      json.append(", \"title\": ");
      Json.string(json, finding.title());
      json.append(", \"verdict\": ");
      Json.string(json, finding.verdict().label());
      json.append(", \"millis\": ");
      Json.value(json, finding.millis());
      json.append(", \"detail\": ");
      Json.value(json, finding.detail());
      json.append(", \"fix\": ");
      Json.value(json, finding.fix());
      json.append('}');
    }
    json.append("\n  ]");
  }

  /** Masks every known secret; very short ones are left alone, masking them would mangle ordinary words. */
  private String redact(String text) {
    String redacted = text;
    for (String secret : secrets) {
      if (secret.length() >= SHORTEST_REDACTED_SECRET) {
        redacted = redacted.replace(secret, "***");
      }
    }
    return redacted;
  }

  @Override
  public String toString() {
    return "DoctorReport[" + result() + ", " + steps.size() + " steps, " + checklist.size() + " checklist items]";
  }

  /** Collects findings while the doctor works. */
  static final class Builder {
    private final String target;
    private final List<Finding> steps = new ArrayList<>();
    private final List<Finding> checklist = new ArrayList<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();
    private final List<String> secrets = new ArrayList<>();
    private boolean cannotConnect;

    Builder(String target) {
      this.target = target;
    }

    Builder step(String id, String title, Verdict verdict, Double millis, String detail, String fix) {
      steps.add(new Finding(id, title, verdict, millis, detail, fix));
      return this;
    }

    Builder item(String id, String title, Verdict verdict, String detail, String fix) {
      checklist.add(new Finding(id, title, verdict, null, detail, fix));
      return this;
    }

    Builder fact(String name, Object value) {
      facts.put(name, value);
      return this;
    }

    Builder secret(String secret) {
      if (secret != null && !secret.isEmpty()) {
        secrets.add(secret);
      }
      return this;
    }

    Builder cannotConnect() {
      this.cannotConnect = true;
      return this;
    }

    DoctorReport build() {
      return new DoctorReport(this);
    }
  }
}
