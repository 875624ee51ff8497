package com.example.quotes;

import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.MessageHeader;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.WaitStrategy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The consumer: creates the ring channel NAME, receives COUNT quotes (or fewer, if every producer
 * has gone before), and checks that they came numbered 1, 2, 3, ... Exits with 0 if all came in
 * order, 1 if not.
 *
 * <pre>
 * java --enable-native-access=org.panamaipc,org.panamaipc.bindings -p target/lib \
 *      -m com.example.quotes/com.example.quotes.Consumer /quotes 1000
 * </pre>
 */
public final class Consumer {

    private Consumer() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: Consumer NAME COUNT");
            System.exit(2);
        }
        String name = args[0];
        long count = Long.parseLong(args[1]);
        // MPSC: any number of producers may attach; 64 KiB of records, mode 0600
        try (RingChannel ring = RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(64 * 1024));
             Receiver receiver = ring.receiver(WaitStrategy.blocking(), true); // told CLOSED once producers have gone
             Arena arena = Arena.ofConfined()) {
            System.out.println("consumer: created " + name + ", waiting for quotes");
            MemorySegment buffer = arena.allocate(ring.maxMessageLength());
            long received = 0;
            try {
                while (received < count) {
                    int length = receiver.receive(buffer, 0, Duration.ofSeconds(30));
                    if (length == Receiver.CLOSED) {
                        break;                                  // every producer has gone, nothing is left
                    }
                    if (length == Receiver.EMPTY) {
                        System.out.println("consumer: nothing for 30 s; giving up");
                        System.exit(1);
                    }
                    MessageHeader header = receiver.lastHeader();
                    String quote = new String(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE),
                            StandardCharsets.UTF_8);
                    received++;
                    if (header.sequence() != received || !quote.startsWith("quote " + received + ":")) {
                        System.out.println("consumer: expected quote " + received + ", got #" + header.sequence()
                                + " \"" + quote + "\"");
                        System.exit(1);
                    }
                    if (received % 250 == 0) {
                        System.out.println("consumer: " + quote);
                    }
                }
            } finally {
                ring.unlink(); // the name goes; the producer that still has it mapped is not disturbed
            }
            boolean ok = received == count;
            System.out.println("consumer: received " + received + " of " + count + " quotes, in order" + (ok ? "" : ": FAILED"));
            System.exit(ok ? 0 : 1);
        }
    }
}
