package org.panamaipc.channel;

import org.panamaipc.testkit.Watchdog;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for {@link ChannelDeadPeerTest}: a receiver that asks to be told when its senders
 * have gone, whose sleep slice is made {@code SLICE_SECONDS} long, so that once asleep on the
 * futex only a wake-up ends its sleep within the test's deadline. For {@code TRIALS} rounds it reads a
 * line from standard input, then waits in {@code receive} without a timeout, and prints
 * {@code closed N AT} with the {@link System#nanoTime()} at which it returned {@code CLOSED}.
 * Arguments: {@code NAME TRIALS SLICE_SECONDS}.
 */
public final class SleepingReceiverChild {

    private SleepingReceiverChild() {
    }

    public static void main(String[] args) throws Exception {
        Watchdog.start("sleeping-receiver", Duration.ofSeconds(170));
        ReceiverEndpoint.sleepSliceNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        int trials = Integer.parseInt(args[1]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        try (RingChannel channel = RingChannel.open(args[0]);
             Receiver receiver = channel.receiver(WaitStrategy.blocking())) {
            System.out.println("attached");
            System.out.flush();
            for (int trial = 0; trial < trials; trial++) {
                if (in.readLine() == null) {
                    return;
                }
                int result = receiver.receive((h, b, o, l) -> { }, 1);
                long at = System.nanoTime();
                System.out.println((result == Receiver.CLOSED ? "closed " : "result " + result + " ") + trial + " " + at);
                System.out.flush();
            }
        }
        System.exit(0);
    }
}
