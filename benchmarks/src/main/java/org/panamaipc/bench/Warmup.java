package org.panamaipc.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How long a measuring peer warms up: for at least a minimum time and then, in a full run, until
 * its JIT has been quiet for {@link #QUIET_NANOS}, at most {@link #MAX_NANOS} in all.
 *
 * <p>A fixed warm-up measured the JIT instead of the transport: on the 2-CPU machines this project
 * runs on, with the peers spinning on both CPUs (or five JVMs sharing them in the RPC benchmark),
 * the C2 compiler threads get the CPU only between time slices, and they were still compiling the
 * hot paths 5 to 10 s in (seen with {@code -Xlog:jit+compilation}). Four RPC clients measured 5 s in
 * made 41,000 calls/s with a p50 of 68 µs; the same clients measured 15 s in made 250,000 to
 * 360,000 with a p50 of 1.2 µs. A transport with more Java code on its path (a typed record, a
 * bridge) was hurt more than a lean one, so a ratio between them was wrong too. The JIT counts its
 * compilation time ({@link CompilationMXBean#getTotalCompilationTime()}); once that has not grown
 * for a second, compiling has most likely settled. It is a heuristic, not a proof: a compilation
 * adds its time only when it ends, so one still running for over a second looks quiet; the
 * minimum before the first look and the one-second window cover the compilations seen here. Only
 * the measuring peer waits so (the ping, each RPC client, the broadcast publisher); the peers on
 * the other side run the same traffic meanwhile, and compile within about the same time.
 *
 * <p>The parent turns the wait for a quiet JIT on with {@code -D}{@value #PROPERTY}{@code =true} on
 * the peer's command line (quick runs leave it off: they check that every case runs, not its
 * speed). {@link #going()} is cheap enough to call once per message: it looks at the JIT's counter
 * every {@link #LOOK_EVERY_NANOS} only.
 */
final class Warmup {

    /** The system property that makes a peer wait for its JIT to be quiet. */
    static final String PROPERTY = "pipc.bench.warmup.jit";
    /** How long the JIT's compilation time must not grow for the warm-up to end: 1 s. */
    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The longest a warm-up lasts, quiet JIT or not: 30 s. */
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** How often the JIT's counter is read: every 50 ms. */
    static final long LOOK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final CompilationMXBean jit;
    private final long minNanos;
    private final long start = System.nanoTime();
    private long lastLook = start;
    private long lastTotal = -1;
    private long quietSince = start;
    private long took = -1;

    /** A warm-up of at least {@code minNanos}, waiting for a quiet JIT if the parent asked for it. */
    Warmup(long minNanos) {
        this(minNanos, Boolean.getBoolean(PROPERTY));
    }

    Warmup(long minNanos, boolean untilQuiet) {
        this.minNanos = minNanos;
        CompilationMXBean bean = untilQuiet ? ManagementFactory.getCompilationMXBean() : null;
        this.jit = bean != null && bean.isCompilationTimeMonitoringSupported() ? bean : null;
    }

    /** {@return the command-line flag that makes a peer wait for a quiet JIT, in a full run; none in a quick one} */
    static List<String> flags(boolean quick) {
        return quick ? List.of() : List.of("-D" + PROPERTY + "=true");
    }

    /** {@return whether to go on warming up} Call it between units of work until it says no. */
    boolean going() {
        if (took >= 0) {
            return false;
        }
        long now = System.nanoTime();
        long elapsed = now - start;
        if (elapsed < minNanos) {
            return true;
        }
        if (jit == null || elapsed >= MAX_NANOS) {
            took = elapsed;
            return false;
        }
        if (now - lastLook < LOOK_EVERY_NANOS) {
            return true;
        }
        lastLook = now;
        long total = jit.getTotalCompilationTime();
        if (total != lastTotal) {
            lastTotal = total;
            quietSince = now;
            return true;
        }
        if (now - quietSince < QUIET_NANOS) {
            return true;
        }
        took = elapsed;
        return false;
    }

    /** {@return how long the warm-up lasted, in milliseconds; -1 while it goes on} */
    long millis() {
        return took < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(took);
    }
}
