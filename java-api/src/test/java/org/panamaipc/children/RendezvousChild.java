package org.panamaipc.children;

import org.panamaipc.rendezvous.Rendezvous;
import org.panamaipc.rendezvous.RendezvousDescriptor;
import org.panamaipc.rendezvous.RendezvousReceiver;
import org.panamaipc.rendezvous.RendezvousSender;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.Futex;
import org.panamaipc.testkit.Watchdog;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Child JVM for the rendezvous tests; the first argument picks the role. Every role has a deadline.
 *
 * <p>The evidence segment of the race test holds, for message {@code id}, an int at {@code 8 * id}
 * that receivers add 1 to for each time they took it, and an int at {@code 8 * id + 4} where its
 * sender writes how its send ended: {@link #TAKEN}, {@link #WITHDRAWN} or {@link #GONE}.
 */
public final class RendezvousChild {

    /** Outcome of a send in the evidence: the send returned a sequence number. */
    public static final int TAKEN = 1;
    /** Outcome of a send in the evidence: the send returned FULL. */
    public static final int WITHDRAWN = 2;
    /** Outcome of a send in the evidence: the send returned CLOSED. */
    public static final int GONE = 3;

    private static final Duration DEADLINE = Duration.ofSeconds(150);
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private RendezvousChild() {
    }

    public static void main(String[] args) throws Exception {
        Watchdog.start(args[0], DEADLINE);
        switch (args[0]) {
            case "receive-into" -> receiveInto(args[1], args[2], Integer.parseInt(args[3]));
            case "attach-and-wait" -> attachAndWait(args[1], args[2]);
            case "hold" -> hold(args[1]);
            case "slow-take" -> slowTake(args[1], Long.parseLong(args[2]));
            case "late-take" -> lateTake(args[1]);
            case "race-send" -> raceSend(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Long.parseLong(args[6]));
            case "race-receive" -> raceReceive(args[1], args[2], Long.parseLong(args[3]));
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
        System.exit(0);
    }

    /**
     * Receives {@code count} 16-byte messages straight into the shared segment {@code evidence},
     * message {@code k} at offset {@code 16 * k}: the copy into the receiver's memory that comes
     * before the acknowledgement is what the sender then reads.
     */
    private static void receiveInto(String name, String evidence, int count) throws InterruptedException {
        try (Rendezvous link = Rendezvous.open(name);
             RendezvousReceiver receiver = link.receiver();
             SharedMemory shared = SharedMemory.open(evidence)) {
            System.out.println("READY receiver " + receiver.endpointId());
            System.out.flush();
            for (int k = 0; k < count; k++) {
                int length = receiver.receive(shared.segment(), 16L * k, Duration.ofSeconds(60));
                if (length != 16) {
                    System.out.println("FAILED: receive " + k + " returned " + length);
                    System.exit(3);
                }
            }
            System.out.println("TAKEN " + count);
        }
    }

    /**
     * Attaches a receiver that does not receive, and waits for a line on standard input; then
     * receives once with a short timeout and prints what came ({@code AFTER EMPTY} if nothing).
     */
    private static void attachAndWait(String name, String afterTimeout) throws Exception {
        try (Rendezvous link = Rendezvous.open(name); RendezvousReceiver receiver = link.receiver()) {
            System.out.println("READY receiver " + receiver.endpointId());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in)).readLine();
            byte[] after = receiver.receiveBytes(Duration.parse(afterTimeout));
            System.out.println(after == null ? "AFTER EMPTY" : "AFTER " + after.length + " bytes");
        }
    }

    /**
     * A receiver that takes a message and stops before it acknowledges, as a process killed in the
     * middle of a take would: attached through the API, it then works the exchange word of its slot
     * by hand (as a C peer would), sets WAITING, and once a sender has filled the slot, moves it to
     * TAKING and stops there until killed.
     */
    private static void hold(String name) throws InterruptedException {
        try (Rendezvous link = Rendezvous.open(name);
             RendezvousReceiver receiver = link.receiver();
             SharedMemory raw = SharedMemory.open(name)) {
            Slot slot = Slot.of(raw, receiver);
            while (true) {
                int value = slot.waitForFilledOnce();
                int taking = RendezvousDescriptor.exchange(RendezvousDescriptor.TAKING,
                        value >>> RendezvousDescriptor.SENDER_SHIFT);
                if (INT.compareAndSet(slot.body(), slot.exchange(), value, taking)) {
                    break;
                }
            }
            System.out.println("HOLDING a message, not acknowledging it");
            System.out.flush();
            Thread.sleep(DEADLINE.toMillis());
        }
    }

    /** The body of the rendezvous and the exchange word of this receiver's slot, worked by hand. */
    private record Slot(MemorySegment body, long base, long exchange) {
        static Slot of(SharedMemory raw, RendezvousReceiver receiver) {
            MemorySegment body = raw.segment().asSlice(SegmentHeaderDescriptor.HEADER_SIZE);
            long receivers = body.get(ValueLayout.JAVA_LONG, RendezvousDescriptor.RECEIVERS_OFFSET_OFFSET);
            int slotLength = body.get(ValueLayout.JAVA_INT, RendezvousDescriptor.RECEIVER_SLOT_LENGTH_OFFSET);
            long base = receivers + (long) receiver.endpointId() * slotLength;
            return new Slot(body, base, base + RendezvousDescriptor.R_EXCHANGE_OFFSET);
        }

        int exchangeValue() {
            return (int) INT.getVolatile(body, exchange);
        }

        /** As {@link #waitForFilled()}, setting WAITING only the first time (a withdrawn offer leaves it WAITING). */
        int waitForFilledOnce() {
            if (exchangeValue() == RendezvousDescriptor.IDLE) {
                return waitForFilled();
            }
            while ((exchangeValue() & RendezvousDescriptor.CODE_MASK) != RendezvousDescriptor.FILLED) {
                Thread.onSpinWait();
            }
            return exchangeValue();
        }

        /** Sets WAITING by hand, and {@return the exchange once a sender has filled it} */
        int waitForFilled() {
            if (!INT.compareAndSet(body, exchange, RendezvousDescriptor.IDLE, RendezvousDescriptor.WAITING)) {
                System.out.println("FAILED: exchange " + exchangeValue());
                System.exit(3);
            }
            System.out.println("READY waiting by hand");
            System.out.flush();
            while (true) {
                int value = exchangeValue();
                if ((value & RendezvousDescriptor.CODE_MASK) == RendezvousDescriptor.FILLED) {
                    return value;
                }
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Takes a message by hand (FILLED to TAKING), holds it {@code holdMillis}, well past the
     * sender's deadline, then acknowledges it as a receiver does: the ticket into the sender's
     * slot, its events word moved and woken, the exchange back to IDLE.
     */
    private static void slowTake(String name, long holdMillis) throws InterruptedException {
        try (Rendezvous link = Rendezvous.open(name);
             RendezvousReceiver receiver = link.receiver();
             SharedMemory raw = SharedMemory.open(name)) {
            Slot slot = Slot.of(raw, receiver);
            int filled = slot.waitForFilled();
            int sender = filled >>> RendezvousDescriptor.SENDER_SHIFT;
            if (!INT.compareAndSet(slot.body(), slot.exchange(), filled,
                    RendezvousDescriptor.exchange(RendezvousDescriptor.TAKING, sender))) {
                System.out.println("FAILED: the take lost to " + slot.exchangeValue());
                System.exit(3);
            }
            System.out.println("TAKING");
            System.out.flush();
            Thread.sleep(holdMillis);
            long ticket = slot.body().get(ValueLayout.JAVA_LONG, slot.base() + RendezvousDescriptor.R_TICKET_OFFSET);
            long senderSlot = RendezvousDescriptor.SENDERS_OFFSET + (long) sender * RendezvousDescriptor.SENDER_LENGTH;
            VarHandle.fullFence();
            slot.body().set(ValueLayout.JAVA_LONG, senderSlot + RendezvousDescriptor.S_ACK_OFFSET, ticket);
            VarHandle.fullFence();
            INT.getAndAdd(slot.body(), senderSlot + RendezvousDescriptor.S_EVENTS_OFFSET, 1);
            Futex.of(slot.body(), senderSlot + RendezvousDescriptor.S_EVENTS_OFFSET).wakeAll();
            INT.setVolatile(slot.body(), slot.exchange(), RendezvousDescriptor.IDLE);
            System.out.println("ACKED");
        }
    }

    /**
     * Sees a message offered (FILLED), then waits for a line on standard input and only then tries
     * to take it: after the sender withdrew it, the take must fail.
     */
    private static void lateTake(String name) throws Exception {
        try (Rendezvous link = Rendezvous.open(name);
             RendezvousReceiver receiver = link.receiver();
             SharedMemory raw = SharedMemory.open(name)) {
            Slot slot = Slot.of(raw, receiver);
            int filled = slot.waitForFilled();
            System.out.println("SAW FILLED");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in)).readLine();
            int taking = RendezvousDescriptor.exchange(RendezvousDescriptor.TAKING, filled >>> RendezvousDescriptor.SENDER_SHIFT);
            if (INT.compareAndSet(slot.body(), slot.exchange(), filled, taking)) {
                System.out.println("TAKE WON");
            } else {
                System.out.println("TAKE REFUSED exchange=" + slot.exchangeValue());
            }
            INT.setVolatile(slot.body(), slot.exchange(), RendezvousDescriptor.IDLE);
        }
    }

    /**
     * Sends messages {@code first, first + step, ...} below {@code end}, each with a random timeout
     * from 0 (the try form) to {@code maxTimeoutMicros}, and writes each outcome into the evidence.
     * Prints how many were taken, withdrawn, and taken although the deadline had passed (the
     * receiver's take won the race with the withdrawal).
     */
    private static void raceSend(String name, String evidence, int first, int step, int end, long maxTimeoutMicros)
            throws InterruptedException {
        SplittableRandom random = new SplittableRandom(first * 7919L);
        try (Rendezvous link = Rendezvous.open(name);
             RendezvousSender sender = link.sender();
             SharedMemory shared = SharedMemory.open(evidence);
             Arena arena = Arena.ofConfined()) {
            MemorySegment message = arena.allocate(16);
            long taken = 0;
            long withdrawn = 0;
            long late = 0;
            System.out.println("READY sender " + sender.endpointId());
            System.out.flush();
            for (int id = first; id < end; id += step) {
                message.set(ValueLayout.JAVA_LONG, 0, id);
                message.set(ValueLayout.JAVA_LONG, 8, ~((long) id * 0x9E3779B97F4A7C15L));
                long timeout = random.nextLong(maxTimeoutMicros + 1);
                long start = System.nanoTime();
                long result = timeout == 0 ? sender.trySend(1, message, 0, 16)
                        : sender.send(1, message, 0, 16, Duration.ofNanos(timeout * 1000));
                long elapsed = System.nanoTime() - start;
                int outcome = result >= 1 ? TAKEN : result == RendezvousSender.FULL ? WITHDRAWN : GONE;
                INT.setVolatile(shared.segment(), 8L * id + 4, outcome);
                if (outcome == TAKEN) {
                    taken++;
                    if (timeout > 0 && elapsed > timeout * 1000) {
                        late++;
                    }
                } else if (outcome == WITHDRAWN) {
                    withdrawn++;
                } else {
                    System.out.println("FAILED: message " + id + ": the receivers have gone");
                    System.exit(3);
                }
            }
            System.out.println("SENT taken=" + taken + " withdrawn=" + withdrawn + " late=" + late
                    + " withdrawnBySender=" + sender.withdrawn());
        }
    }

    /**
     * Receives until every sender has gone, pausing at random between receives so that deadlines
     * and takes cross; adds 1 to the evidence count of each message taken, after checking it.
     */
    private static void raceReceive(String name, String evidence, long seed) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        try (Rendezvous link = Rendezvous.open(name);
             RendezvousReceiver receiver = link.receiver();
             SharedMemory shared = SharedMemory.open(evidence);
             Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(16);
            System.out.println("READY receiver " + receiver.endpointId());
            System.out.flush();
            long taken = 0;
            while (true) {
                int length = receiver.receive(buffer, 0, Duration.ofSeconds(60));
                if (length == RendezvousReceiver.CLOSED) {
                    break;
                }
                if (length == RendezvousReceiver.EMPTY) {
                    System.out.println("FAILED: nothing for 60 s");
                    System.exit(3);
                }
                long id = buffer.get(ValueLayout.JAVA_LONG, 0);
                if (length != 16 || buffer.get(ValueLayout.JAVA_LONG, 8) != ~(id * 0x9E3779B97F4A7C15L)) {
                    System.out.println("FAILED: a message of length " + length + " that is not one of ours: " + id);
                    System.exit(3);
                }
                INT.getAndAdd(shared.segment(), 8L * id, 1);
                taken++;
                int pause = random.nextInt(4);
                if (pause == 1) {
                    LockSupport.parkNanos(random.nextLong(200_000));
                } else if (pause == 2) {
                    long until = System.nanoTime() + random.nextLong(100_000);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
            }
            System.out.println("RECEIVED " + taken);
        }
    }
}
