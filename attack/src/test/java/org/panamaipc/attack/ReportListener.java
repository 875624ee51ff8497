package org.panamaipc.attack;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Writes the attack report ({@code -Dattack.report}, by default {@code attack/target/attack-report.txt})
 * when the test run ends: the mode and seed, every section's figures and findings, the known
 * defects seen, the tests that failed, and a verdict. Registered through
 * {@code META-INF/services}, so it runs for any selection of this module's tests.
 */
public final class ReportListener implements TestExecutionListener {

    private Instant started;
    private final List<String> failedTests = new ArrayList<>();
    private int testsRun;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        started = Instant.now();
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest()) {
            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                failedTests.add(id.getDisplayName() + " (container): " + result.getThrowable().map(String::valueOf).orElse(""));
            }
            return;
        }
        testsRun++;
        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            String why = result.getThrowable().map(t -> firstLine(String.valueOf(t))).orElse(result.getStatus().toString());
            failedTests.add(id.getLegacyReportingName() + " in " + id.getParentId().orElse("?") + ": " + why);
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        String target = System.getProperty("attack.report");
        if (target == null || target.isBlank() || target.startsWith("${")) {
            target = "target/attack-report.txt";
        }
        try {
            Path path = Path.of(target);
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.writeString(path, render());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the attack report to " + target, e);
        }
    }

    private String render() {
        StringBuilder sb = new StringBuilder();
        Duration took = Duration.between(started != null ? started : Instant.now(), Instant.now());
        sb.append("panama-ipc attack report\n");
        sb.append("mode ").append(AttackMode.current()).append(", run seed ").append(AttackMode.hex(AttackMode.runSeed()))
                .append(" (rerun: -Dattack.mode=").append(AttackMode.current().name().toLowerCase())
                .append(" -Dattack.seed=").append(AttackMode.hex(AttackMode.runSeed())).append(")\n");
        AttackMode m = AttackMode.current();
        sb.append("counts: ").append(m.trialsPerTransport("MPSC")).append(" trials per ring transport, ")
                .append(m.trialsPerTransport("mq")).append(" per other transport, ").append(m.fuzzCases())
                .append(" hostile segments, ").append(m.soakSeconds()).append(" s of soak per transport, ")
                .append(m.leakCycles()).append(" open/close cycles per kind\n");
        sb.append("finished ").append(Instant.now()).append(", took ").append(took.toSeconds()).append(" s, ")
                .append(testsRun).append(" tests\n\n");
        sb.append(summary()).append('\n');
        sb.append("== details\n\n");
        int failures = 0;
        TreeMap<String, Integer> defects = new TreeMap<>();
        for (Tally.Section section : Tally.sections()) {
            sb.append(section.render()).append('\n');
            failures += section.failures().size();
            for (Tally.Finding f : section.known()) {
                defects.merge(f.defect(), 1, Integer::sum);
            }
        }
        sb.append("== known defects seen (KnownDefects; remove an entry when its fix lands)\n");
        if (defects.isEmpty()) {
            sb.append("  none\n");
        }
        defects.forEach((d, n) -> sb.append(String.format("  %-60s %,d finding(s)%n", d, n)));
        sb.append("\n== tests that failed: ").append(failedTests.size()).append('\n');
        for (String f : failedTests) {
            sb.append("  ").append(f).append('\n');
        }
        boolean pass = failures == 0 && failedTests.isEmpty();
        sb.append("\nVERDICT: ").append(pass ? "PASS" : "FAIL").append(" (").append(failures)
                .append(" unexplained finding(s), ").append(failedTests.size()).append(" failed test(s))\n");
        return sb.toString();
    }

    /** The figures that matter, one section a line: what must be 0 is said so. */
    private static String summary() {
        StringBuilder sb = new StringBuilder("SUMMARY\n");
        for (Tally.Section s : Tally.sections()) {
            int known = s.known().size();
            int failures = s.failures().size();
            String line = switch (s.name()) {
                case "fault injection" -> String.format("trials %,d (%s); messages acknowledged %,d, mutex/semaphore operations %,d;"
                                + " lost %,d, torn %,d, duplicated %,d, phantom %,d (each must be 0); hangs %,d, crashes %,d,"
                                + " survivor errors %,d, exclusion violations %,d",
                        s.get("trials"), perTransport(s), s.get("messages acknowledged"),
                        s.get("mutex/semaphore operations acknowledged"), s.get("lost"), s.get("torn"), s.get("duplicated"),
                        s.get("phantom or uncommitted delivered"), s.get("hangs"), s.get("crashes"), s.get("survivor errors"),
                        s.get("mutual exclusion violations"));
                case "hostile segments" -> String.format("cases %,d + %,d named; normal %,d, specific panama-ipc exception %,d;"
                                + " unacceptable exception %,d, hangs %,d, JVM crashes %,d; cases with skipped records %,d",
                        s.get("cases"), s.get("named regression cases"), s.get("normal operation"),
                        s.get("specific panama-ipc exception"), s.get("unacceptable exception"), s.get("hangs"),
                        s.get("JVM crashes"), s.get("cases in which a receiver skipped records"));
                case "soak" -> String.format("messages %,d (MPMC ring) + %,d (message queue); lost %,d, duplicated %,d, torn %,d,"
                                + " out of order %,d, phantom %,d (each must be 0)",
                        s.get("messages, MPMC ring"), s.get("messages, message queue"),
                        s.get("lost, MPMC ring") + s.get("lost, message queue"),
                        s.get("duplicated, MPMC ring") + s.get("duplicated, message queue"),
                        s.get("torn, MPMC ring") + s.get("torn, message queue"),
                        s.get("out of order, MPMC ring") + s.get("out of order, message queue"),
                        s.get("phantom, MPMC ring") + s.get("phantom, message queue"));
                case "leaks" -> String.format("open/close cycles %,d; kinds leaking a descriptor or a mapping %d", s.get("open/close cycles"),
                        failures);
                default -> String.format("cases %,d; as documented %,d, failing for a known defect %,d", s.get("cases"),
                        s.get("as documented"), s.get("failing, known defect"));
            };
            sb.append(String.format("  %-18s %s; unexplained findings %d, explained by known defects %d%n", s.name() + ":", line,
                    failures, known));
        }
        return sb.toString();
    }

    private static String perTransport(Tally.Section s) {
        StringBuilder sb = new StringBuilder();
        for (String t : java.util.List.of("SPSC", "MPSC", "MPMC", "mq", "mutex", "semaphore")) {
            sb.append(sb.isEmpty() ? "" : ", ").append(t).append(' ').append(s.get("trials " + t));
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
