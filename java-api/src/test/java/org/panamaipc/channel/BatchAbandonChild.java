package org.panamaipc.channel;

import org.panamaipc.testkit.Watchdog;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

import static org.panamaipc.channel.RecordDescriptor.*;

/**
 * A child JVM for {@link ChannelBatchDeathTest}: {@code NAME COUNT BATCH SEED} sends pattern
 * messages 1..COUNT ({@link PeerPattern}), then takes the room of the next BATCH with one span, as
 * a batch send does ({@link SenderEndpoint#reserveSpan}), writes the first half of them as a batch
 * send writes each record (payload, header, then the tag), half of the next one's payload, says
 * so ({@code abandoned a span of N records after writing W}) and waits to be killed: a sender that
 * died in the middle of a batch.
 */
public final class BatchAbandonChild {

    private BatchAbandonChild() {
    }

    public static void main(String[] args) throws Exception {
        Watchdog.start("batch-abandon", Duration.ofSeconds(150));
        String name = args[0];
        long count = Long.parseLong(args[1]);
        int batch = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        try (RingChannel channel = RingChannel.open(name);
             Sender sender = channel.sender(WaitStrategy.blocking());
             Arena arena = Arena.ofConfined()) {
            PeerPattern.send(sender, count, seed, 0);
            SenderEndpoint endpoint = (SenderEndpoint) sender;
            int limit = PeerPattern.limit(channel.maxMessageLength());
            MemorySegment[] messages = new MemorySegment[batch];
            for (int k = 0; k < batch; k++) {
                long sequence = count + 1 + k;
                messages[k] = arena.allocate(Math.max(1, PeerPattern.length(sequence, seed, limit)))
                        .asSlice(0, PeerPattern.length(sequence, seed, limit));
                for (int i = 0; i < messages[k].byteSize(); i++) {
                    messages[k].set(ValueLayout.JAVA_BYTE, i, PeerPattern.at(sequence, seed, i));
                }
            }
            long position = endpoint.reserveSpan(messages, 0, batch);
            int records = endpoint.spanRecords;
            if (position < 0 || records < 2) {
                System.out.println("no room for a span: " + position + ", " + records + " records");
                System.exit(3);
            }
            int written = records / 2;
            for (int k = 0; k < written; k++) {
                long sequence = endpoint.sequence;
                int length = (int) messages[k].byteSize();
                long index = position & endpoint.mask;
                RecordWrites.payload(messages[k], 0, endpoint.records, index, length);
                RecordWrites.header(endpoint.records, index, PeerPattern.type(sequence, seed), length, endpoint.id, sequence);
                RecordWrites.publish(endpoint.records, index, tag(position, COMMITTED));
                position += recordLength((long) length);
                endpoint.sequence++;
            }
            MemorySegment next = messages[written];
            RecordWrites.payload(next, 0, endpoint.records, position & endpoint.mask, (int) next.byteSize() / 2);
            System.out.println("abandoned a span of " + records + " records after writing " + written);
            System.out.flush();
            Thread.sleep(Duration.ofSeconds(150));
        }
    }
}
