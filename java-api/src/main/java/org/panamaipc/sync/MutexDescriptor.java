package org.panamaipc.sync;

/**
 * The layout of an {@link IpcMutex}: one cache line. Mirrored by {@code struct pipc_mutex} in
 * {@code native/include/pipc_segment.h}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-------------------------------------------------------------+
 *  |W|0|                     owner pid (30)                        |  0 word, futex
 *  +-+-+-----------------------------------------------------------+
 *  |                       owner died (32)                         |  4
 *  +---------------------------------------------------------------+
 *  |            owner process start time, clock ticks (64)         |  8
 *  +---------------------------------------------------------------+
 *  |                 owner Java thread id (64)                     | 16
 *  +---------------------------------------------------------------+
 *  |                   owner pid, copy (32)                        | 24
 *  +---------------------------------------------------------------+
 *  |             owner record sequence number (32)                 | 28
 *  +---------------------------------------------------------------+
 *  |                     acquisitions (64)                         | 32
 *  +---------------------------------------------------------------+
 *  |                       takeovers (64)                          | 40
 *  +---------------------------------------------------------------+
 *  |                       reserved (128)                          | 48
 *  +---------------------------------------------------------------+ 64
 * </pre>
 *
 * The word is 0 when the mutex is free; otherwise it holds the owner's pid, with bit 31
 * ({@code FUTEX_WAITERS}, "W") set once a thread sleeps, or is about to sleep, on it. Only the word
 * decides ownership: the record after it (start time, thread, pid copy) is written by the owner
 * after it has won the word, and lets a waiter tell a dead owner from a live one even after the
 * pid is reused. The owner makes the sequence number odd before it writes the start time and the
 * pid copy and even after (a seqlock), so a waiter never pairs one owner's pid with the next
 * owner's start time. The two counters are updated only by the owner.
 */
public final class MutexDescriptor {

    /** Offset of the futex word. */
    public static final int WORD_OFFSET = 0;
    /** Offset of the owner-died mark of the current holding. */
    public static final int OWNER_DIED_OFFSET = WORD_OFFSET + Integer.BYTES;
    /** Offset of the owner's process start time. */
    public static final int OWNER_START_TIME_OFFSET = OWNER_DIED_OFFSET + Integer.BYTES;
    /** Offset of the owning Java thread's id. */
    public static final int OWNER_THREAD_OFFSET = OWNER_START_TIME_OFFSET + Long.BYTES;
    /** Offset of the copy of the owner's pid that pairs with the start time. */
    public static final int OWNER_PID_OFFSET = OWNER_THREAD_OFFSET + Long.BYTES;
    /** Offset of the sequence number of the owner record: odd while a new owner writes the record. */
    public static final int OWNER_SEQUENCE_OFFSET = OWNER_PID_OFFSET + Integer.BYTES;
    /** Offset of the count of acquisitions. */
    public static final int ACQUISITIONS_OFFSET = OWNER_SEQUENCE_OFFSET + Integer.BYTES;
    /** Offset of the count of takeovers from dead owners. */
    public static final int TAKEOVERS_OFFSET = ACQUISITIONS_OFFSET + Long.BYTES;
    /** The layout's size. */
    public static final int SIZE = 64;

    /** Bit of the word set while someone sleeps on it (the kernel's {@code FUTEX_WAITERS}). */
    public static final int WAITERS = 0x8000_0000;
    /** Bits of the word holding the owner's pid (the kernel's {@code FUTEX_TID_MASK}). */
    public static final int OWNER_MASK = 0x3fff_ffff;

    private MutexDescriptor() {
    }
}
