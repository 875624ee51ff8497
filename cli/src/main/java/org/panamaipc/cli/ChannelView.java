package org.panamaipc.cli;

import org.panamaipc.channel.ChannelDescriptor;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.process.ProcessId;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.panamaipc.channel.ChannelDescriptor.*;

/**
 * A ring channel as a tool sees it from outside: its configuration, positions, shared counters and
 * endpoint table, read through {@link ChannelDescriptor}'s offsets from a read-only mapping of the
 * body, without attaching. Every field that sizes or places something is checked with the
 * descriptor's validators before it is used, so a corrupt or hostile segment gives a
 * {@link #problem()} instead of a read out of bounds.
 *
 * <p>This is the table {@code RingChannel} keeps to itself today; once it offers a public snapshot
 * of its endpoints, this class reads that instead.
 *
 * @param type        the channel type, or null if {@link #problem()} is set
 * @param capacity    the ring's capacity in bytes
 * @param maxLength   the longest payload
 * @param slots       endpoint slots
 * @param head        the consume position
 * @param tail        the claim position
 * @param received    messages taken by receivers, those that left included
 * @param bytesIn     payload bytes taken by receivers
 * @param timesFull   times a sender found the ring full
 * @param sleeps      times a receiver slept on the futex
 * @param skipped     records passed over because their sender died
 * @param sendersEver senders that ever attached
 * @param receiversEver receivers that ever attached
 * @param endpoints   the slots in use (registering or active)
 * @param problem     what is wrong with the segment, or null
 */
record ChannelView(ChannelType type, long capacity, int maxLength, int slots, long head, long tail,
                   long received, long bytesIn, long timesFull, long sleeps, long skipped, int sendersEver,
                   int receiversEver, List<Endpoint> endpoints, String problem) {

    /**
     * One endpoint slot in use.
     *
     * @param id        the slot number, which is the {@code source} of the messages a sender sends
     * @param sender    true for a sender, false for a receiver
     * @param active    false while it registers
     * @param pid       its process
     * @param startTime its process's start time
     * @param alive     whether that process runs
     * @param blocking  whether it may sleep on the futex
     * @param sleeping  whether it sleeps now
     * @param sequence  a sender's next sequence number
     * @param messages  messages a receiver took
     * @param bytes     payload bytes a receiver took
     * @param waits     times a sender found the ring full, or a receiver slept
     * @param claiming  whether a sender has a claim open (is writing a record)
     */
    record Endpoint(int id, boolean sender, boolean active, int pid, long startTime, boolean alive, boolean blocking,
                    boolean sleeping, long sequence, long messages, long bytes, long waits, boolean claiming) {

        String role() {
            return sender ? "sender" : "receiver";
        }

        Map<String, Object> toJson() {
            return Json.object("id", id, "role", role(), "state", active ? "active" : "registering", "pid", pid,
                    "startTime", startTime, "alive", alive, "blocking", blocking, "sleeping", sleeping,
                    "sequence", sequence, "messages", messages, "bytes", bytes,
                    sender ? "timesFull" : "sleeps", waits, "claiming", claiming);
        }
    }

    /** {@return the view of the channel whose body is {@code body}, read-only, never throwing for its content} */
    static ChannelView read(MemorySegment body) {
        long bodySize = body.byteSize();
        if (bodySize < ENDPOINTS_OFFSET) {
            return broken("its body of " + bodySize + " bytes is shorter than the channel header");
        }
        long capacity = body.get(ValueLayout.JAVA_LONG, CAPACITY_OFFSET);
        long recordsOffset = body.get(ValueLayout.JAVA_LONG, RECORDS_OFFSET_OFFSET);
        int maxLength = body.get(ValueLayout.JAVA_INT, MAX_MESSAGE_LENGTH_OFFSET);
        int typeCode = body.get(ValueLayout.JAVA_INT, CHANNEL_TYPE_OFFSET);
        int slots = body.get(ValueLayout.JAVA_INT, ENDPOINT_SLOTS_OFFSET);
        long head = body.get(ValueLayout.JAVA_LONG, HEAD_OFFSET);
        long tail = body.get(ValueLayout.JAVA_LONG, TAIL_OFFSET);
        for (String problem : new String[] {
                ChannelDescriptor.checkType(typeCode),
                ChannelDescriptor.checkSlots(slots),
                ChannelDescriptor.checkRecordsOffset(recordsOffset, slots),
                ChannelDescriptor.checkCapacity(capacity, recordsOffset, bodySize),
                ChannelDescriptor.checkMaxMessageLength(maxLength, capacity),
                ChannelDescriptor.checkPositions(head, tail, capacity)}) {
            if (problem != null) {
                return broken(problem);
            }
        }
        long received = body.get(ValueLayout.JAVA_LONG, RETIRED_RECEIVED_OFFSET);
        long bytesIn = body.get(ValueLayout.JAVA_LONG, RETIRED_RECEIVED_BYTES_OFFSET);
        long full = body.get(ValueLayout.JAVA_LONG, RETIRED_FULL_OFFSET);
        long sleeps = body.get(ValueLayout.JAVA_LONG, RETIRED_SLEEPS_OFFSET);
        List<Endpoint> endpoints = new ArrayList<>();
        for (int id = 0; id < slots; id++) {
            long slot = ChannelDescriptor.endpointOffset(id);
            int state = body.get(ValueLayout.JAVA_INT, slot + EP_STATE_OFFSET);
            if (state != EP_ACTIVE && state != EP_REGISTERING) {
                continue;
            }
            int role = body.get(ValueLayout.JAVA_INT, slot + EP_ROLE_OFFSET);
            int pid = body.get(ValueLayout.JAVA_INT, slot + EP_PID_OFFSET);
            long startTime = body.get(ValueLayout.JAVA_LONG, slot + EP_START_TIME_OFFSET);
            int flags = body.get(ValueLayout.JAVA_INT, slot + EP_FLAGS_OFFSET);
            long messages = body.get(ValueLayout.JAVA_LONG, slot + EP_MESSAGES_OFFSET);
            long bytes = body.get(ValueLayout.JAVA_LONG, slot + EP_BYTES_OFFSET);
            long waits = body.get(ValueLayout.JAVA_LONG, slot + EP_WAITS_OFFSET);
            boolean sender = role == ROLE_SENDER;
            if (!sender && role != ROLE_RECEIVER) {
                return broken("endpoint slot " + id + " has role " + role + ", expected " + ROLE_SENDER + " (sender) or "
                        + ROLE_RECEIVER + " (receiver)");
            }
            if (state == EP_ACTIVE) { // a registering slot's counters are not its own yet
                if (sender) {
                    full += waits;
                } else {
                    received += messages;
                    bytesIn += bytes;
                    sleeps += waits;
                }
            }
            endpoints.add(new Endpoint(id, sender, state == EP_ACTIVE, pid, startTime,
                    ProcessId.isAlive(pid, startTime), (flags & FLAG_BLOCKING) != 0,
                    body.get(ValueLayout.JAVA_INT, slot + EP_SLEEPING_OFFSET) != 0,
                    body.get(ValueLayout.JAVA_LONG, slot + EP_SEQUENCE_OFFSET), messages, bytes, waits,
                    body.get(ValueLayout.JAVA_LONG, slot + EP_CLAIM_START_OFFSET) >= 0));
        }
        return new ChannelView(ChannelType.ofCode(typeCode), capacity, maxLength, slots, head, tail, received, bytesIn,
                full, sleeps, body.get(ValueLayout.JAVA_LONG, SKIPPED_OFFSET), body.get(ValueLayout.JAVA_INT, SENDERS_EVER_OFFSET),
                body.get(ValueLayout.JAVA_INT, RECEIVERS_EVER_OFFSET), List.copyOf(endpoints), null);
    }

    private static ChannelView broken(String problem) {
        return new ChannelView(null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), problem);
    }

    /** {@return bytes claimed and not yet consumed: {@code tail - head}, 0 when the tail lies behind} */
    long depth() {
        return Math.max(0, tail - head);
    }

    /** {@return how many of the endpoints are senders, alive or not} */
    long senders() {
        return endpoints.stream().filter(Endpoint::sender).count();
    }

    /** {@return how many of the endpoints are receivers, alive or not} */
    long receivers() {
        return endpoints.stream().filter(e -> !e.sender()).count();
    }

    /** {@return whether any endpoint's process runs} */
    boolean anyAlive() {
        return endpoints.stream().anyMatch(Endpoint::alive);
    }
}
