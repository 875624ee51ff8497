package org.panamaipc.children;

import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.endpoint.Endpoint;
import org.panamaipc.endpoint.EndpointRegistry;
import org.panamaipc.endpoint.NameTakenException;
import org.panamaipc.message.Header;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.MessageRecords;
import org.panamaipc.message.MessageRecords.Job;
import org.panamaipc.message.MessageRecords.Tick;
import org.panamaipc.message.Port;
import org.panamaipc.message.TypedSender;
import org.panamaipc.testkit.Watchdog;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Child JVM for the messaging tests; the first argument picks the role. Every role has a deadline. */
public final class MessagingChild {

    /** The job that tells a receiver to stop. */
    public static final long STOP = -1;

    private static final Duration DEADLINE = Duration.ofSeconds(150);

    private MessagingChild() {
    }

    public static void main(String[] args) throws Exception {
        Watchdog.start(args[0], DEADLINE);
        switch (args[0]) {
            case "typed-send" -> typedSend(args[1], Long.parseLong(args[2]), Integer.parseInt(args[3]), true);
            case "typed-send-bare" -> typedSend(args[1], Long.parseLong(args[2]), Integer.parseInt(args[3]), false);
            case "mailbox-send" -> mailboxSend(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]));
            case "mailbox-receive" -> mailboxReceive(args[1]);
            case "port-owner" -> portOwner(args[1], args[2]);
            case "mailbox-hold" -> mailboxHold(args[1]);
            case "endpoint-peer" -> endpointPeer(args[1], args[2], args[3], Long.parseLong(args[4]), Boolean.parseBoolean(args[5]));
            case "register" -> register(args[1], args[2]);
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
        System.out.flush();
        System.exit(0);
    }

    /**
     * Sends ticks 1..count (price n / 4, quantity n % 1000, producer 1) as messages of {@code type},
     * with the envelope or without ({@link TypedSender#withoutEnvelope}).
     */
    private static void typedSend(String ring, long count, int type, boolean enveloped) throws InterruptedException {
        try (RingChannel channel = RingChannel.open(ring);
             TypedSender<Tick> ticks = enveloped
                     ? TypedSender.of(channel.sender(WaitStrategy.blocking()), MessageRecords.TICKS, type)
                     : TypedSender.withoutEnvelope(channel.sender(WaitStrategy.blocking()), MessageRecords.TICKS, type)) {
            for (long n = 1; n <= count; n++) {
                ticks.send(new Tick(n, n * 0.25, (int) (n % 1000), 1));
            }
        }
        System.out.println("SENT " + count);
    }

    /** Sends jobs 1..count of {@code producer} into the mailbox. */
    private static void mailboxSend(String name, int producer, long count) throws InterruptedException {
        try (Mailbox<Job> jobs = Mailbox.open(name, MessageRecords.JOBS)) {
            for (long n = 1; n <= count; n++) {
                jobs.send(new Job(n, producer, 0, "job-" + n));
            }
        }
        System.out.println("SENT " + count);
    }

    /**
     * Takes jobs until a {@link #STOP}, printing "TOOK producer id" for each, checking that the
     * ids of each producer and the sequence numbers of each source rise; then "RECEIVED n ORDER ok WITH_PID m",
     * m the messages whose header named a sending pid (0 in a mailbox without the envelope).
     */
    private static void mailboxReceive(String name) throws InterruptedException {
        Map<Integer, Long> lastId = new HashMap<>();
        Map<Long, Long> lastSequence = new HashMap<>();
        String order = "ok";
        long taken = 0;
        long withPid = 0;
        StringBuilder lines = new StringBuilder();
        try (Mailbox<Job> jobs = Mailbox.open(name, MessageRecords.JOBS)) {
            System.out.println("READY");
            while (true) {
                Job job = jobs.receive(Duration.ofSeconds(60));
                if (job == null) {
                    order = "timeout";
                    break;
                }
                if (job.id() == STOP) {
                    break;
                }
                Header header = jobs.lastHeader();
                withPid += header.sourcePid() != 0 ? 1 : 0;
                long source = ((long) header.sourcePid() << 32) | (header.source() & 0xFFFF_FFFFL);
                Long previousSequence = lastSequence.put(source, header.sequence());
                Long previousId = lastId.put(job.producer(), job.id());
                if ((previousId != null && previousId >= job.id())
                        || (previousSequence != null && previousSequence >= header.sequence())) {
                    order = "bad at producer " + job.producer() + " id " + job.id() + " after " + previousId;
                }
                taken++;
                lines.append("TOOK ").append(job.producer()).append(' ').append(job.id()).append('\n');
                if (lines.length() > 1 << 16) {
                    System.out.print(lines);
                    lines.setLength(0);
                }
            }
        }
        System.out.print(lines);
        System.out.println("RECEIVED " + taken + " ORDER " + order + " WITH_PID " + withPid);
    }

    /**
     * Opens the mailbox and receives one job, which attaches its receiver, printing "HELD id pid";
     * then keeps the handle open, receiving nothing more, until killed (or 120 s pass).
     */
    private static void mailboxHold(String name) throws InterruptedException {
        try (Mailbox<Job> jobs = Mailbox.open(name, MessageRecords.JOBS)) {
            Job job = jobs.receive(Duration.ofSeconds(60));
            System.out.println("HELD " + (job == null ? "none" : Long.toString(job.id())) + " " + ProcessHandle.current().pid());
            Thread.sleep(Duration.ofSeconds(120));
        }
    }

    /** Creates the port, says READY, and receives until killed (or 120 s pass). */
    private static void portOwner(String name, String transport) throws InterruptedException {
        MailboxOptions options = transport.equals("queue") ? MailboxOptions.queue() : MailboxOptions.ring().capacity(64);
        try (Port<Job> port = Port.create(name, options, MessageRecords.JOBS)) {
            System.out.println("READY " + ProcessHandle.current().pid());
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                Job job = port.receive(Duration.ofMillis(200));
                if (job != null) {
                    System.out.println("GOT " + job.id());
                }
            }
        }
    }

    /**
     * Registers {@code me}; the starter sends job 1 to {@code other} by name. Each side then
     * answers every job it receives with the next id, to the message's source, until {@code rounds}.
     */
    private static void endpointPeer(String registryName, String me, String other, long rounds, boolean starter)
            throws InterruptedException {
        try (EndpointRegistry registry = EndpointRegistry.open(registryName);
             Endpoint<Job> endpoint = registry.register(me, MessageRecords.JOBS)) {
            System.out.println("REGISTERED " + me);
            if (starter) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (registry.holder(other) == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(other + " never registered");
                    }
                    Thread.sleep(5);
                }
                endpoint.send(other, new Job(1, 0, 0, me));
            }
            while (true) {
                Job job = endpoint.receive(Duration.ofSeconds(60));
                if (job == null) {
                    throw new IllegalStateException("nothing from " + other + " for 60 s");
                }
                long replyTo = endpoint.lastHeader().replyTo();
                String from = endpoint.nameOf(replyTo);
                // the last message's sender may have closed its endpoint already: its name is gone
                boolean last = job.id() > rounds;
                if ((!other.equals(from) && !(last && from == null)) || !other.equals(job.file())) {
                    throw new IllegalStateException("job " + job + " came from " + from + ", not " + other);
                }
                if (job.id() >= rounds) {
                    if (job.id() == rounds) {
                        endpoint.reply(replyTo, new Job(job.id() + 1, 0, 0, me)); // tells the other to stop
                    }
                    System.out.println("DONE " + job.id());
                    return;
                }
                endpoint.reply(replyTo, new Job(job.id() + 1, 0, 0, me));
            }
        }
    }

    /** Tries to register {@code name}: "REFUSED holder=PID", or "REGISTERED" and holds it until killed. */
    private static void register(String registryName, String name) throws InterruptedException {
        try (EndpointRegistry registry = EndpointRegistry.open(registryName)) {
            try (Endpoint<Job> endpoint = registry.register(name, MessageRecords.JOBS)) {
                System.out.println("REGISTERED " + ProcessHandle.current().pid());
                Thread.sleep(Duration.ofSeconds(120));
            } catch (NameTakenException e) {
                System.out.println("REFUSED holder=" + e.holderPid() + " message=" + e.getMessage());
            }
        }
    }
}
