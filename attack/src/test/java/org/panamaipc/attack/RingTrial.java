package org.panamaipc.attack;

import org.panamaipc.attack.children.Frames;
import org.panamaipc.attack.children.Peers;
import org.panamaipc.attack.children.RingPeer;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelStats;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fault-injection trial on a ring channel. Receiver JVMs attach, sender JVMs send
 * {@link Frames} messages, and one of them, the victim, is killed with SIGKILL: a sender at a
 * random moment while it sends, a sender paused on purpose half-way through writing a record it
 * claimed, or a receiver at a random moment while it receives. Sometimes a replacement attaches
 * after the kill. Then: every message a sender acknowledged is received exactly once and intact,
 * the claimed record is never delivered, every survivor ends within its deadline (receivers are
 * told CLOSED once every sender has gone), the channel still carries a message, and nothing is
 * left once it is unlinked.
 */
final class RingTrial extends Trial {

    enum Scenario { KILL_SENDER_WHILE_SENDING, KILL_SENDER_MID_CLAIM, KILL_RECEIVER_WHILE_RECEIVING }

    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration SENDERS_FINISH = Duration.ofSeconds(180);

    private final ChannelType type;
    Scenario kind;
    String pattern;
    boolean replaced;
    boolean padded;
    long messages;

    RingTrial(ChannelType type, long seed) {
        super(type.name(), seed);
        this.type = type;
    }

    RingTrial run() {
        long capacity = pick(4096L, 8192L, 16384L, 65536L);
        int maxLength = (int) Math.max(Frames.MIN_LENGTH, Math.min(capacity / 2 - 32, pick(64L, 200L, 1000L, 4000L)));
        int senders = type == ChannelType.SPSC ? 1 : 2 + random.nextInt(2);
        int receivers = type == ChannelType.MPMC ? 2 : 1;
        long count = AttackMode.current().messagesPerTrialSender();
        kind = pick(Scenario.KILL_SENDER_MID_CLAIM, Scenario.KILL_SENDER_MID_CLAIM, Scenario.KILL_SENDER_WHILE_SENDING,
                Scenario.KILL_RECEIVER_WHILE_RECEIVING);
        boolean victimSends = kind != Scenario.KILL_RECEIVER_WHILE_RECEIVING;
        int victim = random.nextInt(victimSends ? senders : receivers);
        boolean replace = victimSends ? type == ChannelType.SPSC && random.nextBoolean()
                : type != ChannelType.MPMC || random.nextInt(3) == 0;
        pattern = pick("part", "part", "zeros", "ones", "selfpos", "lenpos");
        replaced = replace;
        long claimAt = pattern.equals("lenpos") ? 1 + random.nextInt(3) : 1 + random.nextLong(count / 2);
        scenario = kind + (kind == Scenario.KILL_SENDER_MID_CLAIM ? " (pattern " + pattern + ", message " + claimAt + ")" : "")
                + (replace ? ", replaced" : "") + ", capacity " + capacity + ", max " + maxLength + ", " + senders
                + " sender(s), " + receivers + " receiver(s)";
        String name = TestNames.unique("atk-" + type.name().toLowerCase());
        Map<Integer, Long> attempted = new HashMap<>();
        String neverCommitted = null;
        int killedReceivers = 0;
        try (RingChannel channel = RingChannel.create(name, ChannelOptions.of(type).capacity(capacity)
                .maxMessageLength(maxLength).endpointSlots(16))) {
            List<Child> receiving = new ArrayList<>();
            for (int id = 0; id < receivers; id++) {
                boolean isVictim = !victimSends && id == victim;
                receiving.add(receiver(name, id, isVictim ? "copy" : pick("copy", "handler")));
            }
            for (Child r : receiving) {
                await(r, "ready", READY);
            }
            List<Child> sending = new ArrayList<>();
            for (int p = 0; p < senders; p++) {
                attempted.put(p, count);
                boolean midClaim = victimSends && p == victim && kind == Scenario.KILL_SENDER_MID_CLAIM;
                sending.add(sender(name, p, count, midClaim ? new String[] {Long.toString(claimAt), pattern} : new String[0]));
            }
            for (Child s : sending) {
                await(s, "ready", READY);
            }
            Child target = victimSends ? sending.get(victim) : receiving.get(victim);
            if (kind == Scenario.KILL_SENDER_MID_CLAIM) {
                String claimed = await(target, "claimed", SENDERS_FINISH);
                if (claimed != null) {
                    String[] w = claimed.split(" ");
                    neverCommitted = victim + ":" + w[1];
                    padded = claimed.endsWith("padded true");
                    scenario += ", claim at position " + w[3] + (padded ? " after padding" : "");
                }
            } else {
                Child.sleep(random.nextInt(20, 400));
            }
            if (!target.isAlive()) {
                scenario += ", victim finished before the kill";
            }
            kill(target);
            if (!victimSends) {
                killedReceivers++;
            }
            if (replace) {
                if (victimSends) {
                    attempted.put(senders, count / 2);
                    Child s = sender(name, senders, count / 2);
                    sending.add(s);
                } else {
                    receiving.add(receiver(name, receivers, pick("copy", "handler")));
                }
            }
            finishAll(sending, receiving, target, SENDERS_FINISH);
            Ledger.Accounts accounts = Ledger.read(dir, attempted, killedReceivers, neverCommitted);
            messages = accounts.acked();
            account(accounts);
            aftermath(channel);
        } finally {
            close();
            SharedMemory.unlinkIfExists(name);
        }
        checkNothingLeft(name);
        return this;
    }

    private Child receiver(String name, int id, String form) {
        return start(Child.java(RingPeer.class, "receive", name, dir.toString(), Integer.toString(id), Long.toString(seed),
                form, strategy()).label("ring-receiver-" + id));
    }

    private Child sender(String name, int producer, long count, String... hangAt) {
        List<String> args = new ArrayList<>(List.of("send", name, dir.toString(), Integer.toString(producer),
                Long.toString(seed), Long.toString(count), strategy()));
        args.addAll(List.of(hangAt));
        return start(Child.java(RingPeer.class, args.toArray(String[]::new)).label("ring-sender-" + producer));
    }

    private String strategy() {
        int r = random.nextInt(20);
        return r < 12 ? "blocking" : r < 17 ? "backoff" : r < 19 ? "yield" : "spin";
    }

    /** The channel still works after the attack, every dead endpoint is retired, and it is drained. */
    private void aftermath(RingChannel channel) {
        try (Receiver receiver = channel.receiver(WaitStrategy.blocking(), false);
             Sender sender = channel.sender(WaitStrategy.blocking());
             Arena arena = Arena.ofConfined()) {
            MemorySegment into = arena.allocate(Math.max(1, channel.maxMessageLength()));
            int first = receiver.tryReceive(into, 0);
            if (first >= 0) {
                problem(Kind.AFTERMATH, "a message was left in the channel after the receivers had been told CLOSED: "
                        + receiver.lastHeader());
            }
            byte[] probe = "probe".getBytes();
            if (sender.send(99, probe, Duration.ofSeconds(10)) < 0) {
                problem(Kind.AFTERMATH, "a new sender could not send after the attack: " + channel.stats());
                return;
            }
            int got = receiver.receive(into, 0, Duration.ofSeconds(10));
            if (got != probe.length || receiver.lastHeader().type() != 99) {
                problem(Kind.AFTERMATH, "a new receiver did not get the probe (got " + got + ", "
                        + receiver.lastHeader() + "): " + channel.stats());
            }
            ChannelStats stats = channel.stats();
            if (stats.liveSenders() != 1 || stats.liveReceivers() != 1 || stats.head() != stats.tail()) {
                problem(Kind.AFTERMATH, "after the probe, expected 1 live sender, 1 live receiver, head = tail: " + stats);
            }
        } catch (RuntimeException | InterruptedException e) {
            problem(Kind.AFTERMATH, "using the channel after the attack failed: " + e);
        }
    }
}
