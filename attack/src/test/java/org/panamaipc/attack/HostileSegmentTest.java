package org.panamaipc.attack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.attack.children.fuzz.FuzzChild;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile segments: {@link AttackMode#fuzzCases()} cases (and the named regression cases of
 * {@link FuzzRegressions}), each a panama-ipc object attacked by mutating its headers and records
 * or truncating it, run in child JVMs in batches ({@link FuzzChild}). Acceptable: normal
 * operation, a skipped record, a specific panama-ipc exception. Not: any other exception (above
 * all one from FFM's internals), a hang, a JVM crash. A child that crashes or hangs names its
 * case (it prints each case's seed before running it); the rest of its batch runs in a new JVM.
 * Every case replays alone with {@code -Dattack.seed=fuzz:SEED}.
 */
@Timeout(value = 3, unit = TimeUnit.HOURS)
class HostileSegmentTest {

    private static final int BATCH = 500;
    private static final Duration SILENCE = Duration.ofSeconds(FuzzChild.CASE_DEADLINE_MILLIS / 1000 + 60);

    /** What one case ended with, as the parent saw it. */
    record CaseEnd(long index, String seed, String verdict, String detail) {
        String caseId() {
            return "fuzz:" + seed;
        }
    }

    @Test
    void shouldSurviveEveryHostileSegment() throws Exception {
        String replay = AttackMode.replay("fuzz");
        if (AttackMode.replaying()) {
            if (replay != null) {
                List<CaseEnd> ends = runSeeds(List.of(replay), true);
                Tally.section("hostile segments").add("cases", ends.size());
                judge(ends, Map.of());
            }
            return;
        }
        long runSeed = AttackMode.runSeed();
        int cases = AttackMode.current().fuzzCases();
        int workers = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        int batch = Math.min(BATCH, (cases + workers - 1) / workers);
        ConcurrentLinkedDeque<long[]> chunks = new ConcurrentLinkedDeque<>();
        for (long from = 0; from < cases; from += batch) {
            chunks.add(new long[] {from, Math.min(cases, from + batch)});
        }
        List<CaseEnd> ends = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Thread t = Thread.ofPlatform().name("fuzz-batch-" + w).start(() -> {
                long[] chunk;
                while ((chunk = chunks.poll()) != null) {
                    List<CaseEnd> got = runBatch(List.of(Long.toString(runSeed), Long.toString(chunk[0]), Long.toString(chunk[1])), false);
                    ends.addAll(got);
                    long last = got.isEmpty() ? chunk[0] - 1 : got.getLast().index();
                    if (last + 1 < chunk[1]) {
                        chunks.add(new long[] {last + 1, chunk[1]}); // the JVM died at case `last`: go on after it
                    }
                }
            });
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        Tally.Section section = Tally.section("hostile segments");
        section.add("cases", ends.size());
        assertTrue(ends.size() >= cases, "every case ran: " + ends.size() + " of " + cases);
        judge(ends, Map.of());
    }

    @Test
    void shouldSurviveTheNamedRegressionCases() {
        if (AttackMode.replaying()) {
            return;
        }
        Map<String, String> names = new HashMap<>();
        FuzzRegressions.CASES.forEach((name, seed) -> names.put(seed, name));
        List<CaseEnd> ends = runSeeds(List.copyOf(FuzzRegressions.CASES.values()), false);
        Tally.section("hostile segments").add("named regression cases", ends.size());
        judge(ends, names);
    }

    private static List<CaseEnd> runSeeds(List<String> seeds, boolean verbose) {
        List<CaseEnd> ends = new ArrayList<>();
        List<String> remaining = new ArrayList<>(seeds);
        while (!remaining.isEmpty()) {
            List<String> a = new ArrayList<>(List.of("seeds"));
            a.addAll(remaining);
            List<CaseEnd> got = runBatch(a, verbose);
            ends.addAll(got);
            remaining = remaining.subList(Math.min(remaining.size(), got.size()), remaining.size());
        }
        return ends;
    }

    /**
     * Runs one child JVM over {@code args}; {@return the cases it ended, the last one being a
     * crash or a hang if the JVM died in it}
     */
    private static List<CaseEnd> runBatch(List<String> args, boolean verbose) {
        Child.Builder builder = Child.java(FuzzChild.class, args.toArray(String[]::new)).label("fuzz");
        if (verbose) {
            builder.jvm("-Dattack.verbose=true");
        }
        List<CaseEnd> ends = new ArrayList<>();
        try (Child child = builder.start()) {
            long lastSize = -1;
            long quietSince = System.nanoTime();
            while (child.waitFor(Duration.ofMillis(500)) == null) {
                long size = child.output().length();
                if (size != lastSize) {
                    lastSize = size;
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > SILENCE.toNanos()) {
                    child.kill(); // silent for too long, even for its own watchdog: stuck
                    break;
                }
            }
            String started = null;
            String hang = null;
            for (String line : child.lines()) {
                if (line.startsWith("start ")) {
                    started = line.substring(6);
                } else if (line.startsWith("end ")) {
                    String[] w = line.split(" ", 5);
                    ends.add(new CaseEnd(Long.parseLong(w[1]), w[2], w[3], w.length > 4 ? w[4] : ""));
                    started = null;
                } else if (line.startsWith("HANG ")) {
                    hang = line;
                }
                if (verbose) {
                    System.out.println("fuzz child: " + line);
                }
            }
            if (started != null) {
                String[] w = started.split(" ");
                String verdict = hang != null ? "HANG" : "CRASH";
                String detail = hang != null ? hang
                        : "the JVM died in this case (exit " + child.waitFor(Duration.ofSeconds(5)) + ")"
                        + (child.crashed() ? ", crash log " + child.errorFile() : "") + ": " + Trial.tail(child);
                ends.add(new CaseEnd(Long.parseLong(w[0]), w[1], verdict, detail));
            }
        }
        return ends;
    }

    private static void judge(List<CaseEnd> ends, Map<String, String> names) {
        Tally.Section section = Tally.section("hostile segments");
        section.zero("normal operation").zero("specific panama-ipc exception").zero("unacceptable exception")
                .zero("hangs").zero("JVM crashes");
        TreeMap<String, Integer> accepted = new TreeMap<>();
        List<String> unexplained = new ArrayList<>();
        for (CaseEnd end : ends) {
            String name = names.get(end.seed());
            String caseId = name != null ? "fuzz-regression:" + name + " (" + end.caseId() + ")" : end.caseId();
            String strict = name != null ? KnownDefects.failingCase("fuzz-regression:" + name) : null;
            switch (end.verdict()) {
                case "NORMAL" -> section.add("normal operation", 1);
                case "ACCEPTED" -> {
                    section.add("specific panama-ipc exception", 1);
                    for (String e : end.detail().split(" \\|\\| ")[0].split(",")) {
                        accepted.merge(e, 1, Integer::sum);
                    }
                }
                default -> section.add(switch (end.verdict()) {
                    case "HANG" -> "hangs";
                    case "CRASH" -> "JVM crashes";
                    default -> "unacceptable exception";
                }, 1);
            }
            skipped(section, end);
            boolean failed = !end.verdict().equals("NORMAL") && !end.verdict().equals("ACCEPTED");
            if (failed) {
                String defect = strict != null ? strict : KnownDefects.explainFuzz(end.verdict(), end.detail());
                section.finding(caseId, end.verdict() + " " + end.detail(), defect);
                if (defect == null) {
                    unexplained.add(caseId + ": " + end.verdict() + " " + end.detail());
                }
            } else if (strict != null) {
                unexplained.add(caseId + " is listed in KnownDefects.FAILING_CASES (" + strict
                        + ") but now passes: remove it from the list");
            }
        }
        accepted.forEach((e, n) -> section.add("  accepted: " + e, n));
        if (!unexplained.isEmpty()) {
            fail(unexplained.size() + " hostile-segment case(s) with unacceptable results (replay each with "
                    + "-Dattack.seed=<its fuzz: id>):\n  " + String.join("\n  ", unexplained));
        }
    }

    private static void skipped(Tally.Section section, CaseEnd end) {
        String[] parts = end.detail().split(" \\|\\| ");
        for (String part : parts) {
            if (part.startsWith("skipped ")) {
                try {
                    long skipped = Long.parseLong(part.substring(8).trim());
                    // the counter itself may be a target of the attack: count the cases that skipped
                    section.add("cases in which a receiver skipped records", skipped > 0 ? 1 : 0);
                } catch (NumberFormatException ignored) {
                    // not a count
                }
            }
        }
    }
}
