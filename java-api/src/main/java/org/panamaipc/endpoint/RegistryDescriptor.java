package org.panamaipc.endpoint;

import org.panamaipc.sync.MutexDescriptor;

/**
 * The layout of an endpoint registry (segment kind {@link org.panamaipc.shm.SegmentKind#REGISTRY}):
 * a header, then a fixed table of entries, each a name and the process that holds it. Mirrored by
 * {@code struct pipc_registry} and {@code struct pipc_registry_entry} in
 * {@code native/include/pipc_message.h}.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  | entries (32) | entry size (32) | name max (32) | reserved (32)|  0
 *  +---------------------------------------------------------------+
 *  |                        reserved (384)                         | 16
 *  +===============================================================+
 *  |          lock: an {@link org.panamaipc.sync.IpcMutex} (512)   | 64
 *  +===============================================================+
 *  |  entry 0 (1024) | entry 1 | ... | entry entries - 1           | 128
 *  +---------------------------------------------------------------+
 * </pre>
 * One entry:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |          sequence: odd while written (a seqlock) (32)         |  0
 *  +---------------------------------------------------------------+
 *  |                 state: 0 free, 1 active (32)                  |  4
 *  +---------------------------------------------------------------+
 *  |                       owner pid (32)                          |  8
 *  +---------------------------------------------------------------+
 *  |                    name length, bytes (32)                    | 12
 *  +---------------------------------------------------------------+
 *  |              owner start time, clock ticks (64)               | 16
 *  +---------------------------------------------------------------+
 *  |          registered at, ms since the epoch (64)               | 24
 *  +---------------------------------------------------------------+
 *  |                        reserved (256)                         | 32
 *  +---------------------------------------------------------------+
 *  |        name: UTF-8, NUL-padded, at most 63 bytes (512)        | 64
 *  +---------------------------------------------------------------+ 128
 * </pre>
 *
 * <p><b>Writing</b> (registering, unregistering, cleaning up after a dead owner) happens under the
 * lock, an {@link org.panamaipc.sync.IpcMutex} that a dead holder hands over: the writer makes the
 * sequence odd, writes the fields, and release-stores the next even sequence. <b>Reading</b> (a
 * look-up by name, a reply address) takes no lock: the reader acquire-loads an even sequence,
 * copies the fields, and loads the sequence again; if it moved, it reads again. The even sequence
 * of an active entry names that registration: a reply address is the entry and that sequence
 * ({@link org.panamaipc.message.EnvelopeDescriptor#replyTo(int, int)}), so a reply to an endpoint
 * that has since gone, even if its entry was taken again, is refused rather than misdelivered.
 */
public final class RegistryDescriptor {

    /** Offset of the number of entries. */
    public static final int ENTRIES_OFFSET = 0;
    /** Offset of the size of an entry. */
    public static final int ENTRY_SIZE_OFFSET = 4;
    /** Offset of the longest name in bytes. */
    public static final int NAME_MAX_OFFSET = 8;
    /** Offset of the lock. */
    public static final int LOCK_OFFSET = 64;
    /** Bytes of the header: where the entries start. */
    public static final int HEADER_LENGTH = LOCK_OFFSET + MutexDescriptor.SIZE;

    /** Entry field: the sequence. */
    public static final int ENTRY_SEQUENCE_OFFSET = 0;
    /** Entry field: the state. */
    public static final int ENTRY_STATE_OFFSET = 4;
    /** Entry field: the owner's pid. */
    public static final int ENTRY_OWNER_PID_OFFSET = 8;
    /** Entry field: the name's length in bytes. */
    public static final int ENTRY_NAME_LENGTH_OFFSET = 12;
    /** Entry field: the owner's start time. */
    public static final int ENTRY_OWNER_START_TIME_OFFSET = 16;
    /** Entry field: when it was registered. */
    public static final int ENTRY_REGISTERED_OFFSET = 24;
    /** Entry field: the name. */
    public static final int ENTRY_NAME_OFFSET = 64;
    /** Bytes of an entry. */
    public static final int ENTRY_LENGTH = 128;
    /** The longest name, in bytes of UTF-8. */
    public static final int NAME_MAX = ENTRY_LENGTH - ENTRY_NAME_OFFSET - 1;

    /** Entry state: free. */
    public static final int STATE_FREE = 0;
    /** Entry state: a name held by a process. */
    public static final int STATE_ACTIVE = 1;

    /** The most entries a registry may have. */
    public static final int MAX_ENTRIES = 1 << 16;

    private RegistryDescriptor() {
    }

    /** {@return the offset of entry {@code index} in the body} */
    public static long entryOffset(int index) {
        return HEADER_LENGTH + (long) index * ENTRY_LENGTH;
    }

    /** {@return the bytes of a body with {@code entries} entries} */
    public static long bodySize(int entries) {
        return entryOffset(entries);
    }

    /** {@return null if {@code entries} can be an entry count, else the problem} */
    public static String checkEntries(int entries) {
        return entries >= 1 && entries <= MAX_ENTRIES ? null
                : "its entry count " + entries + " is outside 1.." + MAX_ENTRIES;
    }
}
