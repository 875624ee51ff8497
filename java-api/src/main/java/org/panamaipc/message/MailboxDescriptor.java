package org.panamaipc.message;

import org.panamaipc.bindings.CTypes;

/**
 * The body of the control segment that names a {@link Mailbox} or a {@link Port} (segment kind
 * {@link org.panamaipc.shm.SegmentKind#MAILBOX}): which transport holds the messages, its sizes,
 * and for a port who owns it. Mirrored by {@code struct pipc_mailbox} in
 * {@code native/include/pipc_message.h}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              transport: 1 ring, 2 queue (32)                  |  0
 *  +---------------------------------------------------------------+
 *  |             flags: 1 port, 2 without the envelope (32)        |  4
 *  +---------------------------------------------------------------+
 *  |                   capacity, messages (32)                     |  8
 *  +---------------------------------------------------------------+
 *  |        max message length: bytes of a value (32)              | 12
 *  +---------------------------------------------------------------+
 *  |                      reserved (384)                           | 16
 *  +===============================================================+ second cache line
 *  |  owner lock: a robust, process-shared pthread_mutex_t (320)   | 64
 *  |  (its first word is the kernel's robust futex word)           |
 *  +---------------------------------------------------------------+
 *  |  owner state: 0 none, 1 owned, 2 closed, 3 reclaimed (32)     | 104
 *  +---------------------------------------------------------------+
 *  |                       owner pid (32)                          | 108
 *  +---------------------------------------------------------------+
 *  |                owner start time, clock ticks (64)             | 112
 *  +---------------------------------------------------------------+
 *  |                       reserved (64)                           | 120
 *  +---------------------------------------------------------------+ 128
 * </pre>
 *
 * <p>The messages live in an object of their own, named after the mailbox: {@code NAME.ring}
 * (shared memory: an MPMC ring for a mailbox, MPSC for a port or a single-receiver mailbox) or {@code NAME.queue} (a POSIX
 * message queue). The creator makes that object while it initialises this body, before the
 * segment's ready word, so whoever opens the mailbox finds it.
 *
 * <p><b>A port's owner.</b> The owner's process holds the owner lock from a thread of its own for
 * as long as the port is open. The kernel keeps a robust list of the locks each thread holds and,
 * when the thread dies for whatever reason ({@code SIGKILL} included), sets
 * {@link #FUTEX_OWNER_DIED} in the lock's futex word. So a sender learns that the owner has gone
 * from one load of that word, without a system call: the owner is there while the word holds a
 * thread id and not {@code FUTEX_OWNER_DIED}. Closing the port unlocks it (the word becomes 0)
 * after setting the state to {@link #OWNER_CLOSED}. Whoever finds a port of a dead owner may
 * remove it, but only after moving the state from {@link #OWNER_OWNED} to
 * {@link #OWNER_RECLAIMED} with a compare-and-set, so exactly one process removes it.
 */
public final class MailboxDescriptor {

    /** Transport: a ring channel. */
    public static final int TRANSPORT_RING = 1;
    /** Transport: a POSIX message queue. */
    public static final int TRANSPORT_QUEUE = 2;
    /** Flag: a port. */
    public static final int FLAG_PORT = 1;
    /**
     * Flag: the messages carry no envelope ({@link EnvelopeDescriptor}): each ring record's payload
     * is the value alone ({@link MailboxOptions#withoutEnvelope()}). Only with a ring.
     */
    public static final int FLAG_BARE = 2;
    /** Every flag this layout knows: a control segment with another bit set was not written by it. */
    public static final int KNOWN_FLAGS = FLAG_PORT | FLAG_BARE;

    /**
     * {@return what is wrong with {@code flags} of a mailbox over {@code transport}, or null} A bit
     * this layout does not know, or {@link #FLAG_BARE} with a message queue, which has no header but
     * the envelope.
     */
    public static String checkFlags(int transport, int flags) {
        if ((flags & ~KNOWN_FLAGS) != 0) {
            return "its flags 0x" + Integer.toHexString(flags) + " have bits this version does not know (it knows 0x"
                    + Integer.toHexString(KNOWN_FLAGS) + ")";
        }
        if ((flags & FLAG_BARE) != 0 && transport != TRANSPORT_RING) {
            return "its flags say its messages go without the envelope, which only a ring's can";
        }
        return null;
    }

    /** Owner state of a mailbox: nobody owns it. */
    public static final int OWNER_NONE = 0;
    /** Owner state of a port whose owner holds the owner lock. */
    public static final int OWNER_OWNED = 1;
    /** Owner state of a port its owner closed. */
    public static final int OWNER_CLOSED = 2;
    /** Owner state of a dead owner's port, being removed by the process that set it. */
    public static final int OWNER_RECLAIMED = 3;

    /** The bit the kernel sets in a robust futex word when its holder dies ({@code <linux/futex.h>}). */
    public static final int FUTEX_OWNER_DIED = 0x40000000;
    /** The bits of a robust futex word that hold its holder's thread id. */
    public static final int FUTEX_TID_MASK = 0x3fffffff;

    /** Offset of the transport. */
    public static final int TRANSPORT_OFFSET = 0;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 4;
    /** Offset of the capacity in messages. */
    public static final int CAPACITY_OFFSET = 8;
    /** Offset of the longest value in bytes. */
    public static final int MAX_MESSAGE_LENGTH_OFFSET = 12;
    /** Offset of the owner lock, a {@code pthread_mutex_t}. */
    public static final int OWNER_LOCK_OFFSET = 64;
    /** Offset of the owner lock's futex word. */
    public static final int OWNER_WORD_OFFSET = OWNER_LOCK_OFFSET;
    /** Offset of the owner state. */
    public static final int OWNER_STATE_OFFSET = OWNER_LOCK_OFFSET + (int) CTypes.pthread_mutex_t.byteSize();
    /** Offset of the owner's pid. */
    public static final int OWNER_PID_OFFSET = OWNER_STATE_OFFSET + Integer.BYTES;
    /** Offset of the owner's start time. */
    public static final int OWNER_START_TIME_OFFSET = OWNER_PID_OFFSET + Integer.BYTES;
    /** Bytes of the body. */
    public static final int SIZE = 128;

    /** Appended to a mailbox's name to name its ring. */
    public static final String RING_SUFFIX = ".ring";
    /** Appended to a mailbox's name to name its message queue. */
    public static final String QUEUE_SUFFIX = ".queue";

    private MailboxDescriptor() {
    }

    /**
     * {@return whether an owner lock word says its holder is there} A thread id, and not
     * {@link #FUTEX_OWNER_DIED}; 0 means nobody holds it (closed, or never locked).
     */
    public static boolean ownerPresent(int word) {
        return (word & FUTEX_TID_MASK) != 0 && (word & FUTEX_OWNER_DIED) == 0;
    }

    /** {@return null if {@code transport} is a transport code, else the problem} */
    public static String checkTransport(int transport) {
        return transport == TRANSPORT_RING || transport == TRANSPORT_QUEUE ? null
                : "its transport is " + transport + ", expected 1 (ring) or 2 (queue)";
    }
}
