package org.panamaipc.channel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.panamaipc.children.ChannelChild;
import org.panamaipc.children.Payloads;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ring channels between real processes: child JVMs send, take, hang and get killed. */
@ExtendWith(NoLeakedObjects.class)
@Timeout(300)
class ChannelAcrossProcessesTest {

    private static final Duration CHILD_DEADLINE = Duration.ofSeconds(180);

    /**
     * Receives until every producer has sent {@code perProducer[p]} messages, checking each one's
     * checksum and that each producer's sequence goes 1, 2, 3, ...; {@return the count per producer}
     */
    private static long[] receiveAll(Receiver receiver, int max, long[] perProducer) throws InterruptedException {
        CRC32C crc = new CRC32C();
        long[] next = new long[perProducer.length];
        Arrays.fill(next, 1);
        String[] problem = {null};
        long total = Arrays.stream(perProducer).sum();
        long received = 0;
        while (received < total && problem[0] == null) {
            int n = receiver.receive((header, buffer, offset, length) -> {
                int producer = header.type();
                String wrong = producer < 0 || producer >= next.length ? "unknown producer " + producer
                        : Payloads.check(buffer, offset, length, producer, next[producer], max, crc);
                if (wrong != null && problem[0] == null) {
                    problem[0] = wrong;
                }
                if (producer >= 0 && producer < next.length) {
                    next[producer]++;
                }
            }, 256, Duration.ofSeconds(60));
            assertTrue(n > 0, "no message for 60 s after " + received + " of " + total);
            received += n;
        }
        assertNull(problem[0]);
        long[] counts = new long[next.length];
        for (int p = 0; p < next.length; p++) {
            counts[p] = next[p] - 1;
        }
        return counts;
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldCarryAStreamFromAnotherJvm(ChannelType type) throws Exception {
        String name = TestNames.unique("x-" + type);
        long count = 200_000;
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(1 << 18).maxMessageLength(2048));
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
             ChildProcess sender = ChildProcess.java(ChannelChild.class, "send", name, "0", Long.toString(count), "blocking")) {
            long[] counts = receiveAll(receiver, channel.maxMessageLength(), new long[] {count});
            assertEquals(count, counts[0]);
            sender.assertSuccess(CHILD_DEADLINE);
            assertEquals(count, channel.stats().messagesSent());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldCarryTenMillionMessagesOfRandomSizesIntactBetweenTwoJvms() throws Exception {
        String name = TestNames.unique("spsc-10m");
        long count = 10_000_000;
        try (RingChannel channel = RingChannel.create(name,
                ChannelOptions.of(ChannelType.SPSC).capacity(1 << 22).maxMessageLength(4096));
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
             ChildProcess sender = ChildProcess.java(ChannelChild.class, "send", name, "0", Long.toString(count), "blocking")) {
            long start = System.nanoTime();
            long[] counts = receiveAll(receiver, 4096, new long[] {count});
            long nanos = System.nanoTime() - start;
            assertEquals(count, counts[0], "none lost, duplicated or reordered: sequences ran 1.." + count);
            sender.assertSuccess(CHILD_DEADLINE);
            ChannelStats stats = channel.stats();
            assertEquals(count, stats.messagesReceived());
            assertEquals(stats.bytesSent(), stats.bytesReceived());
            System.out.printf("SPSC across JVMs: %d messages, %.1f MB, %.2f s, %.2f M msg/s, %d receiver sleeps, %d times full%n",
                    count, stats.bytesReceived() / 1e6, nanos / 1e9, count / (nanos / 1e3), stats.receiverSleeps(),
                    stats.timesFull());
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldKeepEachOfThreeProducersInOrder() throws Exception {
        String name = TestNames.unique("mpsc-3");
        long perProducer = 300_000;
        List<ChildProcess> producers = new ArrayList<>();
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(1 << 18).maxMessageLength(1024));
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), false)) {
            for (int p = 0; p < 3; p++) {
                producers.add(ChildProcess.java(ChannelChild.class, "send", name, Integer.toString(p),
                        Long.toString(perProducer), "blocking"));
            }
            long[] counts = receiveAll(receiver, channel.maxMessageLength(), new long[] {perProducer, perProducer, perProducer});
            assertEquals(List.of(perProducer, perProducer, perProducer), Arrays.stream(counts).boxed().toList());
            for (ChildProcess producer : producers) {
                producer.assertSuccess(CHILD_DEADLINE);
            }
            assertEquals(0, channel.stats().skippedRecords());
        } finally {
            producers.forEach(ChildProcess::close);
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldGiveEachMessageToExactlyOneOfThreeConsumers() throws Exception {
        String name = TestNames.unique("mpmc");
        String bitmapName = TestNames.unique("mpmc-bits");
        int perProducer = 200_000;
        int producers = 2;
        List<ChildProcess> children = new ArrayList<>();
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.MPMC).capacity(1 << 18).maxMessageLength(512));
             SharedMemory bitmap = SharedMemory.create(bitmapName, 64 + (long) producers * perProducer / 8 + 8)) {
            for (int c = 0; c < 3; c++) {
                children.add(ChildProcess.java(ChannelChild.class, "take", name, bitmapName,
                        Integer.toString(producers), Integer.toString(perProducer)));
            }
            for (ChildProcess consumer : children) {
                consumer.awaitOutput("taking", Duration.ofSeconds(60));
            }
            List<ChildProcess> senders = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                senders.add(ChildProcess.java(ChannelChild.class, "send", name, Integer.toString(p),
                        Integer.toString(perProducer), "blocking"));
            }
            children.addAll(senders);
            for (ChildProcess child : children) {
                child.assertSuccess(CHILD_DEADLINE);
            }
            long duplicates = bitmap.segment().get(ValueLayout.JAVA_LONG, 0);
            assertEquals(0, duplicates, "messages taken twice");
            long set = 0;
            for (long bit = 0; bit < (long) producers * perProducer; bit++) {
                long word = bitmap.segment().get(ValueLayout.JAVA_LONG, 64 + (bit >>> 6) * 8);
                set += (word >>> (bit & 63)) & 1;
            }
            assertEquals((long) producers * perProducer, set, "every message taken once");
            long sum = 0;
            for (ChildProcess consumer : children.subList(0, 3)) {
                String out = consumer.output();
                String took = out.substring(out.indexOf("took ") + 5).trim().split("\\D")[0];
                sum += Long.parseLong(took);
                System.out.println("consumer took " + took);
            }
            assertEquals((long) producers * perProducer, sum);
        } finally {
            children.forEach(ChildProcess::close);
            SharedMemory.unlinkIfExists(name);
            SharedMemory.unlinkIfExists(bitmapName);
        }
    }

    @Test
    void shouldPassOverTheHalfWrittenRecordOfAKilledProducer() throws Exception {
        String name = TestNames.unique("mpsc-kill");
        long perProducer = 100_000;
        long hangAt = 5_000;
        List<ChildProcess> producers = new ArrayList<>();
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(1 << 16).maxMessageLength(1024));
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), false)) {
            ChildProcess victim = ChildProcess.java(ChannelChild.class, "send-then-hang", name, "2",
                    Long.toString(perProducer), Long.toString(hangAt));
            producers.add(victim);
            for (int p = 0; p < 2; p++) {
                producers.add(ChildProcess.java(ChannelChild.class, "send", name, Integer.toString(p),
                        Long.toString(perProducer), "blocking"));
            }
            // receive concurrently while the victim claims, hangs and is killed
            Thread killer = new Thread(() -> {
                victim.awaitOutput("claimed message " + hangAt, Duration.ofSeconds(120));
                victim.kill();
            });
            killer.start();
            long[] counts = receiveAll(receiver, channel.maxMessageLength(), new long[] {perProducer, perProducer, hangAt - 1});
            killer.join(120_000);
            assertEquals(List.of(perProducer, perProducer, hangAt - 1), Arrays.stream(counts).boxed().toList(),
                    "the others' streams are whole; the victim's ends before the half-written message");
            for (ChildProcess producer : producers.subList(1, 3)) {
                producer.assertSuccess(CHILD_DEADLINE);
            }
            // nothing after: the torn record is never delivered
            assertEquals(Receiver.EMPTY, receiver.receive((h, b, o, l) -> { }, 10, Duration.ofMillis(200)));
            assertTrue(channel.stats().skippedRecords() >= 1, "the skip is counted: " + channel.stats());
            System.out.println("after the kill: " + channel.stats());
        } finally {
            producers.forEach(ChildProcess::close);
            SharedMemory.unlinkIfExists(name);
        }
    }

    @Test
    void shouldWakeABlockedReceiverOnEachMessageFromAnotherJvm() throws Exception {
        String name = TestNames.unique("wake");
        int count = 10;
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC));
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
             ChildProcess sender = ChildProcess.java(ChannelChild.class, "send-later", name, "50", Integer.toString(count));
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment buffer = arena.allocate(8);
            long[] latencies = new long[count];
            for (int i = 0; i < count; i++) {
                assertEquals(8, receiver.receive(buffer, 0, Duration.ofSeconds(60)), "message " + i);
                latencies[i] = System.nanoTime() - buffer.get(ValueLayout.JAVA_LONG, 0);
            }
            sender.assertSuccess(CHILD_DEADLINE);
            assertTrue(channel.stats().receiverSleeps() >= count, "the receiver slept before each: " + channel.stats());
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            System.out.printf("blocked receiver woken across JVMs: median %.1f us, min %.1f us, first (cold) %.1f us%n",
                    sorted[count / 2] / 1e3, sorted[0] / 1e3, latencies[0] / 1e3);
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }
}
