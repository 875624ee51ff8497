package org.panamaipc.testkit;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unique names for the OS objects a test creates. Every name starts with {@link #prefix()}, which
 * holds the test JVM's pid, so {@link NoLeakedObjects} can tell this run's objects from anyone
 * else's and a leftover can be traced to the run that left it.
 */
public final class TestNames {

    /** What every object name of a panama-ipc test starts with, after the slash. */
    public static final String TEST_PREFIX = "pipc-test-";

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestNames() {
    }

    /** {@return the prefix, without the slash, of every name this JVM hands out} */
    public static String prefix() {
        return TEST_PREFIX + ProcessHandle.current().pid() + "-";
    }

    /** {@return a fresh POSIX object name, such as {@code /pipc-test-4242-7-3fa9c1-label}} */
    public static String unique(String label) {
        return "/" + prefix() + COUNTER.incrementAndGet() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24)) + "-" + label;
    }
}
