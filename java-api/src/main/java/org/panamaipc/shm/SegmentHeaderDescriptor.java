package org.panamaipc.shm;

/**
 * The header every panama-ipc shared-memory object starts with, and the rules for reading it.
 * Mirrored by {@code struct pipc_segment_header} in {@code native/include/pipc_segment.h}; a test
 * holds the two equal.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     magic "PNMA_IPC" (64)                     |  0
 *  +---------------------------------------------------------------+
 *  |                          kind (32)                            |  8
 *  +---------------------------------------------------------------+
 *  |                     layout version (32)                       | 12
 *  +---------------------------------------------------------------+
 *  |                        total size (64)                        | 16
 *  +---------------------------------------------------------------+
 *  |                  header size = body offset (64)               | 24
 *  +---------------------------------------------------------------+
 *  |                         body size (64)                        | 32
 *  +---------------------------------------------------------------+
 *  |                          flags (32)                           | 40
 *  +---------------------------------------------------------------+
 *  |                       creator pid (32)                        | 44
 *  +---------------------------------------------------------------+
 *  |               creator start time, clock ticks (64)            | 48
 *  +---------------------------------------------------------------+
 *  |              creation time, ms since the epoch (64)           | 56
 *  +===============================================================+ second cache line
 *  |                ready word, futex (32)                         | 64
 *  +---------------------------------------------------------------+
 *  |                     reserved, zero (480)                      | 68
 *  +---------------------------------------------------------------+ 128: the body
 * </pre>
 *
 * <p><b>Publication.</b> The creator writes every field, then the body's initial state, then
 * release-stores {@link #READY} into the ready word and wakes it. An opener acquire-loads the ready
 * word, waiting on it with a deadline, and reads nothing else before it holds {@link #READY}.
 *
 * <p><b>Validation.</b> An opener trusts nothing: it checks the object's size against the header,
 * the magic, the kind, the version, that the sizes add up and that flags holds no unknown bit,
 * and rejects a mismatch with an {@link InvalidSegmentException} naming the expected and found
 * values.
 */
public final class SegmentHeaderDescriptor {

    /** "PNMA_IPC" read as a little-endian long. */
    public static final long MAGIC = 0x4350495F414D4E50L;
    /** The ready word's value once the creator has finished ("REDY" little-endian). */
    public static final int READY = 0x59444552;

    /** Bytes in a cache line on the machines we run on. */
    public static final int CACHE_LINE = 64;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the kind ({@link SegmentKind#code()}). */
    public static final int KIND_OFFSET = MAGIC_OFFSET + Long.BYTES;
    /** Offset of the layout version of the kind. */
    public static final int LAYOUT_VERSION_OFFSET = KIND_OFFSET + Integer.BYTES;
    /** Offset of the object's total size in bytes. */
    public static final int TOTAL_SIZE_OFFSET = LAYOUT_VERSION_OFFSET + Integer.BYTES;
    /** Offset of the header's size, which is where the body starts. */
    public static final int HEADER_SIZE_OFFSET = TOTAL_SIZE_OFFSET + Long.BYTES;
    /** Offset of the body's size. */
    public static final int BODY_SIZE_OFFSET = HEADER_SIZE_OFFSET + Long.BYTES;
    /** Offset of the flags; none is defined yet, so they must be 0. */
    public static final int FLAGS_OFFSET = BODY_SIZE_OFFSET + Long.BYTES;
    /** Offset of the creator's pid. */
    public static final int CREATOR_PID_OFFSET = FLAGS_OFFSET + Integer.BYTES;
    /** Offset of the creator's start time (see {@link org.panamaipc.process.ProcessId}). */
    public static final int CREATOR_START_TIME_OFFSET = CREATOR_PID_OFFSET + Integer.BYTES;
    /** Offset of the creation time, milliseconds since the epoch. */
    public static final int CREATION_TIME_OFFSET = CREATOR_START_TIME_OFFSET + Long.BYTES;
    /** Offset of the ready word, alone in the second cache line. */
    public static final int READY_OFFSET = CACHE_LINE;
    /** The header's size: where the body starts. */
    public static final int HEADER_SIZE = 2 * CACHE_LINE;

    /** Flag bits this version understands (none). */
    public static final int KNOWN_FLAGS = 0;

    private SegmentHeaderDescriptor() {
    }
}
