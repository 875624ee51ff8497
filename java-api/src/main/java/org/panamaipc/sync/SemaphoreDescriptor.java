package org.panamaipc.sync;

/**
 * The layout of an {@link IpcSemaphore}: one cache line. Mirrored by {@code struct pipc_semaphore}
 * in {@code native/include/pipc_segment.h}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 permits available, futex (32)                 |  0
 *  +---------------------------------------------------------------+
 *  |                  waiters, all processes (32)                  |  4
 *  +---------------------------------------------------------------+
 *  |                     initial permits (32)                      |  8
 *  +---------------------------------------------------------------+
 *  |                       reserved (416)                          | 12
 *  +---------------------------------------------------------------+ 64
 * </pre>
 *
 * A waiter increments {@code waiters} before it reads {@code permits} and sleeps on it; a releaser
 * increments {@code permits} before it reads {@code waiters}. Both are full-fence atomics, so at
 * least one of the two sees the other: no wake-up is lost, and a release with no waiter makes no
 * system call.
 */
public final class SemaphoreDescriptor {

    /** Offset of the count of available permits, the futex word. */
    public static final int PERMITS_OFFSET = 0;
    /** Offset of the number of threads waiting. */
    public static final int WAITERS_OFFSET = PERMITS_OFFSET + Integer.BYTES;
    /** Offset of the initial number of permits. */
    public static final int MAX_PERMITS_OFFSET = WAITERS_OFFSET + Integer.BYTES;
    /** The layout's size. */
    public static final int SIZE = 64;

    private SemaphoreDescriptor() {
    }
}
