package org.panamaipc.attack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of this run, by section (fault injection, hostile segments, ...), which
 * {@link ReportListener} writes to the report when the run ends. Counters add up; findings are
 * kept with their case ids, split into failures (nothing known explains them) and known defects
 * (an entry of {@link KnownDefects} matched).
 */
public final class Tally {

    private static final Map<String, Section> SECTIONS = new LinkedHashMap<>();

    private Tally() {
    }

    /** {@return the section {@code name}, created on first use} */
    public static synchronized Section section(String name) {
        return SECTIONS.computeIfAbsent(name, Section::new);
    }

    /** {@return every section so far, in the order they were first used} */
    public static synchronized List<Section> sections() {
        return List.copyOf(SECTIONS.values());
    }

    /** A finding: the case that shows it, what happened, and the known defect that explains it, if any. */
    public record Finding(String caseId, String what, String defect) {
        @Override
        public String toString() {
            String shown = what.length() > 900 ? what.substring(0, 900) + " ..." : what;
            return caseId + ": " + shown + (defect != null ? "  [known: " + defect + "]" : "");
        }
    }

    /** The figures of one section. */
    public static final class Section {
        private final String name;
        private final Map<String, Long> counters = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();
        private final List<Finding> failures = new ArrayList<>();
        private final List<Finding> known = new ArrayList<>();

        Section(String name) {
            this.name = name;
        }

        /** {@return the section's name} */
        public String name() {
            return name;
        }

        /** Adds {@code delta} to counter {@code counter} (created at 0). */
        public synchronized Section add(String counter, long delta) {
            counters.merge(counter, delta, Long::sum);
            return this;
        }

        /** Creates counter {@code counter} at 0 if absent, so that a zero shows in the report. */
        public synchronized Section zero(String counter) {
            counters.putIfAbsent(counter, 0L);
            return this;
        }

        /** {@return the value of {@code counter}, 0 if never added to} */
        public synchronized long get(String counter) {
            return counters.getOrDefault(counter, 0L);
        }

        /** Adds a line of text to the section (a figure that is not a count, a remark). */
        public synchronized void note(String line) {
            notes.add(line);
        }

        /**
         * Records what case {@code caseId} found: a failure, unless {@code defect} (from
         * {@link KnownDefects}) explains it.
         */
        public synchronized void finding(String caseId, String what, String defect) {
            (defect == null ? failures : known).add(new Finding(caseId, what, defect));
        }

        /** {@return the failures: findings no known defect explains} */
        public synchronized List<Finding> failures() {
            return List.copyOf(failures);
        }

        /** {@return the findings a known defect explains} */
        public synchronized List<Finding> known() {
            return List.copyOf(known);
        }

        synchronized String render() {
            StringBuilder sb = new StringBuilder();
            sb.append("== ").append(name).append('\n');
            counters.forEach((k, v) -> sb.append(String.format("  %-44s %,d%n", k, v)));
            for (String note : notes) {
                sb.append("  ").append(note).append('\n');
            }
            sb.append("  failures: ").append(failures.size()).append('\n');
            for (Finding f : failures) {
                sb.append("    FAIL ").append(f).append('\n');
            }
            if (!known.isEmpty()) {
                sb.append("  known defects seen: ").append(known.size()).append('\n');
                for (Finding f : known) {
                    sb.append("    known ").append(f).append('\n');
                }
            }
            return sb.toString();
        }
    }
}
