package org.panamaipc.attack.children.fuzz;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs hostile-segment cases in this JVM, one after the other:
 * {@code FuzzChild RUN_SEED FROM TO} runs cases FROM to TO-1 of the run with seed RUN_SEED, and
 * {@code FuzzChild seeds SEED...} the cases with those seeds. Before a case it prints
 * {@code start INDEX SEED}, after it {@code end INDEX SEED VERDICT DETAIL}, each line flushed at
 * once: should the JVM crash or hang, the parent knows which case did it. A watchdog ends the JVM
 * (exit 7, after printing {@code HANG} and the stack) if one case takes longer than
 * {@link #CASE_DEADLINE_MILLIS}.
 */
public final class FuzzChild {

    /** The longest one case may take: far more than any wait in a case adds up to. */
    public static final long CASE_DEADLINE_MILLIS = 60_000;

    private static volatile long caseStarted;
    private static volatile String current = "";

    private FuzzChild() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        Thread main = Thread.currentThread();
        Thread watchdog = new Thread(() -> watch(main), "fuzz-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        List<long[]> cases = new ArrayList<>();
        if (args[0].equals("seeds")) {
            for (int i = 1; i < args.length; i++) {
                cases.add(new long[] {i - 1, Long.parseUnsignedLong(args[i].replaceFirst("^0x", ""), 16)});
            }
        } else {
            long runSeed = Long.parseLong(args[0]);
            for (long i = Long.parseLong(args[1]); i < Long.parseLong(args[2]); i++) {
                cases.add(new long[] {i, HostileCase.caseSeed(runSeed, i)});
            }
        }
        boolean verbose = Boolean.getBoolean("attack.verbose");
        for (long[] c : cases) {
            String id = c[0] + " 0x" + Long.toHexString(c[1]);
            current = id;
            out.println("start " + id);
            out.flush();
            caseStarted = System.nanoTime();
            long began = System.nanoTime();
            HostileCase.Result result = HostileCase.of(c[1]).run();
            long millis = (System.nanoTime() - began) / 1_000_000;
            caseStarted = 0;
            String verdict = result.bad() ? "BAD" : result.outcomes().accepted().isEmpty() ? "NORMAL" : "ACCEPTED";
            String detail = (result.bad() ? String.join(" ;; ", result.outcomes().bad()) : String.join(",", result.outcomes().accepted()))
                    + " || target " + result.target() + " || " + String.join(" ; ", result.mutations())
                    + " || skipped " + result.skipped() + " || " + millis + " ms";
            out.println("end " + id + " " + verdict + " " + detail.replace('\n', ' '));
            out.flush();
            if (verbose) {
                out.println("  operations " + result.outcomes().operations());
            }
        }
        out.println("finished " + cases.size());
        out.flush();
        System.exit(0);
    }

    private static void watch(Thread main) {
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long started = caseStarted;
            if (started != 0 && System.nanoTime() - started > CASE_DEADLINE_MILLIS * 1_000_000L) {
                StringBuilder sb = new StringBuilder("HANG " + current + " after " + CASE_DEADLINE_MILLIS + " ms; main thread:");
                for (StackTraceElement e : main.getStackTrace()) {
                    sb.append(" | ").append(e);
                }
                for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
                    if (t.getKey() != main && t.getKey() != Thread.currentThread() && !t.getKey().isDaemon()) {
                        sb.append(" || thread ").append(t.getKey().getName());
                    }
                }
                System.out.println(sb);
                System.out.flush();
                Runtime.getRuntime().halt(7);
            }
        }
    }
}
