package org.panamaipc.attack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.attack.children.Peers;
import org.panamaipc.attack.children.SoakPeer;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Soak: three producer JVMs and two consumer JVMs per transport (an MPMC ring, a message queue),
 * for {@link AttackMode#soakSeconds()} seconds, every message checksummed and numbered. Every
 * message sent is received exactly once, intact, each producer's messages in order as each
 * consumer sees them (per priority on the queue), and nothing else is received. A shared bitmap,
 * one bit per (producer, sequence number), holds the accounts.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class SoakTest {

    @Test
    void shouldDeliverEveryMessageOnceThroughAnMpmcRing() throws Exception {
        soak(true);
    }

    @Test
    void shouldDeliverEveryMessageOnceThroughAMessageQueue() throws Exception {
        soak(false);
    }

    private static void soak(boolean ring) throws IOException {
        if (AttackMode.replaying()) {
            return;
        }
        int seconds = AttackMode.current().soakSeconds();
        long max = seconds * (ring ? 3_000_000L : 400_000L);
        long seed = AttackMode.derive(ring ? "soak-ring" : "soak-mq", 0);
        String name = TestNames.unique(ring ? "atk-soak-ring" : "atk-soak-mq");
        String bitmapName = TestNames.unique("atk-soak-bitmap");
        long perProducer = SoakPeer.bytesPerProducer(max);
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("panama.ipc.test.output", "target/test-processes")),
                "soak-");
        List<Child> children = new ArrayList<>();
        String what = ring ? "MPMC ring" : "message queue";
        try (SharedMemory bitmap = SharedMemory.create(bitmapName, SoakPeer.BITS + SoakPeer.PRODUCERS * perProducer);
             AutoCloseable transport = ring
                     ? RingChannel.create(name, ChannelOptions.of(ChannelType.MPMC).capacity(1 << 16).maxMessageLength(512))
                     : MessageQueue.create(name, QueueOptions.of(10, 512))) {
            String prefix = ring ? "ring-" : "mq-";
            section(transport);
            List<Child> consumers = new ArrayList<>();
            for (int id = 0; id < 2; id++) {
                consumers.add(start(children, dir, prefix + "consume", name, bitmapName, Integer.toString(id), Long.toString(seed),
                        Long.toString(max), dir.toString()));
            }
            for (Child c : consumers) {
                assertTrue(c.awaitLine("ready", Duration.ofSeconds(60)) != null, c + ": " + c.output());
            }
            long started = System.nanoTime();
            List<Child> producers = new ArrayList<>();
            for (int p = 0; p < SoakPeer.PRODUCERS; p++) {
                producers.add(start(children, dir, prefix + "produce", name, bitmapName, Integer.toString(p), Long.toString(seed),
                        Integer.toString(seconds), Long.toString(max)));
            }
            long[] sent = new long[SoakPeer.PRODUCERS];
            for (int p = 0; p < SoakPeer.PRODUCERS; p++) {
                Child c = producers.get(p);
                Integer code = c.waitFor(Duration.ofSeconds(seconds + 180L));
                assertEquals(0, code, c + " (" + what + " producer) did not finish: " + Trial.tail(c));
                String line = c.awaitLine("sent ", Duration.ofSeconds(1));
                sent[p] = Long.parseLong(line.substring(5).trim());
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            Files.writeString(dir.resolve(Peers.SENDERS_DONE), "");
            long received = 0;
            for (Child c : consumers) {
                Integer code = c.waitFor(Duration.ofSeconds(120));
                assertEquals(0, code, c + " (" + what + " consumer) did not finish: " + Trial.tail(c));
                received += Long.parseLong(c.awaitLine("received ", Duration.ofSeconds(1)).substring(9).trim());
            }
            MemorySegment bits = bitmap.segment();
            long lost = 0;
            long beyond = 0;
            long total = 0;
            for (int p = 0; p < SoakPeer.PRODUCERS; p++) {
                total += sent[p];
                long base = SoakPeer.BITS + p * perProducer;
                long set = 0;
                for (long w = 0; w < perProducer / 8; w++) {
                    long word = bits.get(ValueLayout.JAVA_LONG, base + w * 8);
                    long first = w * 64;
                    if (first + 64 <= sent[p]) {
                        set += Long.bitCount(word);
                    } else if (first < sent[p]) {
                        long inRange = (1L << (sent[p] - first)) - 1;
                        set += Long.bitCount(word & inRange);
                        beyond += Long.bitCount(word & ~inRange);
                    } else {
                        beyond += Long.bitCount(word);
                    }
                }
                lost += sent[p] - set;
            }
            long duplicates = bits.get(ValueLayout.JAVA_LONG, SoakPeer.DUPLICATES);
            long torn = bits.get(ValueLayout.JAVA_LONG, SoakPeer.TORN);
            long disordered = bits.get(ValueLayout.JAVA_LONG, SoakPeer.DISORDERED);
            long phantoms = bits.get(ValueLayout.JAVA_LONG, SoakPeer.PHANTOMS) + beyond;
            Tally.Section section = Tally.section("soak");
            section.add("messages, " + what, total).add("lost, " + what, lost).add("duplicated, " + what, duplicates)
                    .add("torn, " + what, torn).add("out of order, " + what, disordered).add("phantom, " + what, phantoms);
            section.note(String.format("%s: 3 producer and 2 consumer JVMs, %.1f s, %,d messages, %,.0f msg/s",
                    what, elapsed, total, total / elapsed));
            String verdict = "sent " + total + ", received " + received + ", lost " + lost + ", duplicated " + duplicates
                    + ", torn " + torn + ", out of order " + disordered + ", phantom " + phantoms + " (logs in " + dir + ")";
            boolean clean = lost == 0 && duplicates == 0 && torn == 0 && disordered == 0 && phantoms == 0 && received == total;
            if (!clean) {
                section.finding("soak:" + what, verdict, null);
            }
            assertTrue(clean, what + ": " + verdict);
        } catch (Exception e) {
            if (e instanceof IOException io) {
                throw io;
            }
            throw new AssertionError(what + " soak failed: " + e, e);
        } finally {
            for (Child c : children) {
                c.close();
            }
            SharedMemory.unlinkIfExists(bitmapName);
            SharedMemory.unlinkIfExists(name);
            MessageQueue.unlinkIfExists(name);
        }
    }

    /** Names the transport under test in the report (and uses the resource, which the compiler likes). */
    private static void section(AutoCloseable transport) {
        Tally.section("soak").note("transport: " + transport);
    }

    private static Child start(List<Child> children, Path dir, String... args) {
        // full compilation (the harness default stops at C1 for quick starts): soak at speed
        Child c = Child.java(SoakPeer.class, args).jvm("-XX:TieredStopAtLevel=4").label("soak-" + args[0]).in(dir).start();
        children.add(c);
        return c;
    }
}
