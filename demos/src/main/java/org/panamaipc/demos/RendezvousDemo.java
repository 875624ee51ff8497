package org.panamaipc.demos;

import org.panamaipc.IpcException;
import org.panamaipc.rendezvous.Rendezvous;
import org.panamaipc.rendezvous.RendezvousOptions;
import org.panamaipc.rendezvous.RendezvousReceiver;
import org.panamaipc.rendezvous.RendezvousSender;
import org.panamaipc.shm.SharedMemory;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The link of capacity zero between two JVMs: a {@link Rendezvous}. This JVM hands jobs to a
 * receiver JVM; each send returns only once the receiver has taken the job. The receiver takes
 * each job straight into a shared "ledger" segment, and the sender, as soon as its send returns,
 * finds the job there: the take came first. Then the sender offers a job with a deadline while the
 * receiver is busy: at the deadline the offer is withdrawn, and the receiver, looking afterwards,
 * finds nothing. Last, the receiver JVM dies while the sender waits with a 10-second deadline: the
 * sender is told within milliseconds.
 *
 * <p>The exchange, without the printing:
 * {@snippet lang=java :
 * // sender (this JVM)
 * try (Rendezvous link = Rendezvous.create(name, RendezvousOptions.of(64));
 *      RendezvousSender sender = link.sender()) {
 *     long sequence = sender.send(JOB, job, Duration.ofSeconds(10));   // returns once a receiver has it
 * }
 * // receiver (the other JVM)
 * try (Rendezvous link = Rendezvous.open(name);
 *      RendezvousReceiver receiver = link.receiver()) {
 *     int length = receiver.receive(ledger, offset, Duration.ofSeconds(10)); // the sender is released now
 * }
 * }
 */
public final class RendezvousDemo implements Demo {

    /** The name that {@code ipc demo} knows this demo by. */
    public static final String NAME = "rendezvous";

    /** How many jobs are handed over. */
    public static final int JOBS = 5;

    private static final int JOB = 1;
    private static final int SLOT = 64;
    /** Ledger word: the receiver has looked after the withdrawal (1: found nothing). */
    private static final long LOOKED = 0;
    /** Ledger word: CLOCK_MONOTONIC when the receiver died (System.nanoTime, the same clock in every process). */
    private static final long DIED_AT = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration BUSY = Duration.ofMillis(150);
    private static final Duration OFFER = Duration.ofMillis(300);
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    /** Creates the demo; {@link #run(PrintWriter, Redirect)} runs it. */
    public RendezvousDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "capacity zero: each send returns once a receiver JVM has the job; withdrawn at a deadline; a dead receiver reported";
    }

    /** Runs one side: no argument, the whole demo; {@code receiver NAME LEDGER}, the receiver. */
    public static void main(String[] args) throws InterruptedException {
        PrintWriter out = new PrintWriter(System.out, true);
        if (args.length == 0) {
            System.exit(new RendezvousDemo().run(out, Redirect.INHERIT));
        } else if (args.length == 3 && args[0].equals("receiver")) {
            receive(args[1], args[2], out); // ends the JVM itself
        } else {
            System.err.println("usage: RendezvousDemo [receiver NAME LEDGER]");
            System.exit(2);
        }
    }

    static String job(int k) {
        return "job " + k + ": " + List.of("resize image", "send invoice", "rotate logs", "rebuild index", "email report")
                .get((k - 1) % 5);
    }

    @Override
    public int run(PrintWriter out, Redirect childOutput) throws InterruptedException {
        String prefix = "/pipc-demo-" + ProcessHandle.current().pid();
        String name = prefix + "-rendezvous";
        String ledgerName = prefix + "-ledger";
        DemoSupport.Side sender = new DemoSupport.Side("sender", out);
        out.println("A rendezvous between two JVMs: a link that holds no message. Each send returns only once");
        out.println("the receiver JVM has taken the job, which wakes the sender through a futex; nothing polls.");
        out.println();
        out.flush();
        Thread cleanUp = new Thread(() -> {
            Rendezvous.unlinkIfExists(name);
            SharedMemory.unlinkIfExists(ledgerName);
        });
        Runtime.getRuntime().addShutdownHook(cleanUp);
        Process receiver = null;
        String failure = null;
        long reportedAfter = -1;
        try (Rendezvous link = Rendezvous.create(name, RendezvousOptions.of(SLOT).senderSlots(2).receiverSlots(2));
             SharedMemory ledger = SharedMemory.create(ledgerName, (JOBS + 1L) * SLOT);
             RendezvousSender jobs = link.sender()) {
            sender.say("created rendezvous %s (jobs of up to %d bytes) and the ledger %s", name, SLOT, ledgerName);
            receiver = ChildJvm.start(RendezvousDemo.class, List.of("receiver", name, ledgerName), childOutput);
            sender.say("started the receiver JVM (pid %d)", receiver.pid());
            MemorySegment entries = ledger.segment();
            for (int k = 1; k <= JOBS; k++) {
                byte[] text = job(k).getBytes(StandardCharsets.UTF_8);
                long start = System.nanoTime();
                long sequence = jobs.send(JOB, text, TIMEOUT);
                long waited = System.nanoTime() - start;
                if (sequence < 0) {
                    throw new DemoFailure("job " + k + " was not taken within " + TIMEOUT.toSeconds() + " s (" + sequence + ")");
                }
                String there = new String(entries.asSlice((long) k * SLOT, text.length).toArray(ValueLayout.JAVA_BYTE),
                        StandardCharsets.UTF_8);
                if (!there.equals(job(k))) {
                    throw new DemoFailure("send " + k + " returned before the receiver had it: the ledger holds \"" + there + "\"");
                }
                sender.say("send returned after %s: \"%s\" is in the receiver's ledger already", DemoSupport.elapsed(waited),
                        there);
            }
            byte[] extra = "job 6: will be withdrawn".getBytes(StandardCharsets.UTF_8);
            long start = System.nanoTime();
            long result = jobs.send(JOB, extra, OFFER);
            if (result != RendezvousSender.FULL) {
                throw new DemoFailure("the offer with a " + OFFER.toMillis() + " ms deadline returned " + result);
            }
            sender.say("offered job 6 for %d ms while the receiver was busy: withdrawn after %s (FULL); nobody has it",
                    OFFER.toMillis(), DemoSupport.elapsed(System.nanoTime() - start));
            awaitWord(entries, LOOKED, receiver);
            if ((long) LONG.getVolatile(entries, LOOKED) != 1) {
                throw new DemoFailure("the receiver found the withdrawn job after all");
            }
            sender.say("the receiver looked afterwards and found nothing; offering job 7 for %d s", TIMEOUT.toSeconds());
            result = jobs.send(JOB, "job 7: nobody will take it".getBytes(StandardCharsets.UTF_8), TIMEOUT);
            long returned = System.nanoTime();
            long diedAt = (long) LONG.getVolatile(entries, DIED_AT);
            if (result != RendezvousSender.CLOSED || diedAt == 0) {
                throw new DemoFailure("expected CLOSED after the receiver died, got " + result);
            }
            reportedAfter = returned - diedAt;
            sender.say("the receiver JVM died while job 7 was offered: the send returned CLOSED %s after it began to exit",
                    DemoSupport.elapsed(reportedAfter));
            if (!ChildJvm.stop(receiver, TIMEOUT)) {
                failure = "the receiver JVM was still running";
            }
        } catch (IpcException | IOException | DemoFailure e) {
            failure = e.getMessage();
        } finally {
            ChildJvm.stop(receiver, Duration.ZERO);
            Rendezvous.unlinkIfExists(name);
            SharedMemory.unlinkIfExists(ledgerName);
            DemoSupport.removeShutdownHook(cleanUp);
            DemoSupport.copyChildOutput(childOutput, receiver, out);
        }
        out.println();
        if (failure == null) {
            out.printf("Check: %d jobs handed over, each in the receiver's ledger when its send returned; the timed offer"
                    + " was withdrawn and never taken; the receiver's death was reported after %s, not at the %d s deadline.%n",
                    JOBS, DemoSupport.elapsed(reportedAfter), TIMEOUT.toSeconds());
            out.flush();
            return 0;
        }
        out.println("Check FAILED: " + failure);
        out.flush();
        return 1;
    }

    /** Waits until the receiver has written the ledger word at {@code offset}, or has ended. */
    private static void awaitWord(MemorySegment entries, long offset, Process receiver) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while ((long) LONG.getVolatile(entries, offset) == 0) {
            if (!receiver.isAlive() || System.nanoTime() - end > 0) {
                throw new DemoFailure("the receiver did not report back");
            }
            Thread.sleep(1);
        }
    }

    // ---------------------------------------------------------------------------------- receiver

    private static void receive(String name, String ledgerName, PrintWriter out) throws InterruptedException {
        DemoSupport.Side receiver = new DemoSupport.Side("receiver", out);
        try (Rendezvous link = Rendezvous.open(name);
             RendezvousReceiver jobs = link.receiver();
             SharedMemory ledger = SharedMemory.open(ledgerName)) {
            MemorySegment entries = ledger.segment();
            for (int k = 1; k <= JOBS; k++) {
                Thread.sleep(BUSY.toMillis()); // busy with the last job: the sender waits meanwhile
                int length = jobs.receive(entries, (long) k * SLOT, TIMEOUT); // straight into the ledger
                if (length < 0) {
                    receiver.say("FAILED: no job within %d s (%d)", TIMEOUT.toSeconds(), length);
                    System.exit(1);
                }
                receiver.say("took job %d into the ledger, sequence %d from sender %d", k, jobs.lastHeader().sequence(),
                        jobs.lastHeader().source());
            }
            receiver.say("busy for %d ms: not receiving", 2 * OFFER.toMillis());
            Thread.sleep(2 * OFFER.toMillis());
            byte[] late = jobs.receiveBytes(Duration.ofMillis(100));
            receiver.say(late == null ? "looked again: nothing was left for me" : "FAILED: found \"%s\"",
                    late == null ? null : new String(late, StandardCharsets.UTF_8));
            LONG.setVolatile(entries, LOOKED, late == null ? 1L : 2L);
            Thread.sleep(200); // the sender offers job 7 meanwhile
            receiver.say("crashing now, without closing anything");
            out.flush();
            LONG.setVolatile(entries, DIED_AT, System.nanoTime());
            Runtime.getRuntime().halt(0);
        } catch (IpcException e) {
            receiver.say("FAILED: %s", e.getMessage());
            System.exit(1);
        }
    }

    /** The exchange went wrong. */
    private static final class DemoFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoFailure(String message) {
            super(message);
        }
    }
}
