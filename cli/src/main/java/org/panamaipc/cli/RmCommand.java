package org.panamaipc.cli;

import org.panamaipc.mq.MessageQueue;
import org.panamaipc.shm.SharedMemory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ipc rm NAME...} removes shared memory and queues by name; {@code ipc rm --stale} removes
 * every panama-ipc segment whose creator and endpoints have all died and that no process maps or
 * holds open. Removing a name never breaks a process that has the object mapped or open: it keeps
 * it until it lets go; only opening by that name fails from then on.
 */
@Command(name = "rm",
        description = {"Removes objects by name, or every stale one with --stale.",
                "By name: shared memory and message queues, any. With --stale: every panama-ipc object whose "
                        + "creator and endpoints are all dead and that no process maps or holds open. Processes that "
                        + "have an object mapped or open keep it; only its name goes."},
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  ipc rm /quotes /orders", "  ipc rm --stale --dry-run", "  ipc rm --stale",
                "  ipc rm --stale --match 'myapp-*'", "",
                "An object that `ipc channel create` made has a dead creator as soon as the command ends: it is stale",
                "until an endpoint attaches."})
public final class RmCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    // read as they are and checked in call(): picocli reports a conversion that fails in a list of
    // any length as an unmatched argument, without the reason
    @Parameters(arity = "0..*", paramLabel = "NAME",
            description = "objects to remove: shared memory or queues, with or without the slash")
    private List<String> names = new ArrayList<>();

    @Option(names = "--stale", description = "remove every stale panama-ipc object instead (see ipc ls)")
    private boolean stale;

    @Option(names = {"-n", "--dry-run"}, description = "with --stale: say what would be removed, remove nothing")
    private boolean dryRun;

    @Option(names = "--match", paramLabel = "GLOB",
            description = "with --stale: only names matching this glob, such as 'myapp-*'")
    private String match;

    @Option(names = "--json", description = "print one JSON object, for scripts")
    private boolean json;

    /** Created by picocli. */
    public RmCommand() {
    }

    @Override
    public Integer call() throws IOException {
        if (stale == !names.isEmpty()) {
            throw new ParameterException(spec.commandLine(), stale ? "give names or --stale, not both"
                    : "give the names of the objects to remove, or --stale");
        }
        if ((dryRun || match != null) && !stale) {
            throw new ParameterException(spec.commandLine(), (dryRun ? "--dry-run" : "--match") + " goes with --stale");
        }
        List<String> checked = new ArrayList<>();
        for (String name : names) {
            try {
                checked.add(Converters.Name.normalise(name));
            } catch (picocli.CommandLine.TypeConversionException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        names = checked;
        return stale ? removeStale() : removeNames();
    }

    private int removeNames() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Holders holders = Holders.scan();
        List<Object> removed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            boolean found = false;
            if (Inspector.segmentExists(name)) {
                SegmentInfo info = Inspector.segment(name, holders);
                if (SharedMemory.unlinkIfExists(name)) {
                    found = true;
                    report(out, removed, name, "shm", info == null ? "shared memory" : describe(info),
                            info == null ? List.of() : users(info));
                }
            }
            if (MessageQueue.exists(name)) {
                List<Long> queueHolders = List.copyOf(holders.ofQueue(name));
                if (MessageQueue.unlinkIfExists(name)) {
                    found = true;
                    report(out, removed, name, "mq", "message queue", queueHolders);
                }
            }
            if (!found) {
                missing.add(name);
            }
        }
        if (json) {
            out.println(Json.write(Json.object("removed", removed, "missing", missing)));
        }
        out.flush();
        for (String name : missing) {
            err.println("ipc: no shared memory or message queue is called " + name);
        }
        err.flush();
        return missing.isEmpty() ? 0 : IpcCommand.FAILED;
    }

    private void report(PrintWriter out, List<Object> removed, String name, String type, String what, List<? extends Number> users) {
        removed.add(Json.object("name", name, "type", type, "kind", what, "stillHeldBy", users));
        if (!json) {
            out.println("removed " + what + " " + name + (users.isEmpty() ? ""
                    : "; pids " + LsCommand.pids(users.stream().map(Number::longValue).toList())
                    + " still have it and keep it until they let go"));
        }
    }

    private int removeStale() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<SegmentInfo> candidates = new ArrayList<>();
        int kept = 0;
        Holders holders = Holders.scan();
        java.util.regex.Pattern filter = match == null ? null : LsCommand.glob(match);
        for (String name : Inspector.segmentNames()) {
            if (filter != null && !filter.matcher(name.substring(1)).matches()) {
                continue;
            }
            SegmentInfo info = Inspector.segment(name, holders);
            if (info == null || !(info.status.ours() || info.status == SegmentInfo.Status.CORRUPT)) {
                continue;
            }
            if (info.stale()) {
                candidates.add(info);
            } else {
                kept++;
            }
        }
        List<Object> removed = new ArrayList<>();
        if (!candidates.isEmpty() && !dryRun) {
            // look again right before removing: a process may have attached since the first look
            Holders again = Holders.scan();
            List<SegmentInfo> confirmed = new ArrayList<>();
            for (SegmentInfo first : candidates) {
                SegmentInfo info = Inspector.segment(first.name, again);
                if (info != null && info.stale()) {
                    confirmed.add(info);
                } else if (info != null) {
                    kept++;
                }
            }
            candidates = confirmed;
        }
        for (SegmentInfo info : candidates) {
            if (dryRun || SharedMemory.unlinkIfExists(info.name)) {
                Map<String, Object> entry = Json.object("name", info.name, "kind", info.kindLabel(),
                        "creator", info.creator.pid(), "endpoints", info.channel == null ? 0 : info.channel.endpoints().size());
                removed.add(entry);
                if (!json) {
                    out.println((dryRun ? "would remove " : "removed ") + describe(info) + " " + info.name
                            + ": creator pid " + info.creator.pid() + " is dead"
                            + (info.channel != null && !info.channel.endpoints().isEmpty()
                            ? ", and its " + info.channel.endpoints().size() + " endpoints too" : ""));
                }
            }
        }
        if (json) {
            out.println(Json.write(Json.object(dryRun ? "wouldRemove" : "removed", removed, "kept", kept)));
        } else {
            out.println((dryRun ? "Would remove " : "Removed ") + removed.size() + " stale "
                    + (removed.size() == 1 ? "object" : "objects") + "; kept " + kept + " in use.");
        }
        out.flush();
        return 0;
    }

    private static String describe(SegmentInfo info) {
        return info.status.ours() ? LsCommand.kind(info) : "shared memory";
    }

    private static List<Long> users(SegmentInfo info) {
        List<Long> pids = new ArrayList<>(info.holders);
        for (Integer pid : info.liveEndpointPids()) {
            if (!pids.contains(pid.longValue())) {
                pids.add(pid.longValue());
            }
        }
        return pids;
    }
}
