package org.panamaipc.bindings.children;

import org.panamaipc.bindings.errno_h;
import org.panamaipc.bindings.string_h;
import org.panamaipc.bindings.time_h;
import org.panamaipc.bindings.timespec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the child mains of the cross-process binding tests share: a watchdog that ends a child
 * which overruns its deadline, exit codes, errno names for messages, and absolute deadlines on a
 * clock, all through the raw bindings.
 */
public final class ChildSupport {

    /** The child did what it was asked. */
    public static final int EXIT_OK = 0;
    /** An unexpected exception; the stack trace is in the child's output. */
    public static final int EXIT_EXCEPTION = 1;
    /** The child read data that differs from what the parent wrote. */
    public static final int EXIT_MISMATCH = 2;
    /** A system call failed; the call and errno are in the child's output. */
    public static final int EXIT_CALL_FAILED = 3;
    /** The child saw something else than it was told to expect (a size, an attribute, a wake). */
    public static final int EXIT_UNEXPECTED = 4;
    /** The watchdog fired: the child ran past its deadline. */
    public static final int EXIT_DEADLINE = 124;

    /** How long any child may run before its watchdog ends it. */
    public static final Duration CHILD_DEADLINE = Duration.ofSeconds(30);

    /**
     * A 32-bit word of a segment, addressed as {@code (MemorySegment, long offset)}: words that
     * another process reads or writes go through {@code getAcquire}/{@code setRelease} on it.
     */
    public static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private static final Map<Integer, String> ERRNO_NAMES = errnoNames();

    private ChildSupport() {
    }

    /**
     * Starts a daemon thread that halts this JVM with {@link #EXIT_DEADLINE} once
     * {@code deadline} has passed, even while the main thread is blocked in a native call.
     */
    public static void startWatchdog(Duration deadline) {
        Thread watchdog = Thread.ofPlatform().daemon().name("child-watchdog").unstarted(() -> {
            try {
                Thread.sleep(deadline);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("DEADLINE: still running after " + deadline + "; halting");
            System.out.flush();
            Runtime.getRuntime().halt(EXIT_DEADLINE);
        });
        watchdog.start();
    }

    /**
     * {@return {@code rc}, unless it is -1: then throws a {@link CallFailed} that names the call and
     * the errno it left} Call it right after the call, before anything else touches the bindings.
     */
    public static long checkCall(String call, long rc) {
        if (rc == -1) {
            throw new CallFailed(call, errno_h.errno());
        }
        return rc;
    }

    /** A system call returned -1; children exit with {@link #EXIT_CALL_FAILED} on it. */
    public static final class CallFailed extends RuntimeException {
        private final int errno;

        CallFailed(String call, int errno) {
            super(call + " failed: " + describe(errno));
            this.errno = errno;
        }

        /** {@return the errno the call left} */
        public int errno() {
            return errno;
        }
    }

    /**
     * Runs a child's body: starts the watchdog, and maps a {@link CallFailed} to
     * {@link #EXIT_CALL_FAILED} and any other exception to {@link #EXIT_EXCEPTION}. The body
     * returns the exit code.
     */
    public static void run(String[] args, ChildBody body) {
        // later than the deadlines the bodies set themselves, so that their own diagnostics come first
        startWatchdog(CHILD_DEADLINE.plusSeconds(5));
        int code;
        try {
            code = body.run(args);
        } catch (CallFailed e) {
            System.out.println(e.getMessage());
            code = EXIT_CALL_FAILED;
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            code = EXIT_EXCEPTION;
        }
        System.out.println("exit " + code);
        System.out.flush();
        System.exit(code);
    }

    /** The body of a child main. */
    @FunctionalInterface
    public interface ChildBody {
        /** {@return the exit code} */
        int run(String[] args) throws Exception;
    }

    /** {@return {@code errno} as its name, number and text, e.g. {@code ENOENT (2): No such file or directory}} */
    public static String describe(int errno) {
        return errnoName(errno) + " (" + errno + "): " + string_h.strerrorText(errno);
    }

    /** {@return the name of {@code errno} as {@link errno_h} has it, e.g. {@code ETIMEDOUT}} */
    public static String errnoName(int errno) {
        return ERRNO_NAMES.getOrDefault(errno, "errno " + errno);
    }

    private static Map<Integer, String> errnoNames() {
        Map<Integer, String> names = new TreeMap<>();
        for (Method m : errno_h.class.getMethods()) {
            String name = m.getName();
            // EWOULDBLOCK and EOPNOTSUPP are aliases; report EAGAIN and ENOTSUP
            if (Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0 && m.getReturnType() == int.class
                    && name.startsWith("E") && !name.equals("EWOULDBLOCK") && !name.equals("EOPNOTSUPP")) {
                try {
                    names.put((Integer) m.invoke(null), name);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }

    /**
     * {@return a new {@code struct timespec} that holds the time {@code after} from now on
     * {@code clock}} For the absolute deadlines of {@code FUTEX_WAIT_BITSET} (CLOCK_MONOTONIC)
     * and {@code mq_timedsend} (CLOCK_REALTIME).
     */
    public static MemorySegment deadline(SegmentAllocator allocator, int clock, Duration after) {
        MemorySegment ts = now(allocator, clock);
        long nanos = timespec.tv_nsec(ts) + after.toNanosPart();
        timespec.tv_sec(ts, timespec.tv_sec(ts) + after.toSeconds() + nanos / 1_000_000_000L);
        timespec.tv_nsec(ts, nanos % 1_000_000_000L);
        return ts;
    }

    /** {@return a new {@code struct timespec} that holds the time now on {@code clock}} */
    public static MemorySegment now(SegmentAllocator allocator, int clock) {
        MemorySegment ts = timespec.allocate(allocator);
        checkCall("clock_gettime", time_h.clock_gettime(clock, ts));
        return ts;
    }

    /** {@return a {@code struct timespec} as nanoseconds} */
    public static long toNanos(MemorySegment ts) {
        return timespec.tv_sec(ts) * 1_000_000_000L + timespec.tv_nsec(ts);
    }
}
