package org.panamaipc.cli;

import org.panamaipc.IpcException;
import org.panamaipc.channel.ChannelStats;
import org.panamaipc.channel.RingChannel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ipc stat NAME}: one object in detail. A ring channel shows its configuration, depth,
 * counters (messages and bytes in and out, times found full, sleeps, skipped records) and its
 * endpoints with their processes; a primitive its state; a queue its attributes; shared memory
 * that is not panama-ipc's its size, mode and holders. With {@code --watch} it refreshes every
 * second, in place on a terminal, with rates; Ctrl-C ends it.
 */
@Command(name = "stat",
        description = {"Shows one object in detail, once or refreshed with --watch.",
                "A ring's configuration, depth, counters and endpoints, a primitive's state, a queue's attributes. "
                        + "With --watch it refreshes every second with rates, like top, until Ctrl-C."},
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  ipc stat /quotes", "  ipc stat quotes --watch", "  ipc stat /orders --json"})
public final class StatCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", converter = Converters.Name.class,
            description = "the object: shared memory or a queue, with or without the slash")
    private String name;

    @Option(names = "--watch", description = "refresh every interval with rates, until Ctrl-C")
    private boolean watch;

    @Option(names = "--count", paramLabel = "N",
            description = "with --watch: stop after N refreshes (default: until Ctrl-C)")
    private Integer count;

    @Option(names = "--interval", paramLabel = "DURATION", converter = Converters.Time.class, defaultValue = "1s",
            description = "with --watch: time between refreshes (default: ${DEFAULT-VALUE})")
    private Duration interval;

    @Option(names = "--json", description = "print JSON: one object, or one line per refresh with --watch")
    private boolean json;

    /** Created by picocli. */
    public StatCommand() {
    }

    /** One look at the object, and when it was taken. */
    private record Look(long nanos, SegmentInfo segment, QueueInfo queue, ChannelStats stats) {
    }

    @Override
    public Integer call() throws InterruptedException {
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count: " + count + " must be at least 1");
        }
        if (interval.isZero()) {
            throw new ParameterException(spec.commandLine(), "--interval: must be more than 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean isSegment = Inspector.segmentExists(name);
        boolean isQueue = !isSegment && Inspector.queueExists(name);
        if (!isSegment && !isQueue) {
            throw new IpcCommand.Failure("no shared memory or message queue is called " + name
                    + (Inspector.mqueueMounted() ? "" : " (" + Inspector.MQUEUE_DIRECTORY + " is not mounted; queues were "
                    + "looked up by name)"));
        }
        int iterations = watch ? (count != null ? count : Integer.MAX_VALUE) : 1;
        boolean terminal = watch && !json && System.console() != null && System.console().isTerminal();
        if (terminal) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                out.println(); // Ctrl-C: leave the prompt on a line of its own
                out.flush();
            }));
        }
        RingChannel ring = null;
        try {
            Look previous = null;
            for (int i = 0; i < iterations; i++) {
                if (i > 0) {
                    Thread.sleep(interval);
                }
                Holders holders = Holders.scan();
                Look look;
                if (isSegment) {
                    SegmentInfo info = Inspector.segment(name, holders);
                    if (info == null) {
                        return gone(out, previous != null);
                    }
                    if (ring == null && info.channel != null && info.status == SegmentInfo.Status.OK) {
                        ring = openRing();
                    }
                    look = new Look(System.nanoTime(), info, null, ring != null ? ring.stats() : null);
                } else {
                    QueueInfo info = Inspector.queue(name, holders);
                    if (info == null) {
                        return gone(out, previous != null);
                    }
                    look = new Look(System.nanoTime(), null, info, null);
                }
                if (json) {
                    out.println(Json.write(toJson(look, previous)));
                } else {
                    StringWriter text = new StringWriter();
                    PrintWriter page = new PrintWriter(text);
                    if (watch) {
                        page.printf("ipc stat %s, every %s (%s)%n%n", name, Human.duration(interval),
                                terminal ? "Ctrl-C to stop" : "refresh " + (i + 1));
                    }
                    render(page, look, previous);
                    page.flush();
                    out.print(terminal ? "\033[H\033[2J" + text : text.toString());
                    if (watch && !terminal && i + 1 < iterations) {
                        out.println();
                    }
                }
                out.flush();
                previous = look;
            }
            return 0;
        } finally {
            if (ring != null) {
                ring.close();
            }
        }
    }

    /** {@return the ring, for the counters that need a walk over its records; null if it cannot be opened} */
    private RingChannel openRing() {
        try {
            return RingChannel.open(name);
        } catch (IpcException | IllegalStateException e) {
            return null; // another user's ring, say: the read-only view still shows most
        }
    }

    private int gone(PrintWriter out, boolean watched) {
        if (!watched) {
            throw new IpcCommand.Failure(name + " was removed while being read");
        }
        out.println(json ? Json.write(Json.object("name", name, "removed", true)) : name + " has been removed.");
        out.flush();
        return 0;
    }

    // ------------------------------------------------------------------------------------ text

    private void render(PrintWriter out, Look look, Look previous) {
        if (look.queue() != null) {
            renderQueue(out, look.queue(), previous == null ? null : previous.queue(), seconds(look, previous));
            return;
        }
        SegmentInfo s = look.segment();
        Rows rows = new Rows();
        String what = switch (s.status) {
            case OK, NOT_READY, UNKNOWN_KIND -> "panama-ipc " + LsCommand.kind(s) + ", layout version " + s.layoutVersion;
            case CORRUPT -> "a corrupt panama-ipc segment";
            case FOREIGN -> "shared memory, not panama-ipc's";
            case EMPTY -> "empty shared memory (size 0)";
            case UNREADABLE -> "shared memory this user cannot read";
        };
        out.println(s.name + ": " + what);
        if (s.problem != null) {
            rows.add("problem", s.problem);
        }
        rows.add("size", s.size < 0 ? "?" : Human.bytes(s.size) + (s.size >= 1024 ? " (" + s.size + " bytes)" : ""));
        rows.add("mode", Human.mode(s.mode) + ", owner " + s.owner);
        if (s.creator != null) {
            rows.add("created", (s.createdMillis > 0 ? Human.time(s.createdMillis) + " " : "") + "by pid "
                    + s.creator.pid() + (s.creatorAlive ? " (alive)" : " (dead)"));
        }
        ChannelView c = s.channel;
        if (c != null && c.problem() == null) {
            channelRows(rows, c, look, previous);
        }
        primitiveRows(rows, s);
        rows.add("holders", s.holders.isEmpty() ? "no process maps it or has it open"
                : "pids " + LsCommand.pids(s.holders) + " map it or have it open");
        rows.add("state", s.state() + (s.stale() ? ": its creator and endpoints are dead (ipc rm --stale removes it)" : ""));
        rows.print(out);
        if (c != null && c.problem() == null && !c.endpoints().isEmpty()) {
            out.println();
            Table table = new Table("ENDPOINT", "ROLE", "PID", "PROCESS", "WAITS", "MESSAGES", "BYTES", "NOTE")
                    .alignRight(0, 2, 4, 5, 6);
            for (ChannelView.Endpoint e : c.endpoints()) {
                List<String> notes = new ArrayList<>();
                if (!e.active()) {
                    notes.add("registering");
                }
                notes.add(e.blocking() ? "blocking" : "spinning");
                if (e.sleeping()) {
                    notes.add("asleep");
                }
                if (e.sender()) {
                    notes.add("next sequence " + e.sequence());
                    if (e.claiming()) {
                        notes.add("writing");
                    }
                }
                table.add("#" + e.id(), e.role(), Integer.toString(e.pid()), e.alive() ? "alive" : "dead",
                        Long.toString(e.waits()), e.sender() ? "-" : Long.toString(e.messages()),
                        e.sender() ? "-" : Human.bytes(e.bytes()), String.join(", ", notes));
            }
            table.print(out);
            out.println("(WAITS: times a sender found the ring full, or a receiver slept)");
        }
        if (s.kind == org.panamaipc.shm.SegmentKind.REGISTRY && s.details.get("names") instanceof List<?> names
                && !names.isEmpty()) {
            out.println();
            Table table = new Table("ENTRY", "NAME", "PID", "PROCESS", "REGISTERED").alignRight(0, 2);
            for (Object each : names) {
                Map<?, ?> n = (Map<?, ?>) each;
                long registered = ((Number) n.get("registered")).longValue();
                table.add("#" + n.get("entry"), String.valueOf(n.get("name")), String.valueOf(n.get("pid")),
                        Boolean.TRUE.equals(n.get("alive")) ? "alive" : "dead",
                        registered > 0 ? Human.time(registered) : "-");
            }
            table.print(out);
        }
        if (!s.peers.isEmpty()) {
            out.println();
            Table table = new Table("ENDPOINT", "ROLE", "PID", "PROCESS", "NOTE").alignRight(0, 2);
            for (PatternView.Peer p : s.peers) {
                table.add("#" + p.id(), p.role(), Integer.toString(p.pid()), p.alive() ? "alive" : "dead", p.note());
            }
            table.print(out);
        }
    }

    private void channelRows(Rows rows, ChannelView c, Look look, Look previous) {
        rows.add("ring", c.type() + ", " + Human.bytes(c.capacity()) + " of records, messages up to "
                + Human.bytes(c.maxLength()) + ", " + c.slots() + " endpoint slots");
        rows.add("depth", Human.bytes(c.depth()) + " of " + Human.bytes(c.capacity()) + " ("
                + Math.round(100.0 * c.depth() / c.capacity()) + " %), head " + c.head() + ", tail " + c.tail());
        ChannelStats stats = look.stats();
        if (stats != null) {
            rows.add("messages", "sent " + stats.messagesSent() + ", received " + stats.messagesReceived() + ", in the ring "
                    + (stats.messagesSent() - stats.messagesReceived()));
            rows.add("bytes", "sent " + Human.bytes(stats.bytesSent()) + ", received " + Human.bytes(stats.bytesReceived()));
        } else {
            rows.add("messages", "received " + c.received() + " (what was sent is not known: the ring could not be opened)");
            rows.add("bytes", "received " + Human.bytes(c.bytesIn()));
        }
        double seconds = seconds(look, previous);
        if (seconds > 0) {
            ChannelView before = previous.segment().channel;
            String in = Human.rate((c.received() - before.received()) / seconds) + " msg/s, "
                    + Human.byteRate((c.bytesIn() - before.bytesIn()) / seconds) + " received";
            if (stats != null && previous.stats() != null) {
                in = Human.rate((stats.messagesSent() - previous.stats().messagesSent()) / seconds) + " msg/s, "
                        + Human.byteRate((stats.bytesSent() - previous.stats().bytesSent()) / seconds) + " sent; " + in;
            }
            rows.add("rates", in);
        }
        rows.add("waits", "senders found it full " + c.timesFull() + " times, receivers slept " + c.sleeps() + " times");
        rows.add("skipped", c.skipped() + " records of senders that died writing them");
        rows.add("endpoints", c.senders() + " " + plural(c.senders(), "sender") + " and " + c.receivers() + " "
                + plural(c.receivers(), "receiver") + " attached (" + c.sendersEver() + " and " + c.receiversEver()
                + " ever)");
    }

    private static void primitiveRows(Rows rows, SegmentInfo s) {
        Map<String, Object> d = s.details;
        if (s.kind == null || d.isEmpty()) {
            return;
        }
        switch (s.kind) {
            case MUTEX -> {
                rows.add("lock", LsCommand.note(s) + (Boolean.TRUE.equals(d.get("waiters")) ? ", threads waiting" : ""));
                rows.add("history", d.get("acquisitions") + " acquisitions, " + d.get("takeovers")
                        + " taken over from dead owners");
            }
            case SEMAPHORE -> rows.add("permits", LsCommand.note(s) + ", " + d.get("waiters") + " waiting");
            case EVENT -> rows.add("event", LsCommand.note(s) + ", " + d.get("waiters") + " waiting");
            case LATCH -> rows.add("latch", LsCommand.note(s));
            case MAILBOX -> {
                boolean ring = "ring".equals(d.get("transport"));
                rows.add("messages", "in " + d.get("messagesIn") + " (" + (ring ? "a ring channel: ipc stat " + d.get("messagesIn")
                        + " shows it" : "a POSIX message queue") + "), capacity " + d.get("capacity") + ", each up to "
                        + Human.bytes(((Number) d.get("maxMessageLength")).longValue())
                        + (Boolean.FALSE.equals(d.get("envelope")) ? ", values without the envelope (no pid, no send time)" : ""));
                if (Boolean.TRUE.equals(d.get("port"))) {
                    rows.add("owner", MessagingView.owner(d) + (Boolean.TRUE.equals(d.get("ownerAlive")) ? ""
                            : ": a send fails at once; the next create of the name takes it over"));
                }
            }
            case REGISTRY -> rows.add("names", d.get("held") + " of " + d.get("entries") + " entries held");
            case BROADCAST -> {
                rows.add("broadcast", d.get("policy") + ", " + d.get("capacity") + " records, messages up to "
                        + Human.bytes(((Number) d.get("maxMessageLength")).longValue()));
                rows.add("messages", d.get("published") + " published; subscribers lost " + d.get("lost")
                        + "; the publisher found it full " + d.get("timesFull") + " times");
                rows.add("endpoints", d.get("subscribers") + " subscribed now (" + d.get("publishersEver")
                        + " publishers and " + d.get("subscribersEver") + " subscribers ever)");
            }
            case UNBOUNDED -> {
                rows.add("link", "unbounded: a ring of " + Human.bytes(((Number) d.get("ringCapacity")).longValue())
                        + ", then spill segments of " + Human.bytes(((Number) d.get("spillSegmentSize")).longValue())
                        + " up to " + Human.bytes(((Number) d.get("memoryCap")).longValue()) + "; messages up to "
                        + Human.bytes(((Number) d.get("maxMessageLength")).longValue()));
                rows.add("messages", "sent " + d.get("sent") + ", received " + d.get("received") + ", waiting "
                        + d.get("waiting") + " (" + d.get("spilledWaiting") + " of them spilled)");
                rows.add("spill", d.get("spillSegments") + " segments now (" + d.get("segmentsCreated") + " created, "
                        + d.get("segmentsRemoved") + " removed); " + d.get("spilled") + " messages spilled in all");
            }
            case SPILL -> rows.add("spill", LsCommand.note(s) + (Boolean.TRUE.equals(d.get("open"))
                    ? ", the sender may append to it" : ", finished"));
            case RENDEZVOUS -> {
                rows.add("rendezvous", "capacity zero, messages up to "
                        + Human.bytes(((Number) d.get("maxMessageLength")).longValue()) + ", " + d.get("senderSlots")
                        + " sender and " + d.get("receiverSlots") + " receiver slots");
                rows.add("messages", d.get("taken") + " taken; " + d.get("offering") + " senders offering now");
                rows.add("endpoints", LsCommand.note(s) + " (" + d.get("sendersEver") + " senders and "
                        + d.get("receiversEver") + " receivers ever)");
            }
            default -> {
            }
        }
    }

    private static void renderQueue(PrintWriter out, QueueInfo q, QueueInfo before, double seconds) {
        out.println(q.name() + ": POSIX message queue");
        Rows rows = new Rows();
        if (q.problem() != null) {
            rows.add("problem", q.problem());
        } else {
            rows.add("messages", q.messages() + " of " + q.maxMessages() + ", each up to " + Human.bytes(q.maxLength())
                    + (q.queuedBytes() >= 0 ? " (" + Human.bytes(q.queuedBytes()) + " queued)" : ""));
            if (before != null && seconds > 0 && before.messages() >= 0) {
                rows.add("change", String.format(java.util.Locale.ROOT, "%+.1f messages/s", (q.messages() - before.messages()) / seconds));
            }
            rows.add("mode", Human.mode(q.mode()));
        }
        rows.add("notify", q.notifyPid() > 0 ? "pid " + q.notifyPid() + " is registered with mq_notify"
                : q.queuedBytes() >= 0 ? "nobody registered with mq_notify" : "unknown (/dev/mqueue is not mounted)");
        rows.add("holders", q.holders().isEmpty() ? "no process has it open" : "pids " + LsCommand.pids(q.holders())
                + " have it open");
        rows.print(out);
    }

    private static double seconds(Look look, Look previous) {
        return previous == null ? 0 : (look.nanos() - previous.nanos()) / 1e9;
    }

    private static String plural(long n, String word) {
        return n == 1 ? word : word + "s";
    }

    // ------------------------------------------------------------------------------------ JSON

    private Map<String, Object> toJson(Look look, Look previous) {
        Map<String, Object> json = look.queue() != null ? look.queue().toJson() : look.segment().toJson();
        ChannelStats stats = look.stats();
        if (stats != null) {
            json.put("stats", Json.object("messagesSent", stats.messagesSent(), "bytesSent", stats.bytesSent(),
                    "messagesReceived", stats.messagesReceived(), "bytesReceived", stats.bytesReceived(),
                    "timesFull", stats.timesFull(), "receiverSleeps", stats.receiverSleeps(),
                    "skippedRecords", stats.skippedRecords(), "liveSenders", stats.liveSenders(),
                    "liveReceivers", stats.liveReceivers(), "head", stats.head(), "tail", stats.tail()));
        }
        double seconds = seconds(look, previous);
        if (seconds > 0 && look.segment() != null && look.segment().channel != null
                && previous.segment().channel != null) {
            ChannelView c = look.segment().channel;
            ChannelView before = previous.segment().channel;
            Map<String, Object> rates = Json.object("seconds", seconds,
                    "messagesReceivedPerSecond", (c.received() - before.received()) / seconds,
                    "bytesReceivedPerSecond", (c.bytesIn() - before.bytesIn()) / seconds);
            if (stats != null && previous.stats() != null) {
                rates.put("messagesSentPerSecond", (stats.messagesSent() - previous.stats().messagesSent()) / seconds);
                rates.put("bytesSentPerSecond", (stats.bytesSent() - previous.stats().bytesSent()) / seconds);
            }
            json.put("rates", rates);
        }
        return json;
    }

    /** Lines of {@code name  value}, the values in one column. */
    private static final class Rows {
        private final List<String[]> rows = new ArrayList<>();

        void add(String name, String value) {
            rows.add(new String[] {name, value});
        }

        void print(PrintWriter out) {
            int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
            for (String[] row : rows) {
                out.printf("  %-" + width + "s  %s%n", row[0], row[1]);
            }
        }
    }
}
