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
        sb.append("finished ").append(Instant.now()).append(", took ").append(took.toSeconds()).append(" s, ")
                .append(testsRun).append(" tests\n\n");
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

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
