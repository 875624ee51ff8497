package org.panamaipc.bridge;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.children.BridgeHost;
import org.panamaipc.children.BridgeHost.Tick;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.TestNames;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.channel;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.cleanUp;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.freePort;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.host;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.line;

/**
 * What arrives on an exported stream that a bridge did not write: random bytes, a frame of an
 * older layout, and frames of this layout with one field wrong, offered by a plain Aeron publication
 * from this JVM to a child host's bridge. Each is counted as malformed and dropped whole; none
 * delivers anything or stops the bridge, which then carries a real bridge's messages, all of them,
 * in order.
 */
class BridgeMalformedFramesTest {

    static final int TICKS = 100;
    static final int STREAM = 19;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldCountAndDropEveryFrameABridgeDidNotWrite() throws Exception {
        List<byte[]> junk = junk();
        for (byte[] frame : junk) {
            assertEquals(-1, WireFormat.validate(new UnsafeBuffer(frame), 0, frame.length), "a frame of the junk is well formed");
        }
        String remote = TestNames.unique("bridge-malformed");
        String standIn = TestNames.unique("bridge-malformed-standin");
        String listen = channel(freePort());
        // the child counts two senders: 1, whose ticks follow the junk on the plain publication (so
        // that all of it has been read when they have come), and 0, sending through a real bridge
        try (ChildProcess host = host("mailbox-consumer", listen, Integer.toString(STREAM), remote,
                Integer.toString(2 * TICKS), "2", "256", "0")) {
            try {
                host.awaitOutput("READY", Duration.ofSeconds(30));
                try (EmbeddedDriver driver = EmbeddedDriver.launch(BridgeConfig.Idle.YIELD, false);
                     Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.directory().toString()));
                     ExclusivePublication plain = aeron.addExclusivePublication(listen, STREAM)) {
                    for (byte[] frame : junk) {
                        offer(plain, frame);
                    }
                    for (int first = 1; first <= TICKS; first += 10) {
                        offer(plain, ticks(1, first, 10));          // frames of ten, as a bridge writes them
                    }
                    MailboxOptions options = MailboxOptions.ring().capacity(256).maxMessageLength(64);
                    try (Bridge bridge = Bridge.start(BridgeConfig.builder().importMailbox(standIn, listen, STREAM, options).build());
                         Mailbox<Tick> mailbox = Mailbox.open(standIn, BridgeHost.TICKS)) {
                        for (int i = 1; i <= TICKS; i++) {
                            assertTrue(mailbox.send(new Tick(0, 0, i), Duration.ofSeconds(30)) > 0);
                        }
                        host.awaitOutput("RESULT", Duration.ofSeconds(60));
                        assertNull(bridge.failure());
                    }
                }
                String result = line(host.output(), "RESULT");
                assertTrue(result.contains("received=" + 2 * TICKS + " outOfOrder=0 complete=true extra=false"), result);
                assertTrue(result.contains(" malformed=" + junk.size() + " "), junk.size() + " frames of junk: " + result);
                assertTrue(result.contains(" delivered=" + 2 * TICKS + " "), result);
                host.assertSuccess(Duration.ofSeconds(30));
            } finally {
                cleanUp(host, remote);
                Mailbox.unlinkIfExists(standIn);
            }
        }
    }

    private static void offer(ExclusivePublication publication, byte[] frame) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        UnsafeBuffer buffer = new UnsafeBuffer(frame);
        while (publication.offer(buffer, 0, frame.length) < 0) {      // NOT_CONNECTED until the child's image is up
            assertTrue(System.nanoTime() - end < 0, "the child's bridge took no frame for 30 s");
            Thread.sleep(1);
        }
    }

    /** A frame of {@code count} ticks of {@code sender}, numbered from {@code first}, in the layout a bridge writes. */
    private static byte[] ticks(int sender, int first, int count) {
        UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocate(1024));
        java.lang.foreign.MemorySegment value = java.lang.foreign.Arena.ofAuto().allocate(64, 8);
        WireFormat.Packer packer = new WireFormat.Packer();
        WireFormat.putFrameHeader(buffer, 0);
        packer.startFrame();
        int offset = WireFormat.FRAME_HEADER_LENGTH;
        for (int i = first; i < first + count; i++) {
            int length = (int) BridgeHost.TICKS.encode(new Tick(sender, 0, i), value, 0);
            int flags = packer.flags(0, 7, 4242, i, 1_000L * i);
            offset = packer.put(buffer, offset, flags, length, 0, 7, 4242, i, 1_000L * i);
            buffer.putBytes(offset, value.asSlice(0, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            offset += length;
            WireFormat.addEntry(buffer, 0);
        }
        return java.util.Arrays.copyOf(buffer.byteArray(), offset);
    }

    private static List<byte[]> junk() {
        List<byte[]> frames = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 100; i++) {                              // random bytes
            byte[] frame = new byte[1 + random.nextInt(1000)];
            for (int k = 0; k < frame.length; k++) {
                frame[k] = (byte) random.nextInt(256);
            }
            frame[0] = (byte) ~'P';
            frames.add(frame);
        }
        UnsafeBuffer old = new UnsafeBuffer(ByteBuffer.allocate(48));  // layout 2: magic PIB2, one 32-byte entry header
        old.putInt(0, 'P' | 'I' << 8 | 'B' << 16 | '2' << 24, WireFormat.ORDER);
        old.putInt(4, 1, WireFormat.ORDER);
        old.putInt(8, 8, WireFormat.ORDER);
        frames.add(old.byteArray());

        int second = WireFormat.FRAME_HEADER_LENGTH + WireFormat.MAX_ENTRY_HEADER_LENGTH + 8;
        frames.add(corrupted(second + 2, (byte) 0x40));                                  // an unknown flag
        frames.add(corrupted(WireFormat.FRAME_HEADER_LENGTH + 2, (byte) WireFormat.TIME_DELTA)); // a first entry that refers back
        frames.add(corrupted(WireFormat.COUNT_OFFSET, (byte) 3));                         // more entries than there are
        frames.add(corrupted(second, (byte) 200));                                        // a value past the frame
        frames.add(corrupted(WireFormat.COUNT_OFFSET, (byte) 0));                         // no entries
        byte[] whole = corrupted(WireFormat.MAGIC_OFFSET, (byte) 'P');                   // the magic's own first byte
        frames.add(java.util.Arrays.copyOf(whole, whole.length + 1));                     // and a byte after the last entry
        return frames;
    }

    /** A well-formed frame of two 8-byte values from one sender, with the byte at {@code at} set to {@code value}. */
    private static byte[] corrupted(int at, byte value) {
        UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocate(256));
        WireFormat.Packer packer = new WireFormat.Packer();
        WireFormat.putFrameHeader(buffer, 0);
        packer.startFrame();
        int offset = WireFormat.FRAME_HEADER_LENGTH;
        for (int i = 1; i <= 2; i++) {
            int flags = packer.flags(0, 1, 42, i, 1_000L * i);
            offset = packer.put(buffer, offset, flags, 8, 0, 1, 42, i, 1_000L * i) + 8;
            WireFormat.addEntry(buffer, 0);
        }
        byte[] frame = java.util.Arrays.copyOf(buffer.byteArray(), offset);
        frame[at] = value;
        return frame;
    }
}
