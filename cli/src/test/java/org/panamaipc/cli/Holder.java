package org.panamaipc.cli;

import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.testkit.Watchdog;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A process that holds IPC objects for the CLI's tests, until it is killed or its watchdog ends it:
 * <ul>
 * <li>{@code create NAME} creates an SPSC ring and attaches a sender and a receiver;</li>
 * <li>{@code attach NAME} opens an existing ring and attaches a receiver;</li>
 * <li>{@code write NAME} creates an MPSC ring and keeps messages flowing through it: a sender sends
 *     one every few milliseconds and a receiver in the same process takes them.</li>
 * </ul>
 * It prints {@code READY} once it holds what it was asked to.
 */
public final class Holder {

    private Holder() {
    }

    public static void main(String[] args) throws Exception {
        Watchdog.start("Holder " + String.join(" ", args), Duration.ofSeconds(120));
        String name = args[1];
        List<AutoCloseable> held = new ArrayList<>();
        switch (args[0]) {
            case "create" -> {
                RingChannel ring = RingChannel.create(name, ChannelOptions.of(ChannelType.SPSC).capacity(64 * 1024));
                held.add(ring);
                held.add(ring.sender(WaitStrategy.blocking()));
                held.add(ring.receiver(WaitStrategy.blocking(), false));
            }
            case "attach" -> {
                RingChannel ring = RingChannel.open(name);
                held.add(ring);
                held.add(ring.receiver(WaitStrategy.blocking(), false));
            }
            case "write" -> {
                RingChannel ring = RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(64 * 1024));
                Receiver receiver = ring.receiver(WaitStrategy.blocking(), false);
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (true) {
                            receiver.receiveBytes(Duration.ofSeconds(1));
                        }
                    } catch (InterruptedException | RuntimeException e) {
                        // the process ends
                    }
                });
                Sender sender = ring.sender(WaitStrategy.blocking());
                byte[] message = "tick".getBytes(StandardCharsets.UTF_8);
                System.out.println("READY");
                System.out.flush();
                while (true) {
                    sender.send(1, message, Duration.ofSeconds(1));
                    Thread.sleep(2);
                }
            }
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Duration.ofSeconds(120));
        for (AutoCloseable closeable : held.reversed()) {
            closeable.close();
        }
    }
}
