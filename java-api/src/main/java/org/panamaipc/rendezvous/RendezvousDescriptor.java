package org.panamaipc.rendezvous;

import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.sync.MutexDescriptor;

/**
 * The layout of a rendezvous's body (after the segment header of {@link SegmentHeaderDescriptor}).
 * Mirrored by {@code struct pipc_rendezvous} in {@code native/include/pipc_rendezvous.h}.
 *
 * <pre>
 *  +----------------------------+ 0
 *  | configuration              |   max message length, slot counts, receiver slot length, offsets
 *  +----------------------------+ 128
 *  | ready signal (futex), senders offering, senders sleeping
 *  +----------------------------+ 256
 *  | counts: senders and receivers ever and left, slots in use; statistics
 *  +----------------------------+ 320
 *  | registration lock (an IpcMutex): serialises joining, leaving and retiring the dead
 *  +----------------------------+ 384 (SENDERS_OFFSET)
 *  | sender slot 0 ...          |   128 bytes each: state, events (futex), pid, start time, ack
 *  +----------------------------+ receiversOffset (a multiple of 128)
 *  | receiver slot 0 ...        |   receiverSlotLength bytes each: state, exchange (futex), pid,
 *  |                            |   start time, the message header, the message
 *  +----------------------------+
 * </pre>
 *
 * Configuration (offset 0):
 * <pre>
 *  +---------------------------------------------------------------+
 *  |     max message length (32)   |      sender slots (32)        |  0
 *  +---------------------------------------------------------------+
 *  |     receiver slots (32)       |   receiver slot length (32)   |  8
 *  +---------------------------------------------------------------+
 *  |                 sender slots' offset (64)                     | 16
 *  +---------------------------------------------------------------+
 *  |                receiver slots' offset (64)                    | 24
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Sender slot (128 bytes):
 * <pre>
 *  +---------------------------------------------------------------+
 *  | state: 0 free, 1 registering, 2 active (32) | events (32)     |  0   events: the futex the sender sleeps on
 *  +---------------------------------------------------------------+
 *  |            pid (32)                         | sleeping (32)   |  8   sleeping: 1 on events, 2 on the ready signal
 *  +---------------------------------------------------------------+
 *  |                  process start time (64)                      | 16
 *  +---------------------------------------------------------------+
 *  |        acknowledged: the ticket a receiver took last (64)     | 24
 *  +---------------------------------------------------------------+
 *  |     generation: registrations of this slot (64)               | 32
 *  +---------------------------------------------------------------+
 *  |     messages taken from this sender (64)                      | 40
 *  +---------------------------------------------------------------+
 *  |     offers withdrawn at a deadline (64)                       | 48
 *  +---------------------------------------------------------------+
 *  | offering: 1 while counted among the senders offering (32) | reserved (32) | 56
 *  +---------------------------------------------------------------+
 *  |                  reserved (512)                               | 64
 *  +---------------------------------------------------------------+ 128
 * </pre>
 *
 * Receiver slot ({@code receiverSlotLength} bytes: 128 and the longest message, rounded up to 64):
 * <pre>
 *  +---------------------------------------------------------------+
 *  | state (32)                                  | exchange (32)   |  0   exchange: code | sender id &lt;&lt; 8, the futex
 *  +---------------------------------------------------------------+
 *  |            pid (32)                         | sleeping (32)   |  8
 *  +---------------------------------------------------------------+
 *  |                  process start time (64)                      | 16
 *  +---------------------------------------------------------------+
 *  |                  messages taken (64)                          | 24
 *  +---------------------------------------------------------------+
 *  |                  reserved (256)                               | 32
 *  +---------------------------------------------------------------+
 *  |        ticket: generation &lt;&lt; 40 | sender's count (64)      | 64
 *  +---------------------------------------------------------------+
 *  |                sequence, per sender (64)                      | 72
 *  +---------------------------------------------------------------+
 *  |     payload length (32)       |      message type (32)        | 80
 *  +---------------------------------------------------------------+
 *  |     source: sender slot (32)  |      reserved (32)            | 88
 *  +---------------------------------------------------------------+
 *  |                  reserved (256)                               | 96
 *  +---------------------------------------------------------------+
 *  |                  payload ... (up to max message length)       | 128
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>The exchange.</b> Every hand-over is decided by compare-and-sets on one word, the receiver
 * slot's exchange, whose low 8 bits are a code and whose upper bits name the sender:
 * <pre>
 *   IDLE ──receiver enters a receive──▶ WAITING ──receiver's deadline──▶ IDLE
 *   WAITING ──a sender claims it──▶ CLAIMED|s ──s has written the message──▶ FILLED|s
 *   FILLED|s ──s's deadline: withdrawn──▶ WAITING
 *   FILLED|s ──the receiver takes it──▶ TAKING|s ──copied, acknowledged──▶ IDLE
 *   CLAIMED|s ──s found dead by the receiver──▶ WAITING
 *   any ──the receiver leaves, or is retired dead──▶ NONE
 * </pre>
 * The sender's withdrawal and the receiver's take are compare-and-sets from the same value
 * {@code FILLED|s}: exactly one succeeds, so a message is never both withdrawn and taken. A
 * receiver acknowledges by storing the ticket in the sender's slot (with a full fence), adding 1
 * to the sender's events word and waking it if its sleeping word is set; it writes every byte of
 * the message to its caller's memory before. A sender knows its message taken when the
 * acknowledged ticket is its own; when the exchange holds neither {@code FILLED|s} nor
 * {@code TAKING|s} and no acknowledgement came, the message was handed back (the receiver left,
 * or declined a message too long for its buffer), and the sender offers it again. The ticket's
 * generation, counted per registration of a sender slot, keeps an acknowledgement meant for a
 * dead sender from counting for the next one in its slot.
 *
 * <p><b>Waiting.</b> A receiver that sets WAITING reads the senders-sleeping count and, if it is
 * not 0, adds 1 to the ready signal and wakes its sleepers; a sender that finds no WAITING receiver
 * counts itself among the senders offering (which a {@code tryReceive} reads) and marks its slot's
 * offering word, and before sleeping adds 1 to the senders sleeping, sets its sleeping word to 2
 * and looks at the receivers once more; whoever retires the slot of a sender killed meanwhile
 * takes it off both counts (one killed between an add and its mark leaves its 1: a receiver's
 * try form then waits its 5 ms bound, and a waiting receiver makes a system call). A receiver sleeps on its
 * exchange word after setting its sleeping word and reading the exchange again; a sender that
 * sets FILLED reads that sleeping word and wakes it. A sender waiting for a take sleeps on its
 * events word the same way. Every sleep is a slice: a sender checks the liveness of the receiver
 * that holds its message (or, waiting for any, of all receivers) every 5 ms; a receiver checks
 * its senders every 100 ms, and at once when the senders-left count moves.
 */
public final class RendezvousDescriptor {

    /** Bytes in a cache line. */
    public static final int CACHE_LINE = SegmentHeaderDescriptor.CACHE_LINE;

    /** Offset of the longest payload. */
    public static final int MAX_MESSAGE_LENGTH_OFFSET = 0;
    /** Offset of the number of sender slots. */
    public static final int SENDER_SLOTS_OFFSET = 4;
    /** Offset of the number of receiver slots. */
    public static final int RECEIVER_SLOTS_OFFSET = 8;
    /** Offset of the bytes per receiver slot. */
    public static final int RECEIVER_SLOT_LENGTH_OFFSET = 12;
    /** Offset of where the sender slots start, in the body. */
    public static final int SENDERS_OFFSET_OFFSET = 16;
    /** Offset of where the receiver slots start, in the body. */
    public static final int RECEIVERS_OFFSET_OFFSET = 24;

    /** Offset of the ready signal: the futex senders sleep on while no receiver waits. */
    public static final int READY_SIGNAL_OFFSET = 2 * CACHE_LINE;
    /** Offset of the number of senders waiting for a receiver, awake or asleep. */
    public static final int SENDERS_OFFERING_OFFSET = READY_SIGNAL_OFFSET + 4;
    /** Offset of the number of senders asleep on the ready signal, or about to be. */
    public static final int SENDERS_SLEEPING_OFFSET = READY_SIGNAL_OFFSET + 8;

    /** Offset of the number of senders that ever attached. */
    public static final int SENDERS_EVER_OFFSET = 4 * CACHE_LINE;
    /** Offset of the number of sender slots freed (closed, or retired dead): receivers watch it. */
    public static final int SENDERS_LEFT_OFFSET = SENDERS_EVER_OFFSET + 4;
    /** Offset of the number of receivers that ever attached. */
    public static final int RECEIVERS_EVER_OFFSET = SENDERS_EVER_OFFSET + 8;
    /** Offset of the number of receiver slots freed: senders watch it. */
    public static final int RECEIVERS_LEFT_OFFSET = SENDERS_EVER_OFFSET + 12;
    /** Offset of one past the highest sender slot ever taken. */
    public static final int SENDER_SLOTS_IN_USE_OFFSET = SENDERS_EVER_OFFSET + 16;
    /** Offset of one past the highest receiver slot ever taken: senders look no further. */
    public static final int RECEIVER_SLOTS_IN_USE_OFFSET = SENDERS_EVER_OFFSET + 20;
    /** Offset of the number of messages taken by receivers that have left. */
    public static final int RETIRED_TAKEN_OFFSET = SENDERS_EVER_OFFSET + 24;
    /** Offset of the number of offers handed back because their receiver died or left holding them. */
    public static final int DROPPED_OFFSET = SENDERS_EVER_OFFSET + 32;

    /** Offset of the registration lock, an {@link org.panamaipc.sync.IpcMutex} region. */
    public static final int LOCK_OFFSET = 5 * CACHE_LINE;

    /** Where the sender slots start (the value of the senders' offset field). */
    public static final int SENDERS_OFFSET = 6 * CACHE_LINE;
    /** Bytes per sender slot. */
    public static final int SENDER_LENGTH = 2 * CACHE_LINE;

    /** Sender slot field: state. */
    public static final int S_STATE_OFFSET = 0;
    /** Sender slot field: the events word, the futex the sender sleeps on while its message is offered. */
    public static final int S_EVENTS_OFFSET = 4;
    /** Sender slot field: the owner's pid. */
    public static final int S_PID_OFFSET = 8;
    /** Sender slot field: 1 while the sender sleeps on its events word, or is about to. */
    public static final int S_SLEEPING_OFFSET = 12;
    /** Sender slot field: the owner's process start time. */
    public static final int S_START_TIME_OFFSET = 16;
    /** Sender slot field: the ticket of the message a receiver took last. */
    public static final int S_ACK_OFFSET = 24;
    /** Sender slot field: how many times the slot was registered. */
    public static final int S_GENERATION_OFFSET = 32;
    /** Sender slot field: messages taken from this sender. */
    public static final int S_SENT_OFFSET = 40;
    /** Sender slot field: offers withdrawn at the deadline. */
    public static final int S_WITHDRAWN_OFFSET = 48;
    /** Sender slot field: 1 while the sender is counted among the senders offering. */
    public static final int S_OFFERING_OFFSET = 56;
    /** Sender sleeping word: asleep on its events word. */
    public static final int SLEEPING_ON_EVENTS = 1;
    /** Sender sleeping word: asleep on the ready signal, counted among the senders sleeping. */
    public static final int SLEEPING_ON_READY = 2;

    /** Receiver slot field: state. */
    public static final int R_STATE_OFFSET = 0;
    /** Receiver slot field: the exchange word. */
    public static final int R_EXCHANGE_OFFSET = 4;
    /** Receiver slot field: the owner's pid. */
    public static final int R_PID_OFFSET = 8;
    /** Receiver slot field: 1 while the receiver sleeps on its exchange word, or is about to. */
    public static final int R_SLEEPING_OFFSET = 12;
    /** Receiver slot field: the owner's process start time. */
    public static final int R_START_TIME_OFFSET = 16;
    /** Receiver slot field: messages taken. */
    public static final int R_TAKEN_OFFSET = 24;
    /** Receiver slot field: the ticket of the message offered. */
    public static final int R_TICKET_OFFSET = 64;
    /** Receiver slot field: the sender's sequence number of the message. */
    public static final int R_SEQUENCE_OFFSET = 72;
    /** Receiver slot field: the payload length. */
    public static final int R_LENGTH_OFFSET = 80;
    /** Receiver slot field: the message type. */
    public static final int R_TYPE_OFFSET = 84;
    /** Receiver slot field: the sender's slot id. */
    public static final int R_SOURCE_OFFSET = 88;
    /** Receiver slot field: the payload. */
    public static final int R_PAYLOAD_OFFSET = 2 * CACHE_LINE;

    /** Slot state: free. */
    public static final int FREE = 0;
    /** Slot state: being taken, left or retired (under the lock). */
    public static final int REGISTERING = 1;
    /** Slot state: in use. */
    public static final int ACTIVE = 2;

    /** Exchange code: no exchange (a free slot, or one whose receiver left or died). */
    public static final int NONE = 0;
    /** Exchange code: the receiver is not in a receive. */
    public static final int IDLE = 1;
    /** Exchange code: the receiver waits in a receive; a sender may claim it. */
    public static final int WAITING = 2;
    /** Exchange code: a sender (in the upper bits) writes its message into the slot. */
    public static final int CLAIMED = 3;
    /** Exchange code: the message of the sender in the upper bits is there to take. */
    public static final int FILLED = 4;
    /** Exchange code: the receiver copies the message out, then acknowledges. */
    public static final int TAKING = 5;
    /** The bits of the exchange word that hold the code. */
    public static final int CODE_MASK = 0xFF;
    /** How far the sender's slot id is shifted in the exchange word. */
    public static final int SENDER_SHIFT = 8;
    /** How far a sender slot's generation is shifted in a ticket. */
    public static final int GENERATION_SHIFT = 40;

    /** The longest payload a rendezvous may be created for: 16 MiB. */
    public static final int MAX_MESSAGE_LENGTH = 1 << 24;
    /** The most slots of either kind. */
    public static final int MAX_SLOTS = 1024;

    private RendezvousDescriptor() {
    }

    /** {@return the exchange word for {@code code} and sender slot {@code sender}} */
    public static int exchange(int code, int sender) {
        return code | sender << SENDER_SHIFT;
    }

    /** {@return the bytes of a receiver slot for payloads of up to {@code maxMessageLength}} */
    public static int receiverSlotLength(int maxMessageLength) {
        return R_PAYLOAD_OFFSET + ((maxMessageLength + CACHE_LINE - 1) & -CACHE_LINE);
    }

    /** {@return where the receiver slots start after {@code senderSlots} sender slots} */
    public static long receiversOffset(int senderSlots) {
        long end = SENDERS_OFFSET + (long) senderSlots * SENDER_LENGTH;
        return (end + 2 * CACHE_LINE - 1) & -(2L * CACHE_LINE);
    }

    /** {@return the bytes a body needs} */
    public static long bodySize(int maxMessageLength, int senderSlots, int receiverSlots) {
        return receiversOffset(senderSlots) + (long) receiverSlots * receiverSlotLength(maxMessageLength);
    }

    // validators: each returns null if the value can be right, else what is wrong, in words

    /** {@return null if {@code maxMessageLength} is in range, else the problem} */
    public static String checkMaxMessageLength(int maxMessageLength) {
        return maxMessageLength >= 0 && maxMessageLength <= MAX_MESSAGE_LENGTH ? null
                : "its max message length " + maxMessageLength + " is outside 0.." + MAX_MESSAGE_LENGTH;
    }

    /** {@return null if {@code slots} is a possible slot count, else the problem} */
    public static String checkSlots(int slots, String what) {
        return slots >= 1 && slots <= MAX_SLOTS ? null
                : "its " + what + " slot count " + slots + " is outside 1.." + MAX_SLOTS;
    }

    /** {@return null if the configuration's sizes and offsets agree, else the problem} */
    public static String checkGeometry(int maxMessageLength, int senderSlots, int receiverSlots, int receiverSlotLength,
                                       long sendersOffset, long receiversOffset, long bodySize) {
        if (receiverSlotLength != receiverSlotLength(maxMessageLength)) {
            return "its receiver slot length " + receiverSlotLength + " should be "
                    + receiverSlotLength(maxMessageLength) + " for max message length " + maxMessageLength;
        }
        if (sendersOffset != SENDERS_OFFSET) {
            return "its sender slots' offset " + sendersOffset + " should be " + SENDERS_OFFSET;
        }
        if (receiversOffset != receiversOffset(senderSlots)) {
            return "its receiver slots' offset " + receiversOffset + " should be " + receiversOffset(senderSlots)
                    + " for " + senderSlots + " sender slots";
        }
        long expected = bodySize(maxMessageLength, senderSlots, receiverSlots);
        return bodySize == expected ? null : "its body is " + bodySize + " bytes, expected " + expected;
    }

    static {
        if (LOCK_OFFSET + MutexDescriptor.SIZE > SENDERS_OFFSET) {
            throw new AssertionError("the registration lock overlaps the sender slots");
        }
    }
}
