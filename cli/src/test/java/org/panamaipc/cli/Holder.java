package org.panamaipc.cli;

import org.panamaipc.broadcast.Broadcast;
import org.panamaipc.broadcast.BroadcastOptions;
import org.panamaipc.broadcast.Publisher;
import org.panamaipc.broadcast.SlowSubscriberPolicy;
import org.panamaipc.broadcast.Subscriber;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.Codec;
import org.panamaipc.endpoint.EndpointRegistry;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.Port;
import org.panamaipc.rendezvous.Rendezvous;
import org.panamaipc.rendezvous.RendezvousOptions;
import org.panamaipc.rendezvous.RendezvousReceiver;
import org.panamaipc.rendezvous.RendezvousSender;
import org.panamaipc.testkit.Watchdog;
import org.panamaipc.unbounded.UnboundedLink;
import org.panamaipc.unbounded.UnboundedOptions;
import org.panamaipc.unbounded.UnboundedSender;

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
 *     one every few milliseconds and a receiver in the same process takes them;</li>
 * <li>{@code messaging NAME} creates the mailbox {@code NAME-mbox} over a ring with one message
 *     waiting, the port {@code NAME-port} over a queue, which it owns, and the endpoint registry
 *     {@code NAME-reg} with 8 entries, in which it registers {@code printer}.</li>
 * <li>{@code broadcast NAME} creates a LOSSY broadcast of 8 records, attaches its publisher and two
 *     subscribers, publishes 20 messages and has the first subscriber receive them all (it loses
 *     12, lapped) while the second receives none;</li>
 * <li>{@code rendezvous NAME} creates a rendezvous, attaches a sender and a receiver, and hands 3
 *     messages over;</li>
 * <li>{@code unbounded NAME} creates an unbounded link with a 1 KiB ring and 4 KiB spill
 *     segments, and sends 100 messages of 100 bytes that nobody receives (most spill).</li>
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
            case "messaging" -> {
                Mailbox<byte[]> mailbox = Mailbox.create(name + "-mbox", MailboxOptions.ring().capacity(16), Codec.bytes());
                held.add(mailbox);
                mailbox.send("job".getBytes(StandardCharsets.UTF_8));
                held.add(Port.create(name + "-port", MailboxOptions.queue(), Codec.bytes()));
                EndpointRegistry registry = EndpointRegistry.create(name + "-reg", 8);
                held.add(registry);
                held.add(registry.register("printer", Codec.bytes()));
            }
            case "broadcast" -> {
                Broadcast broadcast = Broadcast.create(name, BroadcastOptions.of(SlowSubscriberPolicy.LOSSY).capacity(8));
                held.add(broadcast);
                Publisher publisher = broadcast.publisher();
                Subscriber first = broadcast.subscribe();
                held.add(publisher);
                held.add(first);
                held.add(broadcast.subscribe());
                for (int i = 0; i < 20; i++) {
                    publisher.send(1, new byte[] {(byte) i});
                }
                while (first.tryReceiveBytes() != null) {
                    // 8 of the 20: the first 12 were overwritten
                }
            }
            case "rendezvous" -> {
                Rendezvous rendezvous = Rendezvous.create(name, RendezvousOptions.of(64));
                held.add(rendezvous);
                RendezvousSender sender = rendezvous.sender();
                RendezvousReceiver receiver = rendezvous.receiver();
                held.add(sender);
                held.add(receiver);
                Thread taker = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        for (int i = 0; i < 3; i++) {
                            receiver.receiveBytes(Duration.ofSeconds(30));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                for (int i = 0; i < 3; i++) {
                    sender.send(1, new byte[] {(byte) i}, Duration.ofSeconds(30));
                }
                taker.join(Duration.ofSeconds(30));
            }
            case "unbounded" -> {
                UnboundedLink link = UnboundedLink.create(name, UnboundedOptions.of(200).ringCapacity(1024)
                        .spillSegmentSize(4096));
                held.add(link);
                UnboundedSender sender = link.sender();
                held.add(sender);
                for (int i = 0; i < 100; i++) {
                    sender.send(1, new byte[100]);
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
