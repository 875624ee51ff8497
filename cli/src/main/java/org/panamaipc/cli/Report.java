package org.panamaipc.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A report of aligned {@code name: value} lines in titled sections, some of which are checks that
 * can fail. {@code ipc doctor} fills one and prints it.
 */
final class Report {

    private sealed interface Line permits Section, Row {
    }

    private record Section(String title) implements Line {
    }

    /** A line of a section; {@code status} is {@code info}, {@code ok}, {@code warning} or {@code failed}. */
    private record Row(String name, String status, String value) implements Line {

        /** {@return the value as printed for people: a warning or failure says so first} */
        String printed() {
            return switch (status) {
                case "warning" -> "WARNING: " + value;
                case "failed" -> "FAILED: " + value;
                default -> value;
            };
        }
    }

    private final List<Line> lines = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    /** Starts a section called {@code title}. */
    void section(String title) {
        lines.add(new Section(title));
    }

    /** Adds a line that reports a fact. */
    void info(String name, String value) {
        lines.add(new Row(name, "info", value));
    }

    /** Adds a check that passed; {@code value} says so in its own words. */
    void ok(String name, String value) {
        lines.add(new Row(name, "ok", value));
    }

    /** Adds a line that deserves attention but does not fail the report. */
    void warn(String name, String value) {
        lines.add(new Row(name, "warning", value));
        warnings.add(name);
    }

    /** Adds a check that failed, with the reason. */
    void fail(String name, String reason) {
        lines.add(new Row(name, "failed", reason));
        failures.add(name);
    }

    /** {@return the names of the failed checks} */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Prints the report, names padded to one column, continuation lines of a value indented under it. */
    void print(PrintWriter out) {
        int width = lines.stream().filter(Row.class::isInstance).mapToInt(line -> ((Row) line).name().length())
                .max().orElse(0) + 1;
        String indent = " ".repeat(2 + width + 1);
        boolean first = true;
        for (Line line : lines) {
            switch (line) {
                case Section section -> {
                    if (!first) {
                        out.println();
                    }
                    out.println(section.title());
                }
                case Row row -> {
                    String[] valueLines = row.printed().split("\n", -1);
                    out.printf("  %-" + width + "s %s%n", row.name() + ":", valueLines[0]);
                    for (int i = 1; i < valueLines.length; i++) {
                        out.println(indent + valueLines[i]);
                    }
                }
            }
            first = false;
        }
        out.println();
        if (failures.isEmpty()) {
            out.println("All checks passed" + (warnings.isEmpty() ? "." : ", with " + warnings.size()
                    + (warnings.size() == 1 ? " warning: " : " warnings: ") + String.join(", ", warnings) + "."));
        } else {
            out.println(failures.size() + (failures.size() == 1 ? " check failed: " : " checks failed: ")
                    + String.join(", ", failures) + ".");
        }
        out.flush();
    }

    /**
     * {@return the report as what {@code --json} prints} {@code passed}, the {@code failures} and
     * {@code warnings} by name, and the {@code sections}, each a {@code title} and its
     * {@code checks}: {@code name}, {@code status} ({@code info}, {@code ok}, {@code warning},
     * {@code failed}) and {@code value} (lines joined by {@code \n}, without the status prefix).
     */
    Map<String, Object> toJson() {
        List<Object> sections = new ArrayList<>();
        List<Object> checks = null;
        for (Line line : lines) {
            switch (line) {
                case Section section -> {
                    checks = new ArrayList<>();
                    sections.add(Json.object("title", section.title(), "checks", checks));
                }
                case Row row -> {
                    if (checks == null) {
                        checks = new ArrayList<>();
                        sections.add(Json.object("title", "", "checks", checks));
                    }
                    checks.add(Json.object("name", row.name(), "status", row.status(), "value", row.value()));
                }
            }
        }
        return Json.object("passed", failures.isEmpty(), "failures", failures(), "warnings", List.copyOf(warnings),
                "sections", sections);
    }
}
