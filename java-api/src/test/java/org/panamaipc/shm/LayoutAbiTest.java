package org.panamaipc.shm;

import org.junit.jupiter.api.Test;
import org.panamaipc.broadcast.BroadcastDescriptor;
import org.panamaipc.broadcast.SlowSubscriberPolicy;
import org.panamaipc.channel.ChannelDescriptor;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.RecordDescriptor;
import org.panamaipc.endpoint.RegistryDescriptor;
import org.panamaipc.message.EnvelopeDescriptor;
import org.panamaipc.message.MailboxDescriptor;
import org.panamaipc.rendezvous.RendezvousDescriptor;
import org.panamaipc.unbounded.UnboundedDescriptor;
import org.panamaipc.sync.EventDescriptor;
import org.panamaipc.sync.LatchDescriptor;
import org.panamaipc.sync.MutexDescriptor;
import org.panamaipc.sync.SemaphoreDescriptor;
import org.panamaipc.testkit.ChildProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds every Java descriptor of a shared-memory layout equal to its C mirror in
 * {@code native/include/pipc_*.h} (segment, primitives, ring, broadcast, rendezvous, unbounded link), through the
 * {@code layout.*} lines of the ABI probe.
 */
class LayoutAbiTest {

    /** The Java side, under the probe's keys. Every layout the probe prints must appear here, and back. */
    static Map<String, Long> java() {
        Map<String, Long> v = new TreeMap<>();
        v.put("layout.PIPC_MAGIC", SegmentHeaderDescriptor.MAGIC);
        v.put("layout.PIPC_READY", (long) SegmentHeaderDescriptor.READY);
        v.put("layout.PIPC_KIND_MUTEX", (long) SegmentKind.MUTEX.code());
        v.put("layout.PIPC_KIND_SEMAPHORE", (long) SegmentKind.SEMAPHORE.code());
        v.put("layout.PIPC_KIND_EVENT", (long) SegmentKind.EVENT.code());
        v.put("layout.PIPC_KIND_LATCH", (long) SegmentKind.LATCH.code());
        String h = "layout.pipc_segment_header.";
        v.put(h + "sizeof", (long) SegmentHeaderDescriptor.HEADER_SIZE);
        v.put(h + "magic", (long) SegmentHeaderDescriptor.MAGIC_OFFSET);
        v.put(h + "kind", (long) SegmentHeaderDescriptor.KIND_OFFSET);
        v.put(h + "layout_version", (long) SegmentHeaderDescriptor.LAYOUT_VERSION_OFFSET);
        v.put(h + "total_size", (long) SegmentHeaderDescriptor.TOTAL_SIZE_OFFSET);
        v.put(h + "header_size", (long) SegmentHeaderDescriptor.HEADER_SIZE_OFFSET);
        v.put(h + "body_size", (long) SegmentHeaderDescriptor.BODY_SIZE_OFFSET);
        v.put(h + "flags", (long) SegmentHeaderDescriptor.FLAGS_OFFSET);
        v.put(h + "creator_pid", (long) SegmentHeaderDescriptor.CREATOR_PID_OFFSET);
        v.put(h + "creator_start_time", (long) SegmentHeaderDescriptor.CREATOR_START_TIME_OFFSET);
        v.put(h + "creation_time_ms", (long) SegmentHeaderDescriptor.CREATION_TIME_OFFSET);
        v.put(h + "ready", (long) SegmentHeaderDescriptor.READY_OFFSET);
        String m = "layout.pipc_mutex.";
        v.put(m + "sizeof", (long) MutexDescriptor.SIZE);
        v.put(m + "word", (long) MutexDescriptor.WORD_OFFSET);
        v.put(m + "owner_died", (long) MutexDescriptor.OWNER_DIED_OFFSET);
        v.put(m + "owner_start_time", (long) MutexDescriptor.OWNER_START_TIME_OFFSET);
        v.put(m + "owner_thread", (long) MutexDescriptor.OWNER_THREAD_OFFSET);
        v.put(m + "owner_pid", (long) MutexDescriptor.OWNER_PID_OFFSET);
        v.put(m + "owner_sequence", (long) MutexDescriptor.OWNER_SEQUENCE_OFFSET);
        v.put(m + "acquisitions", (long) MutexDescriptor.ACQUISITIONS_OFFSET);
        v.put(m + "takeovers", (long) MutexDescriptor.TAKEOVERS_OFFSET);
        String s = "layout.pipc_semaphore.";
        v.put(s + "sizeof", (long) SemaphoreDescriptor.SIZE);
        v.put(s + "permits", (long) SemaphoreDescriptor.PERMITS_OFFSET);
        v.put(s + "waiters", (long) SemaphoreDescriptor.WAITERS_OFFSET);
        v.put(s + "max_permits", (long) SemaphoreDescriptor.MAX_PERMITS_OFFSET);
        String e = "layout.pipc_event.";
        v.put(e + "sizeof", (long) EventDescriptor.SIZE);
        v.put(e + "state", (long) EventDescriptor.STATE_OFFSET);
        v.put(e + "auto_reset", (long) EventDescriptor.AUTO_RESET_OFFSET);
        v.put(e + "waiters", (long) EventDescriptor.WAITERS_OFFSET);
        String l = "layout.pipc_latch.";
        v.put(l + "sizeof", (long) LatchDescriptor.SIZE);
        v.put(l + "count", (long) LatchDescriptor.COUNT_OFFSET);
        v.put(l + "initial_count", (long) LatchDescriptor.INITIAL_COUNT_OFFSET);
        channel(v);
        message(v);
        broadcast(v);
        rendezvous(v);
        unbounded(v);
        return v;
    }

    private static void broadcast(Map<String, Long> v) {
        v.put("layout.PIPC_KIND_BROADCAST", (long) SegmentKind.BROADCAST.code());
        v.put("layout.PIPC_BROADCAST_LAYOUT_VERSION", (long) SegmentKind.BROADCAST.layoutVersion());
        v.put("layout.PIPC_BROADCAST_BLOCK", (long) SlowSubscriberPolicy.BLOCK.code());
        v.put("layout.PIPC_BROADCAST_LOSSY", (long) SlowSubscriberPolicy.LOSSY.code());
        v.put("layout.PIPC_BROADCAST_FREE", (long) BroadcastDescriptor.FREE);
        v.put("layout.PIPC_BROADCAST_REGISTERING", (long) BroadcastDescriptor.REGISTERING);
        v.put("layout.PIPC_BROADCAST_ACTIVE", (long) BroadcastDescriptor.ACTIVE);
        v.put("layout.PIPC_BROADCAST_WRITING", BroadcastDescriptor.WRITING);
        v.put("layout.PIPC_BROADCAST_RECORD_ALIGNMENT", (long) BroadcastDescriptor.RECORD_ALIGNMENT);
        String r = "layout.pipc_broadcast_record_header.";
        v.put(r + "sizeof", (long) BroadcastDescriptor.RECORD_HEADER_LENGTH);
        v.put(r + "tag", (long) BroadcastDescriptor.RECORD_TAG_OFFSET);
        v.put(r + "length", (long) BroadcastDescriptor.RECORD_LENGTH_OFFSET);
        v.put(r + "type", (long) BroadcastDescriptor.RECORD_TYPE_OFFSET);
        String s = "layout.pipc_broadcast_subscriber.";
        v.put(s + "sizeof", (long) BroadcastDescriptor.SUBSCRIBER_LENGTH);
        v.put(s + "state", (long) BroadcastDescriptor.SUB_STATE_OFFSET);
        v.put(s + "sleeping", (long) BroadcastDescriptor.SUB_SLEEPING_OFFSET);
        v.put(s + "pid", (long) BroadcastDescriptor.SUB_PID_OFFSET);
        v.put(s + "start_time", (long) BroadcastDescriptor.SUB_START_TIME_OFFSET);
        v.put(s + "cursor", (long) BroadcastDescriptor.SUB_CURSOR_OFFSET);
        v.put(s + "received", (long) BroadcastDescriptor.SUB_RECEIVED_OFFSET);
        v.put(s + "lost", (long) BroadcastDescriptor.SUB_LOST_OFFSET);
        v.put(s + "sleeps", (long) BroadcastDescriptor.SUB_SLEEPS_OFFSET);
        String b = "layout.pipc_broadcast.";
        v.put(b + "sizeof", (long) BroadcastDescriptor.SUBSCRIBERS_OFFSET);
        v.put(b + "capacity", (long) BroadcastDescriptor.CAPACITY_OFFSET);
        v.put(b + "records_offset", (long) BroadcastDescriptor.RECORDS_OFFSET_OFFSET);
        v.put(b + "slot_length", (long) BroadcastDescriptor.SLOT_LENGTH_OFFSET);
        v.put(b + "max_message_length", (long) BroadcastDescriptor.MAX_MESSAGE_LENGTH_OFFSET);
        v.put(b + "policy", (long) BroadcastDescriptor.POLICY_OFFSET);
        v.put(b + "subscriber_slots", (long) BroadcastDescriptor.SUBSCRIBER_SLOTS_OFFSET);
        v.put(b + "tail", (long) BroadcastDescriptor.TAIL_OFFSET);
        v.put(b + "publisher_state", (long) BroadcastDescriptor.PUBLISHER_STATE_OFFSET);
        v.put(b + "publisher_pid", (long) BroadcastDescriptor.PUBLISHER_PID_OFFSET);
        v.put(b + "publisher_start_time", (long) BroadcastDescriptor.PUBLISHER_START_TIME_OFFSET);
        v.put(b + "publisher_full", (long) BroadcastDescriptor.PUBLISHER_FULL_OFFSET);
        v.put(b + "data_signal", (long) BroadcastDescriptor.DATA_SIGNAL_OFFSET);
        v.put(b + "subscribers_waiting", (long) BroadcastDescriptor.SUBSCRIBERS_WAITING_OFFSET);
        v.put(b + "wake_needed", (long) BroadcastDescriptor.WAKE_NEEDED_OFFSET);
        v.put(b + "space_signal", (long) BroadcastDescriptor.SPACE_SIGNAL_OFFSET);
        v.put(b + "publisher_waiting", (long) BroadcastDescriptor.PUBLISHER_WAITING_OFFSET);
        v.put(b + "publisher_wake_at", (long) BroadcastDescriptor.PUBLISHER_WAKE_AT_OFFSET);
        v.put(b + "publishers_ever", (long) BroadcastDescriptor.PUBLISHERS_EVER_OFFSET);
        v.put(b + "publishers_left", (long) BroadcastDescriptor.PUBLISHERS_LEFT_OFFSET);
        v.put(b + "subscribers_ever", (long) BroadcastDescriptor.SUBSCRIBERS_EVER_OFFSET);
        v.put(b + "subscribers_left", (long) BroadcastDescriptor.SUBSCRIBERS_LEFT_OFFSET);
        v.put(b + "slots_in_use", (long) BroadcastDescriptor.SLOTS_IN_USE_OFFSET);
        v.put(b + "retired_received", (long) BroadcastDescriptor.RETIRED_RECEIVED_OFFSET);
        v.put(b + "retired_lost", (long) BroadcastDescriptor.RETIRED_LOST_OFFSET);
        v.put(b + "lock", (long) BroadcastDescriptor.LOCK_OFFSET);
        v.put(b + "subscribers", (long) BroadcastDescriptor.SUBSCRIBERS_OFFSET);
        v.put("layout.pipc_broadcast_slot_length.0", (long) BroadcastDescriptor.slotLength(0));
        v.put("layout.pipc_broadcast_slot_length.1008", (long) BroadcastDescriptor.slotLength(1008));
        v.put("layout.pipc_broadcast_slot_length.1009", (long) BroadcastDescriptor.slotLength(1009));
        v.put("layout.pipc_broadcast_records_offset.64", BroadcastDescriptor.recordsOffset(64));
        v.put("layout.pipc_broadcast_records_offset.3", BroadcastDescriptor.recordsOffset(3));
    }

    private static void unbounded(Map<String, Long> v) {
        v.put("layout.PIPC_KIND_UNBOUNDED", (long) SegmentKind.UNBOUNDED.code());
        v.put("layout.PIPC_KIND_SPILL", (long) SegmentKind.SPILL.code());
        v.put("layout.PIPC_UNBOUNDED_LAYOUT_VERSION", (long) SegmentKind.UNBOUNDED.layoutVersion());
        v.put("layout.PIPC_SPILL_LAYOUT_VERSION", (long) SegmentKind.SPILL.layoutVersion());
        v.put("layout.PIPC_SPILL_OPEN", UnboundedDescriptor.OPEN);
        v.put("layout.PIPC_SPILL_SEGMENT_SHIFT", (long) UnboundedDescriptor.SEGMENT_SHIFT);
        v.put("layout.PIPC_SPILL_RECORD_ALIGNMENT", (long) UnboundedDescriptor.RECORD_ALIGNMENT);
        v.put("layout.PIPC_UNBOUNDED_DOORBELL_TYPE", (long) UnboundedDescriptor.DOORBELL_TYPE);
        String u = "layout.pipc_unbounded.";
        v.put(u + "sizeof", (long) UnboundedDescriptor.BODY_SIZE);
        v.put(u + "ring_capacity", (long) UnboundedDescriptor.RING_CAPACITY_OFFSET);
        v.put(u + "max_message_length", (long) UnboundedDescriptor.MAX_MESSAGE_LENGTH_OFFSET);
        v.put(u + "mode", (long) UnboundedDescriptor.MODE_OFFSET);
        v.put(u + "spill_segment_size", (long) UnboundedDescriptor.SPILL_SEGMENT_SIZE_OFFSET);
        v.put(u + "memory_cap", (long) UnboundedDescriptor.MEMORY_CAP_OFFSET);
        v.put(u + "write_position", (long) UnboundedDescriptor.WRITE_POSITION_OFFSET);
        v.put(u + "sent", (long) UnboundedDescriptor.SENT_OFFSET);
        v.put(u + "spilled", (long) UnboundedDescriptor.SPILLED_OFFSET);
        v.put(u + "segments_created", (long) UnboundedDescriptor.SEGMENTS_CREATED_OFFSET);
        v.put(u + "read_position", (long) UnboundedDescriptor.READ_POSITION_OFFSET);
        v.put(u + "received", (long) UnboundedDescriptor.RECEIVED_OFFSET);
        v.put(u + "segments_removed", (long) UnboundedDescriptor.SEGMENTS_REMOVED_OFFSET);
        v.put(u + "spill_taken", (long) UnboundedDescriptor.SPILL_TAKEN_OFFSET);
        v.put(u + "receiver_waiting", (long) UnboundedDescriptor.RECEIVER_WAITING_OFFSET);
        String p = "layout.pipc_spill.";
        v.put(p + "sizeof", (long) UnboundedDescriptor.RECORDS_OFFSET);
        v.put(p + "index", (long) UnboundedDescriptor.SPILL_INDEX_OFFSET);
        v.put(p + "end", (long) UnboundedDescriptor.SPILL_END_OFFSET);
        String r = "layout.pipc_spill_record_header.";
        v.put(r + "sizeof", (long) UnboundedDescriptor.RECORD_HEADER_LENGTH);
        v.put(r + "length", (long) UnboundedDescriptor.RECORD_LENGTH_OFFSET);
        v.put(r + "type", (long) UnboundedDescriptor.RECORD_TYPE_OFFSET);
    }

    private static void rendezvous(Map<String, Long> v) {
        v.put("layout.PIPC_KIND_RENDEZVOUS", (long) SegmentKind.RENDEZVOUS.code());
        v.put("layout.PIPC_RENDEZVOUS_LAYOUT_VERSION", (long) SegmentKind.RENDEZVOUS.layoutVersion());
        v.put("layout.PIPC_RV_FREE", (long) RendezvousDescriptor.FREE);
        v.put("layout.PIPC_RV_REGISTERING", (long) RendezvousDescriptor.REGISTERING);
        v.put("layout.PIPC_RV_ACTIVE", (long) RendezvousDescriptor.ACTIVE);
        v.put("layout.PIPC_RV_NONE", (long) RendezvousDescriptor.NONE);
        v.put("layout.PIPC_RV_IDLE", (long) RendezvousDescriptor.IDLE);
        v.put("layout.PIPC_RV_WAITING", (long) RendezvousDescriptor.WAITING);
        v.put("layout.PIPC_RV_CLAIMED", (long) RendezvousDescriptor.CLAIMED);
        v.put("layout.PIPC_RV_FILLED", (long) RendezvousDescriptor.FILLED);
        v.put("layout.PIPC_RV_TAKING", (long) RendezvousDescriptor.TAKING);
        v.put("layout.PIPC_RV_CODE_MASK", (long) RendezvousDescriptor.CODE_MASK);
        v.put("layout.PIPC_RV_SENDER_SHIFT", (long) RendezvousDescriptor.SENDER_SHIFT);
        v.put("layout.PIPC_RV_GENERATION_SHIFT", (long) RendezvousDescriptor.GENERATION_SHIFT);
        v.put("layout.PIPC_RV_SLEEPING_ON_EVENTS", (long) RendezvousDescriptor.SLEEPING_ON_EVENTS);
        v.put("layout.PIPC_RV_SLEEPING_ON_READY", (long) RendezvousDescriptor.SLEEPING_ON_READY);
        String s = "layout.pipc_rendezvous_sender.";
        v.put(s + "sizeof", (long) RendezvousDescriptor.SENDER_LENGTH);
        v.put(s + "state", (long) RendezvousDescriptor.S_STATE_OFFSET);
        v.put(s + "events", (long) RendezvousDescriptor.S_EVENTS_OFFSET);
        v.put(s + "pid", (long) RendezvousDescriptor.S_PID_OFFSET);
        v.put(s + "sleeping", (long) RendezvousDescriptor.S_SLEEPING_OFFSET);
        v.put(s + "start_time", (long) RendezvousDescriptor.S_START_TIME_OFFSET);
        v.put(s + "ack", (long) RendezvousDescriptor.S_ACK_OFFSET);
        v.put(s + "generation", (long) RendezvousDescriptor.S_GENERATION_OFFSET);
        v.put(s + "sent", (long) RendezvousDescriptor.S_SENT_OFFSET);
        v.put(s + "withdrawn", (long) RendezvousDescriptor.S_WITHDRAWN_OFFSET);
        v.put(s + "offering", (long) RendezvousDescriptor.S_OFFERING_OFFSET);
        String r = "layout.pipc_rendezvous_receiver.";
        v.put(r + "sizeof", (long) RendezvousDescriptor.R_PAYLOAD_OFFSET);
        v.put(r + "state", (long) RendezvousDescriptor.R_STATE_OFFSET);
        v.put(r + "exchange", (long) RendezvousDescriptor.R_EXCHANGE_OFFSET);
        v.put(r + "pid", (long) RendezvousDescriptor.R_PID_OFFSET);
        v.put(r + "sleeping", (long) RendezvousDescriptor.R_SLEEPING_OFFSET);
        v.put(r + "start_time", (long) RendezvousDescriptor.R_START_TIME_OFFSET);
        v.put(r + "taken", (long) RendezvousDescriptor.R_TAKEN_OFFSET);
        v.put(r + "ticket", (long) RendezvousDescriptor.R_TICKET_OFFSET);
        v.put(r + "sequence", (long) RendezvousDescriptor.R_SEQUENCE_OFFSET);
        v.put(r + "length", (long) RendezvousDescriptor.R_LENGTH_OFFSET);
        v.put(r + "type", (long) RendezvousDescriptor.R_TYPE_OFFSET);
        v.put(r + "source", (long) RendezvousDescriptor.R_SOURCE_OFFSET);
        v.put(r + "payload", (long) RendezvousDescriptor.R_PAYLOAD_OFFSET);
        String z = "layout.pipc_rendezvous.";
        v.put(z + "sizeof", (long) RendezvousDescriptor.SENDERS_OFFSET);
        v.put(z + "max_message_length", (long) RendezvousDescriptor.MAX_MESSAGE_LENGTH_OFFSET);
        v.put(z + "sender_slots", (long) RendezvousDescriptor.SENDER_SLOTS_OFFSET);
        v.put(z + "receiver_slots", (long) RendezvousDescriptor.RECEIVER_SLOTS_OFFSET);
        v.put(z + "receiver_slot_length", (long) RendezvousDescriptor.RECEIVER_SLOT_LENGTH_OFFSET);
        v.put(z + "senders_offset", (long) RendezvousDescriptor.SENDERS_OFFSET_OFFSET);
        v.put(z + "receivers_offset", (long) RendezvousDescriptor.RECEIVERS_OFFSET_OFFSET);
        v.put(z + "ready_signal", (long) RendezvousDescriptor.READY_SIGNAL_OFFSET);
        v.put(z + "senders_offering", (long) RendezvousDescriptor.SENDERS_OFFERING_OFFSET);
        v.put(z + "senders_sleeping", (long) RendezvousDescriptor.SENDERS_SLEEPING_OFFSET);
        v.put(z + "senders_ever", (long) RendezvousDescriptor.SENDERS_EVER_OFFSET);
        v.put(z + "senders_left", (long) RendezvousDescriptor.SENDERS_LEFT_OFFSET);
        v.put(z + "receivers_ever", (long) RendezvousDescriptor.RECEIVERS_EVER_OFFSET);
        v.put(z + "receivers_left", (long) RendezvousDescriptor.RECEIVERS_LEFT_OFFSET);
        v.put(z + "sender_slots_in_use", (long) RendezvousDescriptor.SENDER_SLOTS_IN_USE_OFFSET);
        v.put(z + "receiver_slots_in_use", (long) RendezvousDescriptor.RECEIVER_SLOTS_IN_USE_OFFSET);
        v.put(z + "retired_taken", (long) RendezvousDescriptor.RETIRED_TAKEN_OFFSET);
        v.put(z + "dropped", (long) RendezvousDescriptor.DROPPED_OFFSET);
        v.put(z + "lock", (long) RendezvousDescriptor.LOCK_OFFSET);
        v.put(z + "senders", (long) RendezvousDescriptor.SENDERS_OFFSET);
        v.put("layout.pipc_rendezvous_receiver_slot_length.0", (long) RendezvousDescriptor.receiverSlotLength(0));
        v.put("layout.pipc_rendezvous_receiver_slot_length.4096", (long) RendezvousDescriptor.receiverSlotLength(4096));
        v.put("layout.pipc_rendezvous_receiver_slot_length.4097", (long) RendezvousDescriptor.receiverSlotLength(4097));
        v.put("layout.pipc_rendezvous_receivers_offset.16", RendezvousDescriptor.receiversOffset(16));
        v.put("layout.pipc_rendezvous_receivers_offset.3", RendezvousDescriptor.receiversOffset(3));
        v.put("layout.pipc_rendezvous_exchange_word.4.3",
                (long) RendezvousDescriptor.exchange(RendezvousDescriptor.FILLED, 3));
    }

    private static void message(Map<String, Long> v) {
        v.put("layout.PIPC_ENVELOPE_MAGIC", (long) EnvelopeDescriptor.MAGIC);
        v.put("layout.PIPC_FORWARDED_MAGIC", (long) EnvelopeDescriptor.FORWARDED_MAGIC);
        v.put("layout.PIPC_NO_REPLY", EnvelopeDescriptor.NO_REPLY);
        String e = "layout.pipc_envelope.";
        v.put(e + "sizeof", (long) EnvelopeDescriptor.LENGTH);
        v.put(e + "magic", (long) EnvelopeDescriptor.MAGIC_OFFSET);
        v.put(e + "source_pid", (long) EnvelopeDescriptor.SOURCE_PID_OFFSET);
        v.put(e + "send_time", (long) EnvelopeDescriptor.SEND_TIME_OFFSET);
        v.put(e + "reply_to", (long) EnvelopeDescriptor.REPLY_TO_OFFSET);
        String q = "layout.pipc_queue_envelope.";
        v.put(q + "sizeof", (long) EnvelopeDescriptor.QUEUE_LENGTH);
        v.put(q + "envelope", (long) EnvelopeDescriptor.MAGIC_OFFSET);
        v.put(q + "type", (long) EnvelopeDescriptor.QUEUE_TYPE_OFFSET);
        v.put(q + "source", (long) EnvelopeDescriptor.QUEUE_SOURCE_OFFSET);
        v.put(q + "sequence", (long) EnvelopeDescriptor.QUEUE_SEQUENCE_OFFSET);
        v.put("layout.PIPC_KIND_MAILBOX", (long) SegmentKind.MAILBOX.code());
        v.put("layout.PIPC_KIND_REGISTRY", (long) SegmentKind.REGISTRY.code());
        v.put("layout.PIPC_TRANSPORT_RING", (long) MailboxDescriptor.TRANSPORT_RING);
        v.put("layout.PIPC_TRANSPORT_QUEUE", (long) MailboxDescriptor.TRANSPORT_QUEUE);
        v.put("layout.PIPC_MAILBOX_PORT", (long) MailboxDescriptor.FLAG_PORT);
        v.put("layout.PIPC_MAILBOX_BARE", (long) MailboxDescriptor.FLAG_BARE);
        v.put("layout.PIPC_OWNER_NONE", (long) MailboxDescriptor.OWNER_NONE);
        v.put("layout.PIPC_OWNER_OWNED", (long) MailboxDescriptor.OWNER_OWNED);
        v.put("layout.PIPC_OWNER_CLOSED", (long) MailboxDescriptor.OWNER_CLOSED);
        v.put("layout.PIPC_OWNER_RECLAIMED", (long) MailboxDescriptor.OWNER_RECLAIMED);
        String m = "layout.pipc_mailbox.";
        v.put(m + "sizeof", (long) MailboxDescriptor.SIZE);
        v.put(m + "transport", (long) MailboxDescriptor.TRANSPORT_OFFSET);
        v.put(m + "flags", (long) MailboxDescriptor.FLAGS_OFFSET);
        v.put(m + "capacity", (long) MailboxDescriptor.CAPACITY_OFFSET);
        v.put(m + "max_message_length", (long) MailboxDescriptor.MAX_MESSAGE_LENGTH_OFFSET);
        v.put(m + "owner_lock", (long) MailboxDescriptor.OWNER_LOCK_OFFSET);
        v.put(m + "owner_word", (long) MailboxDescriptor.OWNER_WORD_OFFSET);
        v.put(m + "owner_state", (long) MailboxDescriptor.OWNER_STATE_OFFSET);
        v.put(m + "owner_pid", (long) MailboxDescriptor.OWNER_PID_OFFSET);
        v.put(m + "owner_start_time", (long) MailboxDescriptor.OWNER_START_TIME_OFFSET);
        v.put("layout.PIPC_REGISTRY_NAME_MAX", (long) RegistryDescriptor.NAME_MAX);
        v.put("layout.PIPC_ENTRY_FREE", (long) RegistryDescriptor.STATE_FREE);
        v.put("layout.PIPC_ENTRY_ACTIVE", (long) RegistryDescriptor.STATE_ACTIVE);
        String r = "layout.pipc_registry.";
        v.put(r + "sizeof", (long) RegistryDescriptor.HEADER_LENGTH);
        v.put(r + "entries", (long) RegistryDescriptor.ENTRIES_OFFSET);
        v.put(r + "entry_size", (long) RegistryDescriptor.ENTRY_SIZE_OFFSET);
        v.put(r + "name_max", (long) RegistryDescriptor.NAME_MAX_OFFSET);
        v.put(r + "lock", (long) RegistryDescriptor.LOCK_OFFSET);
        String n = "layout.pipc_registry_entry.";
        v.put(n + "sizeof", (long) RegistryDescriptor.ENTRY_LENGTH);
        v.put(n + "sequence", (long) RegistryDescriptor.ENTRY_SEQUENCE_OFFSET);
        v.put(n + "state", (long) RegistryDescriptor.ENTRY_STATE_OFFSET);
        v.put(n + "owner_pid", (long) RegistryDescriptor.ENTRY_OWNER_PID_OFFSET);
        v.put(n + "name_length", (long) RegistryDescriptor.ENTRY_NAME_LENGTH_OFFSET);
        v.put(n + "owner_start_time", (long) RegistryDescriptor.ENTRY_OWNER_START_TIME_OFFSET);
        v.put(n + "registered_ms", (long) RegistryDescriptor.ENTRY_REGISTERED_OFFSET);
        v.put(n + "name", (long) RegistryDescriptor.ENTRY_NAME_OFFSET);
    }

    private static void channel(Map<String, Long> v) {
        v.put("layout.PIPC_KIND_CHANNEL", (long) SegmentKind.CHANNEL.code());
        v.put("layout.PIPC_CHANNEL_SPSC", (long) ChannelType.SPSC.code());
        v.put("layout.PIPC_CHANNEL_MPSC", (long) ChannelType.MPSC.code());
        v.put("layout.PIPC_CHANNEL_MPMC", (long) ChannelType.MPMC.code());
        v.put("layout.PIPC_RECORD_COMMITTED", (long) RecordDescriptor.COMMITTED);
        v.put("layout.PIPC_RECORD_PADDING", (long) RecordDescriptor.PADDING);
        v.put("layout.PIPC_RECORD_SKIP", (long) RecordDescriptor.SKIP);
        v.put("layout.PIPC_RECORD_ALIGNMENT", (long) RecordDescriptor.ALIGNMENT);
        v.put("layout.PIPC_EP_FREE", (long) ChannelDescriptor.EP_FREE);
        v.put("layout.PIPC_EP_REGISTERING", (long) ChannelDescriptor.EP_REGISTERING);
        v.put("layout.PIPC_EP_ACTIVE", (long) ChannelDescriptor.EP_ACTIVE);
        v.put("layout.PIPC_ROLE_SENDER", (long) ChannelDescriptor.ROLE_SENDER);
        v.put("layout.PIPC_ROLE_RECEIVER", (long) ChannelDescriptor.ROLE_RECEIVER);
        v.put("layout.PIPC_EP_FLAG_BLOCKING", (long) ChannelDescriptor.FLAG_BLOCKING);
        String r = "layout.pipc_record_header.";
        v.put(r + "sizeof", (long) RecordDescriptor.HEADER_LENGTH);
        v.put(r + "tag", (long) RecordDescriptor.TAG_OFFSET);
        v.put(r + "length", (long) RecordDescriptor.LENGTH_OFFSET);
        v.put(r + "type", (long) RecordDescriptor.TYPE_OFFSET);
        v.put(r + "source", (long) RecordDescriptor.SOURCE_OFFSET);
        v.put(r + "sequence", (long) RecordDescriptor.SEQUENCE_OFFSET);
        String e = "layout.pipc_endpoint.";
        v.put(e + "sizeof", (long) ChannelDescriptor.ENDPOINT_LENGTH);
        v.put(e + "state", (long) ChannelDescriptor.EP_STATE_OFFSET);
        v.put(e + "role", (long) ChannelDescriptor.EP_ROLE_OFFSET);
        v.put(e + "pid", (long) ChannelDescriptor.EP_PID_OFFSET);
        v.put(e + "flags", (long) ChannelDescriptor.EP_FLAGS_OFFSET);
        v.put(e + "start_time", (long) ChannelDescriptor.EP_START_TIME_OFFSET);
        v.put(e + "claim_start", (long) ChannelDescriptor.EP_CLAIM_START_OFFSET);
        v.put(e + "claim_end", (long) ChannelDescriptor.EP_CLAIM_END_OFFSET);
        v.put(e + "sequence", (long) ChannelDescriptor.EP_SEQUENCE_OFFSET);
        v.put(e + "messages", (long) ChannelDescriptor.EP_MESSAGES_OFFSET);
        v.put(e + "bytes", (long) ChannelDescriptor.EP_BYTES_OFFSET);
        v.put(e + "waits", (long) ChannelDescriptor.EP_WAITS_OFFSET);
        v.put(e + "sleeping", (long) ChannelDescriptor.EP_SLEEPING_OFFSET);
        v.put("layout.PIPC_CLAIM_WON", ChannelDescriptor.CLAIM_WON);
        v.put("layout.PIPC_CHANNEL_LAYOUT_VERSION", (long) SegmentKind.CHANNEL.layoutVersion());
        String c = "layout.pipc_channel.";
        v.put(c + "sizeof", (long) ChannelDescriptor.ENDPOINTS_OFFSET);
        v.put(c + "capacity", (long) ChannelDescriptor.CAPACITY_OFFSET);
        v.put(c + "records_offset", (long) ChannelDescriptor.RECORDS_OFFSET_OFFSET);
        v.put(c + "max_message_length", (long) ChannelDescriptor.MAX_MESSAGE_LENGTH_OFFSET);
        v.put(c + "channel_type", (long) ChannelDescriptor.CHANNEL_TYPE_OFFSET);
        v.put(c + "endpoint_slots", (long) ChannelDescriptor.ENDPOINT_SLOTS_OFFSET);
        v.put(c + "tail", (long) ChannelDescriptor.TAIL_OFFSET);
        v.put(c + "head", (long) ChannelDescriptor.HEAD_OFFSET);
        v.put(c + "data_signal", (long) ChannelDescriptor.DATA_SIGNAL_OFFSET);
        v.put(c + "receivers_waiting", (long) ChannelDescriptor.RECEIVERS_WAITING_OFFSET);
        v.put(c + "blocking_receivers", (long) ChannelDescriptor.BLOCKING_RECEIVERS_OFFSET);
        v.put(c + "space_signal", (long) ChannelDescriptor.SPACE_SIGNAL_OFFSET);
        v.put(c + "senders_waiting", (long) ChannelDescriptor.SENDERS_WAITING_OFFSET);
        v.put(c + "blocking_senders", (long) ChannelDescriptor.BLOCKING_SENDERS_OFFSET);
        v.put(c + "skipped", (long) ChannelDescriptor.SKIPPED_OFFSET);
        v.put(c + "retired_sent", (long) ChannelDescriptor.RETIRED_SENT_OFFSET);
        v.put(c + "retired_sent_bytes", (long) ChannelDescriptor.RETIRED_SENT_BYTES_OFFSET);
        v.put(c + "retired_full", (long) ChannelDescriptor.RETIRED_FULL_OFFSET);
        v.put(c + "retired_received", (long) ChannelDescriptor.RETIRED_RECEIVED_OFFSET);
        v.put(c + "retired_received_bytes", (long) ChannelDescriptor.RETIRED_RECEIVED_BYTES_OFFSET);
        v.put(c + "retired_sleeps", (long) ChannelDescriptor.RETIRED_SLEEPS_OFFSET);
        v.put(c + "senders_ever", (long) ChannelDescriptor.SENDERS_EVER_OFFSET);
        v.put(c + "receivers_ever", (long) ChannelDescriptor.RECEIVERS_EVER_OFFSET);
        v.put(c + "senders_left", (long) ChannelDescriptor.SENDERS_LEFT_OFFSET);
        v.put(c + "receivers_left", (long) ChannelDescriptor.RECEIVERS_LEFT_OFFSET);
        v.put(c + "repair_lock", (long) ChannelDescriptor.REPAIR_LOCK_OFFSET);
        v.put(c + "endpoints", (long) ChannelDescriptor.ENDPOINTS_OFFSET);
        v.put("layout.pipc_records_offset.16", ChannelDescriptor.recordsOffset(16));
        v.put("layout.pipc_records_offset.3", ChannelDescriptor.recordsOffset(3));
    }

    static Map<String, Long> c() throws IOException, InterruptedException {
        Process probe = new ProcessBuilder(ChildProcess.nativeBinary("abi_probe").toString()).start();
        Map<String, Long> values = new TreeMap<>();
        for (String line : new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("layout.")) {
                int eq = line.lastIndexOf('=');
                values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
            }
        }
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, probe.exitValue());
        return values;
    }

    static List<String> compare(Map<String, Long> c, Map<String, Long> java) {
        List<String> problems = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(c.keySet());
        keys.addAll(java.keySet());
        for (String key : keys) {
            if (!c.containsKey(key)) {
                problems.add(key + ": in a Java descriptor but not in the C header / probe");
            } else if (!java.containsKey(key)) {
                problems.add(key + ": in the C header but in no Java descriptor");
            } else if (!c.get(key).equals(java.get(key))) {
                problems.add(key + ": C says " + c.get(key) + ", Java says " + java.get(key));
            }
        }
        return problems;
    }

    @Test
    void shouldMatchTheCMirrorOfEveryLayout() throws Exception {
        Map<String, Long> c = c();
        assertTrue(c.size() >= 35, "probe printed " + c.size() + " layout values");
        assertEquals(List.of(), compare(c, java()));
    }

    @Test
    void shouldReportADriftedOffset() throws Exception {
        Map<String, Long> drifted = java();
        drifted.put("layout.pipc_mutex.owner_pid", 28L);
        assertEquals(List.of("layout.pipc_mutex.owner_pid: C says 24, Java says 28"), compare(c(), drifted));
    }
}
