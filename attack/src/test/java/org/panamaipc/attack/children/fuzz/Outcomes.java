package org.panamaipc.attack.children.fuzz;

import org.panamaipc.IpcException;
import org.panamaipc.shm.InvalidSegmentException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the operations of one hostile-segment case met, sorted into what is acceptable (normal
 * operation, or a specific panama-ipc exception: an {@link IpcException} such as
 * {@link InvalidSegmentException}, or an exception the operation documents) and what is not (any
 * other exception, in particular one from the FFM API's internals, or a result that cannot be
 * right).
 */
final class Outcomes {

    /** An operation that may throw anything. */
    @FunctionalInterface
    interface Op {
        void run() throws Throwable;
    }

    /** An operation with a result that may throw anything. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws Throwable;
    }

    private final Set<String> accepted = new LinkedHashSet<>();
    private final List<String> bad = new ArrayList<>();
    private int operations;

    /** Runs {@code op}, sorting what it throws. */
    void run(String name, Op op) {
        operations++;
        try {
            op.run();
        } catch (Throwable t) {
            classify(name, t);
        }
    }

    /** Runs {@code call}; {@return its result, or null if it threw (sorted as by {@link #run})} */
    <T> T call(String name, Call<T> call) {
        operations++;
        try {
            return call.call();
        } catch (Throwable t) {
            classify(name, t);
            return null;
        }
    }

    /** Records a result that cannot be right. */
    void wrong(String name, String what) {
        bad.add(name + ": " + what);
    }

    private void classify(String name, Throwable t) {
        if (t instanceof InvalidSegmentException e) {
            boolean lifecycle = name.contains("open") || name.contains("create");
            accepted.add("InvalidSegmentException(" + e.reason() + ")"
                    + (!lifecycle && String.valueOf(e.getMessage()).startsWith("Unable to open") ? "[worded as an open failure]" : ""));
        } else if (t instanceof IpcException e) {
            accepted.add(e.getClass().getSimpleName() + (e.errnoName() != null ? "(" + e.errnoName() + ")" : ""));
        } else if (documented(name, t)) {
            accepted.add(t.getClass().getSimpleName() + " documented by " + name.replaceAll(" .*", ""));
        } else {
            bad.add(name + ": " + describe(t));
        }
    }

    /** The exceptions the operations document for the states a hostile segment can put them in. */
    private static boolean documented(String name, Throwable t) {
        String m = String.valueOf(t.getMessage());
        if (t instanceof IllegalStateException && name.startsWith("attach")) {
            // RingChannel.sender/receiver: SPSC (or MPSC receiver) taken by a live process, or every slot
            return m.contains("already has a") || m.contains("endpoint slots in use by live processes");
        }
        if (t instanceof IllegalStateException && name.startsWith("unlock")) {
            return m.contains("is not held by this thread"); // IpcMutex.unlock
        }
        return false;
    }

    /** {@return the exception's class, message and where it came from, in one line} */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder(t.getClass().getName()).append(": ").append(firstLine(t.getMessage()));
        StackTraceElement origin = null;
        StackTraceElement library = null;
        for (StackTraceElement e : t.getStackTrace()) {
            if (origin == null) {
                origin = e;
            }
            if (library == null && e.getClassName().startsWith("org.panamaipc.") && !e.getClassName().startsWith("org.panamaipc.attack")) {
                library = e;
            }
        }
        if (origin != null && (origin.getClassName().startsWith("jdk.internal.foreign")
                || origin.getClassName().startsWith("java.lang.foreign") || origin.getClassName().startsWith("jdk.internal.misc"))) {
            sb.append(" [from FFM internals: ").append(origin).append(']');
        }
        if (library != null) {
            sb.append(" at ").append(library);
        }
        if (t.getCause() != null && t.getCause() != t) {
            sb.append(" caused by ").append(t.getCause().getClass().getName()).append(": ").append(firstLine(t.getCause().getMessage()));
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "null";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    boolean anyBad() {
        return !bad.isEmpty();
    }

    List<String> bad() {
        return bad;
    }

    Set<String> accepted() {
        return accepted;
    }

    int operations() {
        return operations;
    }
}
