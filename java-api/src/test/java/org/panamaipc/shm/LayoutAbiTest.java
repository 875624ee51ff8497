package org.panamaipc.shm;

import org.junit.jupiter.api.Test;
import org.panamaipc.channel.ChannelDescriptor;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.RecordDescriptor;
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
 * {@code native/include/pipc_segment.h}, through the {@code layout.*} lines of the ABI probe.
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
        return v;
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
