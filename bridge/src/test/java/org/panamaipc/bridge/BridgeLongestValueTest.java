package org.panamaipc.bridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.codec.Codec;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.channel;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.cleanUp;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.freePort;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.host;

/**
 * Values of every length a bridge carries cross byte for byte, up to {@link Bridge#maxValueLength()}
 * (each alone in its frame) and down to none (many to a frame), and a frame is filled to the last
 * byte of Aeron's payload and no further; a mailbox whose longest value is one byte more is refused
 * when the bridge starts, not when such a value comes.
 */
class BridgeLongestValueTest {

    @Test
    void shouldRefuseAMailboxWhoseLongestValueDoesNotFitAFrame() {
        String standIn = TestNames.unique("bridge-longest-refused");
        BridgeConfig config = BridgeConfig.builder().importMailbox(standIn, channel(40_999), 21,
                MailboxOptions.ring().maxMessageLength(Bridge.maxValueLength() + 1)).build();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bridge.start(config));
            assertTrue(e.getMessage().contains("does not fit one Aeron frame") && e.getMessage().contains(standIn),
                    e.getMessage());
        } finally {
            Mailbox.unlinkIfExists(standIn);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldCarryValuesOfEveryLengthUpToTheLongest() throws Exception {
        int longest = Bridge.maxValueLength();
        SplittableRandom random = new SplittableRandom(29);
        List<byte[]> values = new ArrayList<>();
        for (int length : new int[] {longest, 0, 1, longest - 1, longest, 7, 8, 9, longest}) {
            values.add(bytes(random, length));
        }
        for (int i = 0; i < 300; i++) {
            values.add(bytes(random, random.nextInt(longest + 1)));
        }
        String remote = TestNames.unique("bridge-longest");
        String standIn = TestNames.unique("bridge-longest-standin");
        String listen = channel(freePort());
        MailboxOptions options = MailboxOptions.ring().capacity(values.size()).maxMessageLength(longest);
        try (ChildProcess host = host("bytes-consumer", listen, "21", remote, Integer.toString(values.size()))) {
            try {
                host.awaitOutput("READY", Duration.ofSeconds(30));
                try (Bridge bridge = Bridge.start(BridgeConfig.builder().importMailbox(standIn, listen, 21, options).build());
                     Mailbox<byte[]> mailbox = Mailbox.open(standIn, Codec.bytes())) {
                    for (byte[] value : values) {                 // all at once: small ones share frames
                        assertTrue(mailbox.trySend(value) > 0);
                    }
                    host.assertSuccess(Duration.ofSeconds(60));
                    assertNull(bridge.failure());
                }
                assertReceived(values, host.output());
            } finally {
                cleanUp(host, remote);
                Mailbox.unlinkIfExists(standIn);
            }
        }
    }

    /**
     * A frame filled to the last byte of Aeron's payload, and one byte more: a backlog of two pairs
     * from one sender, the first pair exactly one frame (its second header written short), the
     * second pair one byte too long for one, so two.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldFillAFrameToItsLastByteAndNoFurther() throws Exception {
        int payload = Bridge.maxValueLength() + WireFormat.HEADER_LENGTH;        // the default MTU's
        int first = 1000;
        int exact = payload - WireFormat.FRAME_HEADER_LENGTH - WireFormat.MAX_ENTRY_HEADER_LENGTH - first
                - WireFormat.MIN_ENTRY_HEADER_LENGTH;
        SplittableRandom random = new SplittableRandom(31);
        List<byte[]> values = List.of(bytes(random, first), bytes(random, exact), bytes(random, first), bytes(random, exact + 1));
        String remote = TestNames.unique("bridge-fill");
        String standIn = TestNames.unique("bridge-fill-standin");
        String listen = channel(freePort());
        MailboxOptions options = MailboxOptions.ring().capacity(8).maxMessageLength(Bridge.maxValueLength());
        try (ChildProcess host = host("bytes-consumer", listen, "22", remote, Integer.toString(values.size()));
             Mailbox<byte[]> mailbox = Mailbox.create(standIn, options, Codec.bytes())) {
            try {
                for (byte[] value : values) {                     // the backlog, before a bridge takes any of it
                    assertTrue(mailbox.trySend(value) > 0);
                }
                host.awaitOutput("READY", Duration.ofSeconds(30));
                Bridge bridge = Bridge.start(BridgeConfig.builder().importMailbox(standIn, listen, 22, options).build());
                try {
                    host.assertSuccess(Duration.ofSeconds(60));
                } finally {
                    bridge.close();                               // joins its thread: the counters are final
                }
                assertNull(bridge.failure());
                assertTrue(bridge.counters().contains("forwarded=4 framesSent=3 "), bridge.counters());
                assertReceived(values, host.output());
            } finally {
                cleanUp(host, remote);
                mailbox.unlink();
            }
        }
    }

    /** Asserts that the child printed {@code values}, each whole, in order, and nothing more. */
    private static void assertReceived(List<byte[]> values, String output) {
        List<String> got = output.lines().filter(l -> l.startsWith("VALUE ")).toList();
        assertEquals(values.size(), got.size(), output);
        for (int i = 0; i < values.size(); i++) {
            CRC32 crc = new CRC32();
            crc.update(values.get(i));
            assertEquals("VALUE length=" + values.get(i).length + " crc=" + crc.getValue(), got.get(i), "value " + i);
        }
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] value = new byte[length];
        for (int i = 0; i < length; i++) {
            value[i] = (byte) random.nextInt(256);
        }
        return value;
    }
}
