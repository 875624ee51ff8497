package org.panamaipc.attack.children;

import org.panamaipc.channel.RecordDescriptor;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.testkit.Watchdog;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A sender that dies holding a claim whose payload looks like a record:
 * {@code ForgePeer NAME AT TEXT}. It claims the first record of the (empty) channel NAME with
 * {@code tryClaim}, writes into its payload, at stream position AT, the words of a committed
 * record of type 7 carrying TEXT (16 bytes), prints {@code claimed} and waits to be killed. Such
 * bytes are what any payload may hold; they must never reach a receiver.
 */
public final class ForgePeer {

    private ForgePeer() {
    }

    public static void main(String[] args) {
        Watchdog.start("forge", Duration.ofMinutes(2));
        try (RingChannel channel = RingChannel.open(args[0]);
             Sender sender = channel.sender(WaitStrategy.busySpin())) {
            long at = Long.parseLong(args[1]);
            byte[] text = args[2].getBytes(StandardCharsets.US_ASCII);
            long index = sender.tryClaim(1, 200);
            if (index != RecordDescriptor.HEADER_LENGTH) {
                Peers.fail(new IllegalStateException("expected the first record, got index " + index));
            }
            MemorySegment ring = sender.buffer();
            ring.set(ValueLayout.JAVA_INT, at + RecordDescriptor.LENGTH_OFFSET, text.length);
            ring.set(ValueLayout.JAVA_INT, at + RecordDescriptor.TYPE_OFFSET, 7);
            ring.set(ValueLayout.JAVA_LONG, at + RecordDescriptor.SEQUENCE_OFFSET, 1L);
            MemorySegment.copy(text, 0, ring, ValueLayout.JAVA_BYTE, at + RecordDescriptor.HEADER_LENGTH, text.length);
            ring.set(ValueLayout.JAVA_LONG, at + RecordDescriptor.TAG_OFFSET, RecordDescriptor.tag(at, RecordDescriptor.COMMITTED));
            Peers.say("claimed");
            Peers.pause(Duration.ofMinutes(2).toMillis()); // until killed
        } catch (Throwable t) {
            Peers.fail(t);
        }
    }
}
