package org.panamaipc.bindings;

/**
 * Limits: the longest name component, and the number of message-queue priorities.
 *
 * <p>Mirrors {@code <limits.h>}; every value is checked against the C compiler's by the ABI test.
 */
public final class limits_h {

    private limits_h() {
    }

    private static final int NAME_MAX = 255;

    /** {@snippet lang=c : #define NAME_MAX 255 } */
    public static int NAME_MAX() {
        return NAME_MAX;
    }

    private static final int MQ_PRIO_MAX = 32768;

    /** {@snippet lang=c : #define MQ_PRIO_MAX 32768 } */
    public static int MQ_PRIO_MAX() {
        return MQ_PRIO_MAX;
    }
}
