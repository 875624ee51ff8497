package org.panamaipc.bench.jmh;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names for the OS objects a benchmark creates: {@code /pipc-jmh-<pid>-<what>-<n>}, unique per
 * process and per call, so that forks running side by side, or a run that died and left an object
 * behind, never collide; the {@code pipc-} prefix is what {@code ci/test} and {@code ipc ls} look for.
 */
final class Names {

    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Names() {
    }

    /** {@return a new name for an object of kind {@code what}} */
    static String unique(String what) {
        return "/pipc-jmh-" + PID + "-" + what + "-" + NEXT.incrementAndGet();
    }
}
