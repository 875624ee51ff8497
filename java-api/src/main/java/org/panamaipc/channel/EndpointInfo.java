package org.panamaipc.channel;

import org.panamaipc.process.ProcessId;

import java.util.Objects;

/**
 * One endpoint attached to a ring channel, as {@link RingChannel#endpoints()} saw it: an immutable
 * snapshot of its slot in the channel's endpoint table, of any process. The counters are written by
 * the endpoint's owner without synchronisation, so while messages flow they may be a little behind.
 *
 * @param id       the endpoint's id: its slot in the table, and for a sender the
 *                 {@link MessageHeader#source()} of what it sends
 * @param role     whether it sends or receives
 * @param owner    the process it belongs to
 * @param alive    whether that process was alive when the snapshot was taken; a dead one's slot
 *                 stays until another endpoint retires it (a dead sender's, until what it claimed is
 *                 passed over)
 * @param blocking whether its {@link WaitStrategy} may sleep on the channel's futex
 * @param sleeping whether it was asleep on the futex (or about to be)
 * @param messages messages received (a receiver); 0 for a sender, which counts nothing per message
 * @param bytes    payload bytes received (a receiver); 0 for a sender
 * @param waits    times it found the ring full (a sender), or times it slept (a receiver)
 */
public record EndpointInfo(int id, Role role, ProcessId owner, boolean alive, boolean blocking, boolean sleeping,
                           long messages, long bytes, long waits) {

    /** Whether an endpoint sends or receives. */
    public enum Role {
        /** A {@link Sender}. */
        SENDER,
        /** A {@link Receiver}. */
        RECEIVER
    }

    /** Checks the arguments. */
    public EndpointInfo {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(owner, "owner");
    }
}
