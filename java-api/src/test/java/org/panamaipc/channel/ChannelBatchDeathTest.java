package org.panamaipc.channel;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sender that dies in the middle of a batch, whose records share one claim (one
 * compare-and-set for many senders): the records it wrote are delivered, the rest of its claim is
 * passed over, and messages flow again; from a Java child and from a C peer
 * ({@code ring_peer --abandon-batch}).
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(180)
class ChannelBatchDeathTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final long SEED = 77;
    private static final int COUNT = 100;
    private static final int BATCH = 16;

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldDeliverWhatAJavaSenderWroteOfABatchAndPassOverTheRest(ChannelType type) throws Exception {
        String name = TestNames.unique("batch-death-" + type);
        try (RingChannel channel = RingChannel.create(name, options(type));
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), false)) {
            PeerPattern.Checker checker = new PeerPattern.Checker(SEED, channel);
            int written;
            try (ChildProcess dead = ChildProcess.java(BatchAbandonChild.class, name, Integer.toString(COUNT),
                    Integer.toString(BATCH), Long.toString(SEED))) {
                dead.awaitOutput("abandoned a span", DEADLINE);
                written = writtenOf(dead.output(), "after writing (\\d+)");
                dead.kill();
            }
            checkAfterDeath(channel, receiver, checker, type, written);
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void shouldDeliverWhatACSenderWroteOfABatchAndPassOverTheRest(ChannelType type) throws Exception {
        String name = TestNames.unique("batch-death-c-" + type);
        try (RingChannel channel = RingChannel.create(name, options(type));
             Receiver receiver = channel.receiver(WaitStrategy.blocking(), false)) {
            PeerPattern.Checker checker = new PeerPattern.Checker(SEED, channel);
            int written;
            try (ChildProcess dead = ChildProcess.nativePeer("ring_peer", "-t", "75", "send", name,
                    Integer.toString(COUNT), Long.toString(SEED), "--abandon-batch", Integer.toString(BATCH))) {
                dead.assertSuccess(DEADLINE);
                written = writtenOf(dead.output(), "after writing (\\d+)");
            }
            checkAfterDeath(channel, receiver, checker, type, written);
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    private static ChannelOptions options(ChannelType type) {
        return ChannelOptions.of(type).capacity(1 << 16).maxMessageLength(1000);
    }

    private static int writtenOf(String output, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(output);
        assertTrue(m.find(), output);
        return Integer.parseInt(m.group(1));
    }

    /**
     * The messages before the batch and the records written of it arrive (checked byte by byte),
     * then those of a new sender: the rest of the dead claim was passed over (one skip record, for
     * many senders; a new single sender resumes after the last record written instead).
     */
    private static void checkAfterDeath(RingChannel channel, Receiver receiver, PeerPattern.Checker checker,
                                        ChannelType type, int written) throws InterruptedException {
        assertEquals(BATCH / 2, written, "half of the span written");
        checker.receive(receiver, COUNT + written);
        try (Sender sender = channel.sender(WaitStrategy.blocking())) {
            PeerPattern.send(sender, 10, SEED, 0);
        }
        checker.receive(receiver, COUNT + written + 10);
        assertEquals(sumTo(COUNT + written) + sumTo(10), checker.sequenceSum());
        assertEquals(COUNT + written + 10, checker.received());
        assertEquals(type == ChannelType.SPSC ? 0 : 1, channel.stats().skippedRecords(),
                "SPSC: the next sender resumes after the last record written; else the rest is passed over");
        assertEquals(channel.stats().tail(), channel.stats().head());
    }

    private static long sumTo(long n) {
        return n * (n + 1) / 2;
    }
}
