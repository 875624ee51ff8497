package com.example.quotes;

import org.panamaipc.NotFoundException;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The producer: opens the ring channel NAME (waiting up to 30 s for the consumer to create it) and
 * sends COUNT quotes, blocking while the ring is full. Exits with 0 once all are sent.
 *
 * <pre>
 * java --enable-native-access=org.panamaipc,org.panamaipc.bindings -p target/lib \
 *      -m com.example.quotes/com.example.quotes.Producer /quotes 1000
 * </pre>
 */
public final class Producer {

    private Producer() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: Producer NAME COUNT");
            System.exit(2);
        }
        String name = args[0];
        long count = Long.parseLong(args[1]);
        try (RingChannel ring = open(name, Duration.ofSeconds(30));
             Sender sender = ring.sender(WaitStrategy.blocking())) {
            for (long n = 1; n <= count; n++) {
                byte[] quote = ("quote " + n + ": EURUSD " + (10842 + n % 17) / 10000.0).getBytes(StandardCharsets.UTF_8);
                if (sender.send(1, quote, Duration.ofSeconds(30)) < 0) {   // FULL for 30 s, or CLOSED
                    System.out.println("producer: the consumer stopped taking quotes at " + n);
                    System.exit(1);
                }
            }
            System.out.println("producer: sent " + count + " quotes to " + name);
        } // closing the sender tells the consumer no more will come
        System.exit(0);
    }

    /** Opens the channel, waiting for its creator: the two programs may start in either order. */
    private static RingChannel open(String name, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                return RingChannel.open(name);
            } catch (NotFoundException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
