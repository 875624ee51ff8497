package org.panamaipc.sync;

/**
 * The layout of an {@link IpcEvent}: one cache line. Mirrored by {@code struct pipc_event} in
 * {@code native/include/pipc_segment.h}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 state: 0 reset, 1 set; futex (32)             |  0
 *  +---------------------------------------------------------------+
 *  |                 auto reset: 0 manual, 1 auto (32)             |  4
 *  +---------------------------------------------------------------+
 *  |                  waiters, all processes (32)                  |  8
 *  +---------------------------------------------------------------+
 *  |                       reserved (416)                          | 12
 *  +---------------------------------------------------------------+ 64
 * </pre>
 */
public final class EventDescriptor {

    /** Offset of the state word, the futex. */
    public static final int STATE_OFFSET = 0;
    /** Offset of the auto-reset mode. */
    public static final int AUTO_RESET_OFFSET = STATE_OFFSET + Integer.BYTES;
    /** Offset of the number of threads waiting. */
    public static final int WAITERS_OFFSET = AUTO_RESET_OFFSET + Integer.BYTES;
    /** The layout's size. */
    public static final int SIZE = 64;

    /** The state of a reset event. */
    public static final int RESET = 0;
    /** The state of a set event. */
    public static final int SET = 1;

    private EventDescriptor() {
    }
}
