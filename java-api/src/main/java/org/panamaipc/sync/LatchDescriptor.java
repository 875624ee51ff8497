package org.panamaipc.sync;

/**
 * The layout of an {@link IpcLatch}: one cache line. Mirrored by {@code struct pipc_latch} in
 * {@code native/include/pipc_segment.h}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              count, down to 0 and no further; futex (32)      |  0
 *  +---------------------------------------------------------------+
 *  |                      initial count (32)                       |  4
 *  +---------------------------------------------------------------+
 *  |                       reserved (448)                          |  8
 *  +---------------------------------------------------------------+ 64
 * </pre>
 */
public final class LatchDescriptor {

    /** Offset of the count, the futex word. */
    public static final int COUNT_OFFSET = 0;
    /** Offset of the initial count. */
    public static final int INITIAL_COUNT_OFFSET = COUNT_OFFSET + Integer.BYTES;
    /** The layout's size. */
    public static final int SIZE = 64;

    private LatchDescriptor() {
    }
}
