package org.panamaipc.demos;

import org.panamaipc.IpcException;
import org.panamaipc.broadcast.Broadcast;
import org.panamaipc.broadcast.BroadcastHeader;
import org.panamaipc.broadcast.BroadcastOptions;
import org.panamaipc.broadcast.Publisher;
import org.panamaipc.broadcast.SlowSubscriberPolicy;
import org.panamaipc.broadcast.Subscriber;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One to many between JVMs: a {@link Broadcast}. This JVM publishes price ticks; three subscriber
 * JVMs join one after another while the ticks flow, and each receives every tick sent after it
 * joined, in order. The broadcast is {@link SlowSubscriberPolicy#LOSSY}: the publisher never
 * waits, and the third subscriber, which takes 20 ms per tick, falls a whole ring behind, loses the
 * oldest ticks, and is told exactly how many. Every subscriber checks each tick's sequence number
 * against the losses it was told of, and that what it received and what it lost add up to every
 * tick sent since it joined; it exits with {@link #ALL_RECEIVED} or {@link #SOME_LOST} when they
 * do.
 *
 * <p>The exchange, without the printing:
 * {@snippet lang=java :
 * // publisher (this JVM)
 * try (Broadcast ticks = Broadcast.create(name, BroadcastOptions.of(SlowSubscriberPolicy.LOSSY).capacity(64));
 *      Publisher publisher = ticks.publisher()) {
 *     publisher.trySend(TICK, tick);                      // never waits under LOSSY
 * }
 * // each subscriber (the other JVMs)
 * try (Broadcast ticks = Broadcast.open(name); Subscriber subscriber = ticks.subscribe()) {
 *     byte[] tick = subscriber.receiveBytes(Duration.ofSeconds(10));
 *     long missed = subscriber.lastHeader().lost();       // 0 unless it was lapped
 * }
 * }
 */
public final class BroadcastDemo implements Demo {

    /** The name that {@code ipc demo} knows this demo by. */
    public static final String NAME = "broadcast";

    /** How many ticks the publisher sends. */
    public static final int TICKS = 800;

    /** How many messages the ring holds: about half a second of ticks. */
    static final long CAPACITY = 256;

    private static final int TICK = 1;
    private static final int END = 2;
    private static final Duration PACE = Duration.ofMillis(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Each subscriber joins after this many more ticks, and how long it takes per tick. */
    private static final int[] JOIN_AFTER = {0, 100, 200};
    /** A subscriber's exit code when every tick is accounted for and none was lost. */
    static final int ALL_RECEIVED = 0;
    /** A subscriber's exit code when every tick is accounted for, some as lost. */
    static final int SOME_LOST = 10;
    private static final long[] TAKES_MILLIS = {0, 0, 20};

    /** Creates the demo; {@link #run(PrintWriter, Redirect)} runs it. */
    public BroadcastDemo() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "one to many: three subscriber JVMs join while ticks flow; a slow one is told exactly what it lost";
    }

    /** Runs one side: no argument, the whole demo; {@code subscriber NAME LABEL MILLIS}, a subscriber. */
    public static void main(String[] args) throws InterruptedException {
        PrintWriter out = new PrintWriter(System.out, true);
        if (args.length == 0) {
            System.exit(new BroadcastDemo().run(out, Redirect.INHERIT));
        } else if (args.length == 4 && args[0].equals("subscriber")) {
            System.exit(subscribe(args[1], args[2], Long.parseLong(args[3]), out));
        } else {
            System.err.println("usage: BroadcastDemo [subscriber NAME LABEL MILLIS_PER_TICK]");
            System.exit(2);
        }
    }

    static String tick(long sequence) {
        double price = 1.08 + 0.0001 * Math.floorMod(sequence * 37, 101);
        return String.format(Locale.ROOT, "EURUSD tick %d %.5f", sequence, price);
    }

    @Override
    public int run(PrintWriter out, Redirect childOutput) throws InterruptedException {
        String name = "/pipc-demo-" + ProcessHandle.current().pid() + "-broadcast";
        DemoSupport.Side publisher = new DemoSupport.Side("publisher", out);
        out.println("A broadcast between JVMs: one publisher, subscribers that join while it runs, each with its own");
        out.println("position in a ring of " + CAPACITY + " ticks. The ring is LOSSY: the publisher never waits, and a");
        out.println("subscriber that falls a whole ring behind loses the oldest ticks and is told exactly how many.");
        out.println();
        out.flush();
        Thread cleanUp = new Thread(() -> Broadcast.unlinkIfExists(name));
        Runtime.getRuntime().addShutdownHook(cleanUp);
        Redirect shared = childOutput.file() != null ? Redirect.appendTo(childOutput.file()) : childOutput;
        List<Process> subscribers = new ArrayList<>();
        int complete = 0;
        int lossy = 0;
        String failure = null;
        long sendNanos = 0;
        long full = -1;
        try (Broadcast ticks = Broadcast.create(name, BroadcastOptions.of(SlowSubscriberPolicy.LOSSY).capacity(CAPACITY)
                .maxMessageLength(48).subscriberSlots(4));
             Publisher sender = ticks.publisher()) {
            publisher.say("created broadcast %s: LOSSY, %d ticks of up to %d bytes", name, ticks.capacity(),
                    ticks.maxMessageLength());
            long sent = 0;
            for (int s = 0; s < JOIN_AFTER.length; s++) {
                sent = sendUntil(sender, sent, sent + JOIN_AFTER[s] - (s == 0 ? 0 : JOIN_AFTER[s - 1]));
                String label = "subscriber " + (char) ('A' + s);
                subscribers.add(ChildJvm.start(BroadcastDemo.class, List.of("subscriber", name, label,
                        Long.toString(TAKES_MILLIS[s])), shared));
                awaitSubscribers(ticks, s + 1, subscribers.getLast());
                publisher.say("%s (pid %d) joined after tick %d%s", label, subscribers.getLast().pid(), sent,
                        TAKES_MILLIS[s] > 0 ? ", and takes " + TAKES_MILLIS[s] + " ms per tick" : "");
            }
            long start = System.nanoTime();
            sent = sendUntil(sender, sent, TICKS);
            sendNanos = System.nanoTime() - start;
            sender.trySend(END, Long.toString(sent).getBytes(StandardCharsets.UTF_8));
            full = sender.timesFull();
            publisher.say("sent ticks 1 to %d, the last %d in %s without ever waiting (found the ring full %d times);"
                    + " closing", sent, TICKS - JOIN_AFTER[JOIN_AFTER.length - 1], DemoSupport.elapsed(sendNanos), full);
        } catch (IpcException | IOException | IllegalStateException e) {
            failure = e.getMessage();
        } finally {
            for (Process subscriber : subscribers) {
                if (!ChildJvm.stop(subscriber, TIMEOUT)) {
                    failure = failure != null ? failure : "a subscriber did not finish within " + TIMEOUT.toSeconds() + " s";
                } else if (subscriber.exitValue() == ALL_RECEIVED) {
                    complete++;
                } else if (subscriber.exitValue() == SOME_LOST) {
                    lossy++;
                } else if (failure == null) {
                    failure = "a subscriber found a tick missing, out of order or miscounted (exit code "
                            + subscriber.exitValue() + ")";
                }
            }
            Broadcast.unlinkIfExists(name);
            DemoSupport.removeShutdownHook(cleanUp);
            DemoSupport.copyChildOutput(childOutput, subscribers.isEmpty() ? null : subscribers.getLast(), out);
        }
        out.println();
        if (failure == null && full == 0) {
            out.printf("Check: %d subscriber JVMs joined while %d ticks flowed; %d received every tick sent after it joined,"
                    + " in order, and %d (the slow one%s) was told exactly how many it lost: received + lost = sent;"
                    + " the publisher never waited.%n", JOIN_AFTER.length, TICKS, complete, lossy, lossy > 1 ? "s" : "");
            out.flush();
            return 0;
        }
        out.println("Check FAILED: " + (failure != null ? failure : "the publisher found the ring full"));
        out.flush();
        return 1;
    }

    /** Sends ticks {@code after + 1 .. until}, one every {@link #PACE}; {@return the last one} */
    private static long sendUntil(Publisher sender, long after, long until) throws InterruptedException {
        for (long s = after + 1; s <= until; s++) {
            if (sender.trySend(TICK, tick(s).getBytes(StandardCharsets.UTF_8)) != s) {
                throw new IllegalStateException("tick " + s + " was not sent");
            }
            Thread.sleep(PACE);
        }
        return until;
    }

    private static void awaitSubscribers(Broadcast ticks, int count, Process started) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (ticks.subscribers() < count) {
            if (!started.isAlive() || System.nanoTime() - end > 0) {
                throw new IllegalStateException("the subscriber JVM did not join");
            }
            Thread.sleep(5);
        }
    }

    // ---------------------------------------------------------------------------------- subscriber

    /** Receives until the publisher has gone; {@return 0 if every tick since joining is accounted for} */
    static int subscribe(String name, String label, long millisPerTick, PrintWriter out) throws InterruptedException {
        DemoSupport.Side me = new DemoSupport.Side(label, out);
        try (Broadcast ticks = Broadcast.open(name); Subscriber subscriber = ticks.subscribe()) {
            long joined = subscriber.joinedAt();
            me.say("joined; the first tick I can get is %d", joined);
            long last = joined - 1;
            long lastTick = -1;
            int laps = 0;
            while (true) {
                byte[] message = subscriber.receiveBytes(TIMEOUT);
                if (message == null) {
                    me.say("FAILED: nothing for %d s", TIMEOUT.toSeconds());
                    return 1;
                }
                BroadcastHeader header = subscriber.lastHeader();
                String text = new String(message, StandardCharsets.UTF_8);
                if (header.lost() > 0 && ++laps <= 3) {
                    me.say("lapped: lost ticks %d to %d (%d), told by the broadcast%s", last + 1, header.sequence() - 1,
                            header.lost(), laps == 3 ? " (and so on: only the first three are shown)" : "");
                }
                if (header.sequence() != last + 1 + header.lost()) {
                    me.say("FAILED: message %d after %d with %d lost between", header.sequence(), last, header.lost());
                    return 1;
                }
                last = header.sequence();
                if (header.type() == END) {
                    lastTick = Long.parseLong(text);
                    break;
                }
                if (!text.equals(tick(header.sequence()))) {
                    me.say("FAILED: message %d is \"%s\"", header.sequence(), text);
                    return 1;
                }
                if (millisPerTick > 0) {
                    Thread.sleep(millisPerTick);
                }
            }
            long ticksReceived = subscriber.received() - 1; // the end marker is not a tick
            long expected = lastTick - joined + 1;
            boolean adds = ticksReceived + subscriber.lost() == expected;
            me.say("received %d ticks and lost %d%s: %d + %d %s %d, every tick from %d to %d", ticksReceived,
                    subscriber.lost(), laps > 0 ? " in " + laps + " laps" : "", ticksReceived, subscriber.lost(),
                    adds ? "=" : "!=", expected, joined, lastTick);
            return !adds ? 1 : subscriber.lost() == 0 ? ALL_RECEIVED : SOME_LOST;
        } catch (IpcException e) {
            me.say("FAILED: %s", e.getMessage());
            return 1;
        }
    }
}
