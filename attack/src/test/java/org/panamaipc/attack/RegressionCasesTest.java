package org.panamaipc.attack;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.attack.children.ForgePeer;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RecordDescriptor;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the random attacks found, made deterministic: each case is the smallest sequence that
 * shows one finding, between real processes where a process must die. Listed in
 * known-failing.txt while the defect stands. Replay one with {@code -Dattack.seed=regression:ID}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RegressionCasesTest {

    static List<MatrixCase> cases() {
        return List.of(new MatrixCase("regression:spsc-replacement-sender-exposes-dead-claim",
                "Receiver.tryReceive(MemorySegment,long)", RegressionCasesTest::spscReplacementSenderExposesDeadClaim));
    }

    @TestFactory
    Stream<DynamicTest> regressions() {
        String replay = AttackMode.replay("regression");
        return cases().stream()
                .filter(c -> !AttackMode.replaying() || c.id().equals("regression:" + replay))
                .map(c -> DynamicTest.dynamicTest(c.id(), () -> Judge.judge("regression cases", "", c)));
    }

    /**
     * Found by fault injection (trial:SPSC:0xba8336885a770f93 of run 0xa1c976797f8a3189: a sender
     * killed half-way through a record whose payload held its own stream positions; the receiver
     * then failed with "record at position 207384 has length 207397"). An SPSC sender dies holding
     * a claim on the first record; its payload holds, at stream position 48, the words of a
     * committed record. A new sender attaches, takes over at the published tail (0), and sends one
     * 16-byte message, whose record ends at 48. The receiver gets that message, and then must find
     * nothing: position 48 holds only the dead sender's uncommitted bytes.
     */
    private static void spscReplacementSenderExposesDeadClaim(Fixture f) throws Exception {
        RingChannel channel = f.channel(ChannelType.SPSC);
        Receiver receiver = f.keep(channel.receiver(WaitStrategy.busySpin(), false));
        long forgedAt = RecordDescriptor.recordLength(16);
        try (Child dead = Child.java(ForgePeer.class, channel.name(), Long.toString(forgedAt), "FORGED BY A DEAD").label("forge").start()) {
            Expect.that(dead.awaitLine("claimed", Duration.ofSeconds(60)) != null, "the forging sender did not claim: " + dead.output());
            dead.kill();
        }
        Sender replacement = f.keep(channel.sender(WaitStrategy.busySpin()));
        byte[] genuine = "GENUINE MESSAGE!".getBytes(StandardCharsets.US_ASCII);
        Expect.that(replacement.trySend(1, genuine) >= 0, "the replacement sender could not send: " + channel.stats());
        MemorySegment into = f.memory();
        Expect.value(Expect.call(() -> receiver.tryReceive(into, 0)), "the genuine message (16 bytes)", Integer.valueOf(16)::equals);
        Expect.Outcome next = Expect.call(() -> receiver.tryReceive(into, 0));
        Expect.value(next, "EMPTY: the dead sender's claimed bytes are not a message"
                + (next.value() instanceof Integer n && n >= 0 ? " (it delivered \""
                + new String(into.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII)
                + "\", type " + receiver.lastHeader().type() + ")" : ""), Integer.valueOf(Receiver.EMPTY)::equals);
    }

}
