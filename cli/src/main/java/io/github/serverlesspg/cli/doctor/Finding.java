package io.github.serverlesspg.cli.doctor;

/**
 * One line of the report: a connection step (with the time it took) or a checklist item.
 *
 * @param id stable machine name, for {@code --json} consumers
 * @param title what was checked, for people
 * @param millis how long the step took, or null when it is not timed
 * @param detail what was found
 * @param fix what to change, or null when nothing needs changing
 */
public record Finding(String id, String title, Verdict verdict, Double millis, String detail, String fix) {
}
