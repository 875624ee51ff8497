package org.panamaipc.cli;

import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.SegmentKind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code ls}, {@code stat} and {@code rm --stale} know of one object in {@code /dev/shm}:
 * its size and mode, whether it is one of ours (recognised by its header), of which kind, who
 * created it and whether that process runs, who holds it now, and for a ring channel its
 * endpoint table. {@link Inspector#segment} fills it from a read-only mapping.
 */
final class SegmentInfo {

    /** What the object turned out to be. */
    enum Status {
        /** A panama-ipc segment whose header checks out. */
        OK("panama-ipc"),
        /** A panama-ipc header whose creator has not marked it ready (still creating, or died doing so). */
        NOT_READY("not ready"),
        /** A panama-ipc header of a kind this version does not know (a newer panama-ipc made it). */
        UNKNOWN_KIND("unknown kind"),
        /** The panama-ipc magic, but something in the header or the body cannot be right. */
        CORRUPT("corrupt"),
        /** Not a panama-ipc segment: another program's shared memory. */
        FOREIGN("not panama-ipc"),
        /** Size 0: being created, or nothing was ever written. */
        EMPTY("empty"),
        /** This user may not read it. */
        UNREADABLE("unreadable");

        final String label;

        Status(String label) {
            this.label = label;
        }

        /** {@return whether the header was ours and readable, so kind and creator are known} */
        boolean ours() {
            return this == OK || this == NOT_READY || this == UNKNOWN_KIND;
        }
    }

    final String name;
    final long size;
    final int mode;
    final String owner;
    Status status = Status.FOREIGN;
    /** What is wrong, for CORRUPT, UNREADABLE and NOT_READY. */
    String problem;
    int kindCode;
    SegmentKind kind;
    int layoutVersion;
    ProcessId creator;
    boolean creatorAlive;
    long createdMillis;
    Set<Long> holders = Set.of();
    /** A ring channel's view, or null. */
    ChannelView channel;
    /** What a primitive holds (owner, permits, state, count), in order; empty for other kinds. */
    final Map<String, Object> details = new LinkedHashMap<>();

    SegmentInfo(String name, long size, int mode, String owner) {
        this.name = name;
        this.size = size;
        this.mode = mode;
        this.owner = owner;
    }

    /** {@return the kind in lower case ({@code "channel"}, {@code "mutex"}), or what the status says} */
    String kindLabel() {
        return switch (status) {
            case OK, NOT_READY, CORRUPT -> kind != null ? kind.name().toLowerCase(Locale.ROOT)
                    : status == Status.CORRUPT && kindCode == 0 ? "?" : "kind " + kindCode;
            case UNKNOWN_KIND -> "kind " + kindCode;
            case FOREIGN, EMPTY, UNREADABLE -> "shm";
        };
    }

    /** {@return the pids of the endpoints whose process runs (ring channels)} */
    List<Integer> liveEndpointPids() {
        return channel == null ? List.of()
                : channel.endpoints().stream().filter(ChannelView.Endpoint::alive).map(ChannelView.Endpoint::pid)
                .distinct().toList();
    }

    /**
     * {@return whether nothing of a live process is here} The header is ours and readable, its
     * creator has died, every endpoint of a ring has died, and no process maps it or has it open.
     * Only such objects does {@code rm --stale} remove.
     */
    boolean stale() {
        return status.ours() && creator != null && !creatorAlive && liveEndpointPids().isEmpty() && holders.isEmpty();
    }

    /** {@return whether its creator, an endpoint or a holder runs} */
    boolean inUse() {
        return creatorAlive || !liveEndpointPids().isEmpty() || !holders.isEmpty();
    }

    /** {@return the state in one word: {@code "live"}, {@code "stale"}, {@code "idle"}} */
    String state() {
        if (stale()) {
            return "stale";
        }
        return inUse() ? "live" : "idle";
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = Json.object("type", "shm", "name", name, "size", size, "mode",
                String.format(Locale.ROOT, "0%o", mode), "owner", owner, "status", status.name().toLowerCase(Locale.ROOT),
                "panamaIpc", status.ours() || status == Status.CORRUPT, "kind", kindLabel());
        if (problem != null) {
            json.put("problem", problem);
        }
        if (status.ours()) {
            json.put("layoutVersion", layoutVersion);
            json.put("creator", creator == null ? null
                    : Json.object("pid", creator.pid(), "startTime", creator.startTime(), "alive", creatorAlive));
            json.put("created", createdMillis);
        }
        json.put("holders", List.copyOf(holders));
        json.put("state", state());
        json.put("stale", stale());
        if (channel != null && channel.problem() == null) {
            json.put("channel", Json.object("type", channel.type().name(), "capacity", channel.capacity(),
                    "maxMessageLength", channel.maxLength(), "endpointSlots", channel.slots(), "head", channel.head(),
                    "tail", channel.tail(), "depth", channel.depth(), "messagesReceived", channel.received(),
                    "bytesReceived", channel.bytesIn(), "timesFull", channel.timesFull(),
                    "receiverSleeps", channel.sleeps(), "skippedRecords", channel.skipped(),
                    "sendersEver", channel.sendersEver(), "receiversEver", channel.receiversEver()));
            json.put("endpoints", channel.endpoints().stream().map(ChannelView.Endpoint::toJson).toList());
        }
        if (!details.isEmpty()) {
            json.put("details", details);
        }
        return json;
    }
}
