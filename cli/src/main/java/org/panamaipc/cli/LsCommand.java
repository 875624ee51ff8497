package org.panamaipc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code ipc ls}: the panama-ipc objects on this machine. Segments of {@code /dev/shm} are
 * recognised by their header (with {@code --all}, other programs' shared memory is listed too),
 * and every POSIX message queue is listed where {@code /dev/mqueue} is mounted. For each: kind,
 * size, creator and whether it runs, what is attached (a ring's endpoints, the processes that map
 * or hold the object), and a state: {@code live}, {@code idle}, or {@code stale} (creator and
 * endpoints dead, nobody holding it: {@code ipc rm --stale} removes it).
 */
@Command(name = "ls",
        description = {"Lists the panama-ipc objects on this machine.",
                "Shared memory is recognised by its header; POSIX message queues are listed where /dev/mqueue is "
                        + "mounted. Shows kind, size, creator, what is attached, and whether each is live, idle, or "
                        + "stale (its creator and endpoints are dead: `ipc rm --stale` removes it)."},
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  ipc ls", "  ipc ls 'orders*' --json", "  ipc ls --all"})
public final class LsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATTERN",
            description = "only names matching this glob, with or without the slash: 'orders*', '/pipc-demo-*'")
    private String pattern;

    @Option(names = "--all", description = "also list shared memory that is not panama-ipc's")
    private boolean all;

    @Option(names = "--json", description = "print one JSON object, for scripts")
    private boolean json;

    /** Created by picocli. */
    public LsCommand() {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Pattern filter = pattern == null ? null : glob(pattern);
        Holders holders = Holders.scan();
        List<SegmentInfo> segments = new ArrayList<>();
        int others = 0;
        for (String name : Inspector.segmentNames()) {
            if (filter != null && !filter.matcher(name.substring(1)).matches()) {
                continue;
            }
            SegmentInfo info = Inspector.segment(name, holders);
            if (info == null) {
                continue; // removed since the listing
            }
            if (all || info.status.ours() || info.status == SegmentInfo.Status.CORRUPT) {
                segments.add(info);
            } else {
                others++;
            }
        }
        boolean queuesListed = Inspector.mqueueMounted();
        List<QueueInfo> queues = new ArrayList<>();
        for (String name : Inspector.queueNames()) {
            if (filter == null || filter.matcher(name.substring(1)).matches()) {
                QueueInfo info = Inspector.queue(name, holders);
                if (info != null) {
                    queues.add(info);
                }
            }
        }
        if (json) {
            List<Object> objects = new ArrayList<>();
            segments.forEach(s -> objects.add(s.toJson()));
            queues.forEach(q -> objects.add(q.toJson()));
            out.println(Json.write(Json.object("objects", objects, "queuesListed", queuesListed,
                    "otherSegments", others, "holdersComplete", holders.complete(),
                    "uninspectedPids", List.copyOf(holders.unreadable()))));
            out.flush();
            return 0;
        }
        Table table = new Table("NAME", "KIND", "SIZE", "CREATOR", "ATTACHED", "STATE", "NOTE").alignRight(2);
        for (SegmentInfo s : segments) {
            table.add(s.name, kind(s), s.size < 0 ? "?" : Human.bytes(s.size), creator(s), attached(s), state(s), note(s));
        }
        for (QueueInfo q : queues) {
            table.add(q.name(), "queue", q.queuedBytes() < 0 ? "-" : Human.bytes(q.queuedBytes()), "-",
                    pids(q.holders()), q.problem() != null ? "unreadable" : q.state(), note(q));
        }
        if (table.size() > 0) {
            table.print(out);
        } else {
            out.println(filter == null ? "No panama-ipc objects." : "No panama-ipc objects match '" + pattern + "'.");
        }
        footer(out, segments, others, queuesListed, holders);
        out.flush();
        return 0;
    }

    private void footer(PrintWriter out, List<SegmentInfo> segments, int others, boolean queuesListed, Holders holders) {
        List<String> notes = new ArrayList<>();
        long stale = segments.stream().filter(SegmentInfo::stale).count();
        if (stale > 0) {
            notes.add(stale + (stale == 1 ? " object is" : " objects are") + " stale: `ipc rm --stale` removes "
                    + (stale == 1 ? "it" : "them") + ".");
        }
        if (others > 0) {
            notes.add(others + " other " + (others == 1 ? "segment" : "segments")
                    + " in /dev/shm " + (others == 1 ? "is" : "are") + " not panama-ipc's: `ipc ls --all` lists them.");
        }
        if (!queuesListed) {
            notes.add("Queues are not listed: " + Inspector.MQUEUE_DIRECTORY + " is not mounted (as root: mkdir -p "
                    + Inspector.MQUEUE_DIRECTORY + " && mount -t mqueue none " + Inspector.MQUEUE_DIRECTORY
                    + "). `ipc stat NAME` still finds a queue by name.");
        }
        if (stale > 0 && (!holders.complete() || !holders.unreadable().isEmpty())) {
            notes.add("Holders may be missing: " + (holders.unreadable().isEmpty() ? "/proc could not be read in full."
                    : "this user may not read /proc of pids " + abbreviate(holders.unreadable()) + "."));
        }
        if (!notes.isEmpty()) {
            out.println();
            notes.forEach(out::println);
        }
    }

    static String kind(SegmentInfo s) {
        if (s.channel != null && s.channel.type() != null) {
            return "channel " + s.channel.type().name();
        }
        return s.kindLabel();
    }

    static String creator(SegmentInfo s) {
        return s.creator == null ? "-" : s.creator.pid() + (s.creatorAlive ? "" : " dead");
    }

    /** A ring's endpoints ({@code 4242 sender, 4243 receiver dead}), or the pids that hold the object. */
    static String attached(SegmentInfo s) {
        if (s.channel != null && !s.channel.endpoints().isEmpty()) {
            return s.channel.endpoints().stream()
                    .map(e -> e.pid() + " " + e.role() + (e.alive() ? "" : " dead"))
                    .collect(Collectors.joining(", "));
        }
        return pids(s.holders);
    }

    private static String abbreviate(java.util.Collection<Long> pids) {
        return pids.size() <= 8 ? pids(pids) : pids(pids.stream().limit(8).toList()) + " and " + (pids.size() - 8) + " more";
    }

    static String pids(java.util.Collection<Long> pids) {
        return pids.isEmpty() ? "-" : pids.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    private static String state(SegmentInfo s) {
        return switch (s.status) {
            case OK -> s.state();
            case NOT_READY -> s.stale() ? "stale" : "creating";
            case UNKNOWN_KIND -> s.state();
            default -> s.status.label;
        };
    }

    static String note(SegmentInfo s) {
        if (s.problem != null && s.status != SegmentInfo.Status.OK) {
            int since = s.problem.indexOf(" since ");
            return since >= 0 && s.problem.startsWith("Unable to ") ? s.problem.substring(since + 7) : s.problem;
        }
        if (s.channel != null) {
            return "depth " + Human.bytes(s.channel.depth()) + " of " + Human.bytes(s.channel.capacity());
        }
        Map<String, Object> d = s.details;
        if (s.kind == null || d.isEmpty()) {
            return "";
        }
        return switch (s.kind) {
            case MUTEX -> Boolean.TRUE.equals(d.get("locked"))
                    ? "locked by " + d.get("owner") + (Boolean.TRUE.equals(d.get("ownerAlive")) ? "" : " (dead)") : "free";
            case SEMAPHORE -> d.get("permits") + " of " + d.get("initialPermits") + " permits free";
            case EVENT -> (Boolean.TRUE.equals(d.get("set")) ? "set" : "reset")
                    + (Boolean.TRUE.equals(d.get("autoReset")) ? ", auto reset" : ", manual reset");
            case LATCH -> "count " + d.get("count") + " of " + d.get("initialCount");
            default -> "";
        };
    }

    static String note(QueueInfo q) {
        if (q.problem() != null) {
            return q.problem();
        }
        return q.messages() + " of " + q.maxMessages() + " messages of up to " + Human.bytes(q.maxLength());
    }

    /** {@return the glob as a regular expression over names without their slash} */
    static Pattern glob(String glob) {
        String g = glob.startsWith("/") ? glob.substring(1) : glob;
        StringBuilder regex = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
