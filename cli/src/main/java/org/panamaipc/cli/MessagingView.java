package org.panamaipc.cli;

import org.panamaipc.endpoint.RegistryDescriptor;
import org.panamaipc.message.MailboxDescriptor;
import org.panamaipc.process.ProcessId;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code ls} and {@code stat} show of the objects of message passing: the control segment of
 * a mailbox or a port (its transport, sizes and, for a port, its owner) and an endpoint registry
 * (the names held and by whom). Read from a read-only mapping into {@link SegmentInfo#details};
 * nothing read is trusted: a value that cannot be right makes the object {@code CORRUPT}.
 */
final class MessagingView {

    /** How often an entry being rewritten is read again before it is shown as changing. */
    private static final int SEQLOCK_TRIES = 64;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private MessagingView() {
    }

    /** Reads a mailbox's or a port's control body ({@link MailboxDescriptor}). */
    static void mailbox(SegmentInfo info, MemorySegment body) {
        int transport = body.get(ValueLayout.JAVA_INT, MailboxDescriptor.TRANSPORT_OFFSET);
        String problem = MailboxDescriptor.checkTransport(transport);
        if (problem != null) {
            corrupt(info, problem);
            return;
        }
        int flags = body.get(ValueLayout.JAVA_INT, MailboxDescriptor.FLAGS_OFFSET);
        problem = MailboxDescriptor.checkFlags(transport, flags);
        if (problem != null) {
            corrupt(info, problem);
            return;
        }
        boolean port = (flags & MailboxDescriptor.FLAG_PORT) != 0;
        boolean ring = transport == MailboxDescriptor.TRANSPORT_RING;
        Map<String, Object> d = info.details;
        d.put("port", port);
        d.put("transport", ring ? "ring" : "queue");
        d.put("envelope", (flags & MailboxDescriptor.FLAG_BARE) == 0); // false: values alone (withoutEnvelope)
        d.put("messagesIn", info.name + (ring ? MailboxDescriptor.RING_SUFFIX : MailboxDescriptor.QUEUE_SUFFIX));
        d.put("capacity", body.get(ValueLayout.JAVA_INT, MailboxDescriptor.CAPACITY_OFFSET));
        d.put("maxMessageLength", body.get(ValueLayout.JAVA_INT, MailboxDescriptor.MAX_MESSAGE_LENGTH_OFFSET));
        if (port) {
            int state = (int) INT.getAcquire(body, (long) MailboxDescriptor.OWNER_STATE_OFFSET);
            int word = (int) INT.getAcquire(body, (long) MailboxDescriptor.OWNER_WORD_OFFSET);
            int pid = body.get(ValueLayout.JAVA_INT, MailboxDescriptor.OWNER_PID_OFFSET);
            long startTime = body.get(ValueLayout.JAVA_LONG, MailboxDescriptor.OWNER_START_TIME_OFFSET);
            d.put("ownerState", switch (state) {
                case MailboxDescriptor.OWNER_NONE -> "none";
                case MailboxDescriptor.OWNER_OWNED -> "owned";
                case MailboxDescriptor.OWNER_CLOSED -> "closed";
                case MailboxDescriptor.OWNER_RECLAIMED -> "reclaimed";
                default -> "unknown state " + state;
            });
            d.put("owner", pid);
            // as a sender judges it: the kernel's mark on the robust lock, and the process itself
            d.put("ownerAlive", state == MailboxDescriptor.OWNER_OWNED && MailboxDescriptor.ownerPresent(word)
                    && pid > 0 && ProcessId.isAlive(pid, startTime));
        }
    }

    /** Reads an endpoint registry ({@link RegistryDescriptor}): its size and every name held. */
    static void registry(SegmentInfo info, MemorySegment body) {
        int entries = body.get(ValueLayout.JAVA_INT, RegistryDescriptor.ENTRIES_OFFSET);
        int entrySize = body.get(ValueLayout.JAVA_INT, RegistryDescriptor.ENTRY_SIZE_OFFSET);
        String problem = RegistryDescriptor.checkEntries(entries);
        if (problem == null && entrySize != RegistryDescriptor.ENTRY_LENGTH) {
            problem = "its entry size is " + entrySize + ", expected " + RegistryDescriptor.ENTRY_LENGTH;
        }
        if (problem == null && body.byteSize() < RegistryDescriptor.bodySize(entries)) {
            problem = "it has " + body.byteSize() + " bytes for " + entries + " entries, which need "
                    + RegistryDescriptor.bodySize(entries);
        }
        if (problem != null) {
            corrupt(info, problem);
            return;
        }
        List<Map<String, Object>> names = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            MemorySegment entry = body.asSlice(RegistryDescriptor.entryOffset(i), RegistryDescriptor.ENTRY_LENGTH);
            Map<String, Object> held = entry(entry, i);
            if (held != null) {
                if (held.containsKey("problem")) {
                    corrupt(info, "entry " + i + ": " + held.get("problem"));
                    return;
                }
                names.add(held);
            }
        }
        info.details.put("entries", entries);
        info.details.put("held", names.size());
        info.details.put("names", names);
    }

    /** {@return entry {@code index} as a reader of the seqlock sees it, or null if it is free} */
    private static Map<String, Object> entry(MemorySegment entry, int index) {
        for (int attempt = 0; attempt < SEQLOCK_TRIES; attempt++) {
            int sequence = (int) INT.getAcquire(entry, (long) RegistryDescriptor.ENTRY_SEQUENCE_OFFSET);
            if ((sequence & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            int state = entry.get(ValueLayout.JAVA_INT, RegistryDescriptor.ENTRY_STATE_OFFSET);
            int pid = entry.get(ValueLayout.JAVA_INT, RegistryDescriptor.ENTRY_OWNER_PID_OFFSET);
            int length = entry.get(ValueLayout.JAVA_INT, RegistryDescriptor.ENTRY_NAME_LENGTH_OFFSET);
            long startTime = entry.get(ValueLayout.JAVA_LONG, RegistryDescriptor.ENTRY_OWNER_START_TIME_OFFSET);
            long registered = entry.get(ValueLayout.JAVA_LONG, RegistryDescriptor.ENTRY_REGISTERED_OFFSET);
            byte[] name = length >= 0 && length <= RegistryDescriptor.NAME_MAX
                    ? entry.asSlice(RegistryDescriptor.ENTRY_NAME_OFFSET, length).toArray(ValueLayout.JAVA_BYTE) : null;
            VarHandle.loadLoadFence();
            if ((int) INT.getVolatile(entry, (long) RegistryDescriptor.ENTRY_SEQUENCE_OFFSET) != sequence) {
                continue; // rewritten while read: read it again
            }
            if (state == RegistryDescriptor.STATE_FREE) {
                return null;
            }
            if (state != RegistryDescriptor.STATE_ACTIVE) {
                return Map.of("problem", "its state is " + state + ", expected 0 (free) or 1 (active)");
            }
            if (name == null) {
                return Map.of("problem", "its name length " + length + " is outside 0.." + RegistryDescriptor.NAME_MAX);
            }
            return Json.object("entry", index, "name", new String(name, StandardCharsets.UTF_8), "pid", pid,
                    "alive", pid > 0 && ProcessId.isAlive(pid, startTime), "registered", registered);
        }
        return Json.object("entry", index, "name", "?", "pid", 0, "alive", false, "registered", 0L,
                "changing", true);
    }

    private static void corrupt(SegmentInfo info, String problem) {
        info.status = SegmentInfo.Status.CORRUPT;
        info.problem = problem;
        info.details.clear();
    }

    // ------------------------------------------------------------------ what ls and stat print

    /** {@return the kind column of a mailbox: {@code mailbox ring}, {@code port queue}, ...} */
    static String kind(SegmentInfo s) {
        Map<String, Object> d = s.details;
        return (Boolean.TRUE.equals(d.get("port")) ? "port " : "mailbox ") + d.get("transport");
    }

    /** {@return the note of a mailbox or port: its owner, where its messages are, its sizes} */
    static String mailboxNote(SegmentInfo s) {
        Map<String, Object> d = s.details;
        String sizes = "messages in " + d.get("messagesIn") + ", capacity " + d.get("capacity") + ", each up to "
                + Human.bytes(((Number) d.get("maxMessageLength")).longValue());
        if (!Boolean.TRUE.equals(d.get("port"))) {
            return sizes;
        }
        return owner(d) + "; " + sizes;
    }

    /** {@return a port's owner in words: {@code owned by 4242}, {@code owner 4242 dead}, {@code closed by its owner}} */
    static String owner(Map<String, Object> d) {
        return switch ((String) d.get("ownerState")) {
            case "owned" -> Boolean.TRUE.equals(d.get("ownerAlive")) ? "owned by " + d.get("owner")
                    : "owner " + d.get("owner") + " dead";
            case "closed" -> "closed by its owner " + d.get("owner");
            case "reclaimed" -> "owner " + d.get("owner") + " dead, being removed";
            default -> "no owner (" + d.get("ownerState") + ")";
        };
    }

    /** {@return the note of a registry: how many names, and the first few with their holders} */
    @SuppressWarnings("unchecked")
    static String registryNote(SegmentInfo s) {
        List<Map<String, Object>> names = (List<Map<String, Object>>) s.details.get("names");
        StringBuilder note = new StringBuilder().append(names.size()).append(" of ").append(s.details.get("entries"))
                .append(" names");
        int shown = Math.min(names.size(), 4);
        for (int i = 0; i < shown; i++) {
            Map<String, Object> n = names.get(i);
            note.append(i == 0 ? ": " : ", ").append(n.get("name")).append(' ').append(n.get("pid"))
                    .append(Boolean.TRUE.equals(n.get("alive")) ? "" : " dead");
        }
        if (names.size() > shown) {
            note.append(", ").append(names.size() - shown).append(" more");
        }
        return note.toString();
    }
}
