package org.panamaipc.cli;

import org.panamaipc.broadcast.BroadcastDescriptor;
import org.panamaipc.process.ProcessId;
import org.panamaipc.rendezvous.RendezvousDescriptor;
import org.panamaipc.unbounded.UnboundedDescriptor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A broadcast or a rendezvous as {@code ls} and {@code stat} see it from outside: configuration,
 * counters and the endpoints in their slot tables, read through the descriptors' offsets from a
 * read-only mapping of the body, without attaching. Every field that sizes or places something is
 * checked with the descriptor's validators (or against the body's size) before it is used, so a
 * corrupt segment gives a problem instead of a read out of bounds.
 */
final class PatternView {

    private PatternView() {
    }

    /**
     * One endpoint in a slot table.
     *
     * @param id    the slot number
     * @param role  {@code publisher}, {@code subscriber}, {@code sender} or {@code receiver}
     * @param pid   its process
     * @param alive whether that process runs
     * @param note  what it has done ({@code "received 12, lost 0"}), or empty
     */
    record Peer(int id, String role, int pid, boolean alive, String note) {
        Map<String, Object> toJson() {
            return Json.object("id", id, "role", role, "pid", pid, "alive", alive, "note", note);
        }
    }

    /** Reads a broadcast's body into {@code info}: its details and its publisher and subscribers. */
    static void broadcast(SegmentInfo info, MemorySegment body) {
        long size = body.byteSize();
        long capacity = body.get(ValueLayout.JAVA_LONG, BroadcastDescriptor.CAPACITY_OFFSET);
        int maxLength = body.get(ValueLayout.JAVA_INT, BroadcastDescriptor.MAX_MESSAGE_LENGTH_OFFSET);
        int policy = body.get(ValueLayout.JAVA_INT, BroadcastDescriptor.POLICY_OFFSET);
        int slots = body.get(ValueLayout.JAVA_INT, BroadcastDescriptor.SUBSCRIBER_SLOTS_OFFSET);
        if (capacity < BroadcastDescriptor.MIN_CAPACITY || capacity > BroadcastDescriptor.MAX_CAPACITY
                || Long.bitCount(capacity) != 1 || maxLength < 0 || maxLength > BroadcastDescriptor.MAX_MESSAGE_LENGTH
                || slots <= 0 || slots > BroadcastDescriptor.MAX_SUBSCRIBER_SLOTS
                || BroadcastDescriptor.SUBSCRIBERS_OFFSET + (long) slots * BroadcastDescriptor.SUBSCRIBER_LENGTH > size) {
            corrupt(info, "its configuration cannot be right: capacity " + capacity + ", max message length "
                    + maxLength + ", " + slots + " subscriber slots in a body of " + size + " bytes");
            return;
        }
        long tail = body.get(ValueLayout.JAVA_LONG, BroadcastDescriptor.TAIL_OFFSET);
        Map<String, Object> d = info.details;
        d.put("policy", policy == 1 ? "BLOCK" : policy == 2 ? "LOSSY" : "policy " + policy);
        d.put("capacity", capacity);
        d.put("maxMessageLength", maxLength);
        d.put("published", Math.max(0, tail - 1));
        d.put("timesFull", body.get(ValueLayout.JAVA_LONG, BroadcastDescriptor.PUBLISHER_FULL_OFFSET));
        d.put("publishersEver", body.get(ValueLayout.JAVA_INT, BroadcastDescriptor.PUBLISHERS_EVER_OFFSET));
        d.put("subscribersEver", body.get(ValueLayout.JAVA_INT, BroadcastDescriptor.SUBSCRIBERS_EVER_OFFSET));
        List<Peer> peers = new ArrayList<>();
        if (body.get(ValueLayout.JAVA_INT, BroadcastDescriptor.PUBLISHER_STATE_OFFSET) == BroadcastDescriptor.ACTIVE) {
            int pid = body.get(ValueLayout.JAVA_INT, BroadcastDescriptor.PUBLISHER_PID_OFFSET);
            long start = body.get(ValueLayout.JAVA_LONG, BroadcastDescriptor.PUBLISHER_START_TIME_OFFSET);
            peers.add(new Peer(0, "publisher", pid, alive(pid, start), "next sequence " + tail));
        }
        long lost = body.get(ValueLayout.JAVA_LONG, BroadcastDescriptor.RETIRED_LOST_OFFSET);
        for (int id = 0; id < slots; id++) {
            long slot = BroadcastDescriptor.SUBSCRIBERS_OFFSET + (long) id * BroadcastDescriptor.SUBSCRIBER_LENGTH;
            int state = body.get(ValueLayout.JAVA_INT, slot + BroadcastDescriptor.SUB_STATE_OFFSET);
            if (state == BroadcastDescriptor.FREE) {
                continue;
            }
            int pid = body.get(ValueLayout.JAVA_INT, slot + BroadcastDescriptor.SUB_PID_OFFSET);
            long start = body.get(ValueLayout.JAVA_LONG, slot + BroadcastDescriptor.SUB_START_TIME_OFFSET);
            long cursor = body.get(ValueLayout.JAVA_LONG, slot + BroadcastDescriptor.SUB_CURSOR_OFFSET);
            long received = body.get(ValueLayout.JAVA_LONG, slot + BroadcastDescriptor.SUB_RECEIVED_OFFSET);
            long subscriberLost = body.get(ValueLayout.JAVA_LONG, slot + BroadcastDescriptor.SUB_LOST_OFFSET);
            lost += subscriberLost;
            peers.add(new Peer(id, "subscriber", pid, alive(pid, start), "received " + received + ", lost "
                    + subscriberLost + ", behind " + Math.max(0, tail - cursor)
                    + (state == BroadcastDescriptor.ACTIVE ? "" : ", registering")));
        }
        d.put("subscribers", peers.stream().filter(p -> p.role().equals("subscriber")).count());
        d.put("lost", lost);
        info.peers = List.copyOf(peers);
    }

    /** Reads a rendezvous's body into {@code info}: its details and its senders and receivers. */
    static void rendezvous(SegmentInfo info, MemorySegment body) {
        long size = body.byteSize();
        int maxLength = body.get(ValueLayout.JAVA_INT, RendezvousDescriptor.MAX_MESSAGE_LENGTH_OFFSET);
        int senderSlots = body.get(ValueLayout.JAVA_INT, RendezvousDescriptor.SENDER_SLOTS_OFFSET);
        int receiverSlots = body.get(ValueLayout.JAVA_INT, RendezvousDescriptor.RECEIVER_SLOTS_OFFSET);
        int receiverSlotLength = body.get(ValueLayout.JAVA_INT, RendezvousDescriptor.RECEIVER_SLOT_LENGTH_OFFSET);
        long sendersAt = body.get(ValueLayout.JAVA_LONG, RendezvousDescriptor.SENDERS_OFFSET_OFFSET);
        long receiversAt = body.get(ValueLayout.JAVA_LONG, RendezvousDescriptor.RECEIVERS_OFFSET_OFFSET);
        String problem = RendezvousDescriptor.checkMaxMessageLength(maxLength);
        if (problem == null) {
            problem = RendezvousDescriptor.checkSlots(senderSlots, "sender");
        }
        if (problem == null) {
            problem = RendezvousDescriptor.checkSlots(receiverSlots, "receiver");
        }
        if (problem == null) {
            problem = RendezvousDescriptor.checkGeometry(maxLength, senderSlots, receiverSlots, receiverSlotLength,
                    sendersAt, receiversAt, size);
        }
        if (problem != null) {
            corrupt(info, problem);
            return;
        }
        Map<String, Object> d = info.details;
        d.put("maxMessageLength", maxLength);
        d.put("senderSlots", senderSlots);
        d.put("receiverSlots", receiverSlots);
        d.put("sendersEver", body.get(ValueLayout.JAVA_INT, RendezvousDescriptor.SENDERS_EVER_OFFSET));
        d.put("receiversEver", body.get(ValueLayout.JAVA_INT, RendezvousDescriptor.RECEIVERS_EVER_OFFSET));
        d.put("offering", Math.max(0, body.get(ValueLayout.JAVA_INT, RendezvousDescriptor.SENDERS_OFFERING_OFFSET)));
        List<Peer> peers = new ArrayList<>();
        long taken = body.get(ValueLayout.JAVA_LONG, RendezvousDescriptor.RETIRED_TAKEN_OFFSET);
        for (int id = 0; id < senderSlots; id++) {
            long slot = sendersAt + (long) id * RendezvousDescriptor.SENDER_LENGTH;
            if (body.get(ValueLayout.JAVA_INT, slot + RendezvousDescriptor.S_STATE_OFFSET) == RendezvousDescriptor.FREE) {
                continue;
            }
            int pid = body.get(ValueLayout.JAVA_INT, slot + RendezvousDescriptor.S_PID_OFFSET);
            long start = body.get(ValueLayout.JAVA_LONG, slot + RendezvousDescriptor.S_START_TIME_OFFSET);
            boolean offering = body.get(ValueLayout.JAVA_INT, slot + RendezvousDescriptor.S_OFFERING_OFFSET) != 0;
            peers.add(new Peer(id, "sender", pid, alive(pid, start), "taken "
                    + body.get(ValueLayout.JAVA_LONG, slot + RendezvousDescriptor.S_SENT_OFFSET) + ", withdrawn "
                    + body.get(ValueLayout.JAVA_LONG, slot + RendezvousDescriptor.S_WITHDRAWN_OFFSET)
                    + (offering ? ", offering" : "")));
        }
        for (int id = 0; id < receiverSlots; id++) {
            long slot = receiversAt + (long) id * receiverSlotLength;
            if (body.get(ValueLayout.JAVA_INT, slot + RendezvousDescriptor.R_STATE_OFFSET) == RendezvousDescriptor.FREE) {
                continue;
            }
            int pid = body.get(ValueLayout.JAVA_INT, slot + RendezvousDescriptor.R_PID_OFFSET);
            long start = body.get(ValueLayout.JAVA_LONG, slot + RendezvousDescriptor.R_START_TIME_OFFSET);
            long receiverTaken = body.get(ValueLayout.JAVA_LONG, slot + RendezvousDescriptor.R_TAKEN_OFFSET);
            int exchange = body.get(ValueLayout.JAVA_INT, slot + RendezvousDescriptor.R_EXCHANGE_OFFSET)
                    & RendezvousDescriptor.CODE_MASK;
            taken += receiverTaken;
            peers.add(new Peer(id, "receiver", pid, alive(pid, start), "taken " + receiverTaken
                    + (exchange == RendezvousDescriptor.IDLE || exchange == RendezvousDescriptor.NONE ? "" : ", waiting")));
        }
        d.put("senders", peers.stream().filter(p -> p.role().equals("sender")).count());
        d.put("receivers", peers.stream().filter(p -> p.role().equals("receiver")).count());
        d.put("taken", taken);
        info.peers = List.copyOf(peers);
    }

    /** Reads an unbounded link's control segment into {@code info}: its configuration and counters. */
    static void unbounded(SegmentInfo info, MemorySegment body) {
        long ringCapacity = body.get(ValueLayout.JAVA_LONG, UnboundedDescriptor.RING_CAPACITY_OFFSET);
        int maxLength = body.get(ValueLayout.JAVA_INT, UnboundedDescriptor.MAX_MESSAGE_LENGTH_OFFSET);
        long segmentSize = body.get(ValueLayout.JAVA_LONG, UnboundedDescriptor.SPILL_SEGMENT_SIZE_OFFSET);
        long memoryCap = body.get(ValueLayout.JAVA_LONG, UnboundedDescriptor.MEMORY_CAP_OFFSET);
        String problem = UnboundedDescriptor.checkConfiguration(ringCapacity, maxLength, segmentSize, memoryCap);
        if (problem != null) {
            corrupt(info, problem);
            return;
        }
        long write = body.get(ValueLayout.JAVA_LONG, UnboundedDescriptor.WRITE_POSITION_OFFSET);
        long read = body.get(ValueLayout.JAVA_LONG, UnboundedDescriptor.READ_POSITION_OFFSET);
        long spilled = body.get(ValueLayout.JAVA_LONG, UnboundedDescriptor.SPILLED_OFFSET);
        long spillTaken = body.get(ValueLayout.JAVA_LONG, UnboundedDescriptor.SPILL_TAKEN_OFFSET);
        long sent = body.get(ValueLayout.JAVA_LONG, UnboundedDescriptor.SENT_OFFSET);
        long received = body.get(ValueLayout.JAVA_LONG, UnboundedDescriptor.RECEIVED_OFFSET);
        Map<String, Object> d = info.details;
        d.put("ringCapacity", ringCapacity);
        d.put("maxMessageLength", maxLength);
        d.put("spillSegmentSize", segmentSize);
        d.put("memoryCap", memoryCap);
        d.put("sent", sent);
        d.put("received", received);
        d.put("waiting", Math.max(0, sent - received));
        d.put("spilled", spilled);
        d.put("spilledWaiting", Math.max(0, spilled - spillTaken));
        d.put("spillSegments", Math.max(0, UnboundedDescriptor.segmentOf(write) - UnboundedDescriptor.segmentOf(read)
                + (UnboundedDescriptor.offsetOf(write) > 0 ? 1 : 0)));
        d.put("segmentsCreated", body.get(ValueLayout.JAVA_LONG, UnboundedDescriptor.SEGMENTS_CREATED_OFFSET));
        d.put("segmentsRemoved", body.get(ValueLayout.JAVA_LONG, UnboundedDescriptor.SEGMENTS_REMOVED_OFFSET));
    }

    /** Reads a spill segment's header into {@code info}: its index, where its records end, and its link. */
    static void spill(SegmentInfo info, MemorySegment body) {
        info.details.put("index", body.get(ValueLayout.JAVA_LONG, UnboundedDescriptor.SPILL_INDEX_OFFSET));
        long end = body.get(ValueLayout.JAVA_LONG, UnboundedDescriptor.SPILL_END_OFFSET);
        info.details.put("open", end == UnboundedDescriptor.OPEN);
        if (info.partOf != null) {
            info.details.put("link", info.partOf);
        }
    }

    /**
     * {@return the link that {@code name} is a part of: the name before {@code .spill.N} or
     * {@code .ring}, if a segment of that name exists; else null}
     */
    static String linkOf(String name) {
        int spill = name.lastIndexOf(".spill.");
        String base = spill > 0 ? name.substring(0, spill) : name.endsWith(".ring") ? name.substring(0, name.length() - 5) : null;
        return base != null && base.length() > 1 && Inspector.segmentExists(base) ? base : null;
    }

    private static boolean alive(int pid, long startTime) {
        return pid > 0 && ProcessId.isAlive(pid, startTime);
    }

    private static void corrupt(SegmentInfo info, String problem) {
        info.status = SegmentInfo.Status.CORRUPT;
        info.problem = problem;
    }
}
