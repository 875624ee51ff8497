package org.panamaipc.bridge;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.panamaipc.NotFoundException;
import org.panamaipc.message.ForwardingSender;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.Port;

import java.lang.foreign.MemorySegment;

/**
 * One export: what arrives on a stream of the listen channel goes into a local mailbox or port.
 *
 * <p><b>The original header.</b> Each message goes into the local mailbox with the header it
 * left its sender with ({@link ForwardingSender}): the receiver's {@code lastHeader()} names the
 * sender on the other host (its endpoint, pid, sequence and send time), not this bridge.
 *
 * <p><b>Batches.</b> A duty cycle polls up to {@link #FRAGMENT_LIMIT} Aeron frames, each holding
 * one or more messages ({@link WireFormat}), and hands their messages to the mailbox one after
 * the other without waiting.
 *
 * <p><b>Back-pressure.</b> A frame whose messages the local mailbox has no room for is left in
 * Aeron's image ({@link ControlledFragmentHandler.Action#ABORT}) and offered again at the next
 * round, with a note of how many of its messages went already (per image, by its session and the
 * frame's position), so that those are not delivered twice: the image stops advancing, Aeron's
 * flow control stops the sending host, whose publication says {@code BACK_PRESSURED}, whose
 * forwarder stops taking from its stand-in, whose senders get {@code FULL}. Nothing is dropped or
 * duplicated on the way.
 *
 * <p><b>Subscribed only while there is someone to deliver to.</b> The subscription is added once
 * the local mailbox or port can be opened (and a port's owner is there), and removed when a port's
 * owner has gone: the sending host's publication then loses its subscriber and closes its
 * stand-in port (see {@link Forwarder}). Every 50 ms it looks again whether the name is back.
 */
final class Delivery implements AutoCloseable {

    private static final long RETRY_NANOS = 50_000_000L;
    /** The most Aeron frames polled in one duty cycle. */
    static final int FRAGMENT_LIMIT = 32;

    private final Aeron aeron;
    private final String listen;
    private final BridgeConfig.Export spec;
    private final ControlledFragmentHandler handler = this::onFragment;
    private final WireFormat.Unpacker entry = new WireFormat.Unpacker();
    private Subscription subscription;
    private Mailbox<MemorySegment> target;
    private Port<MemorySegment> port;
    private ForwardingSender forward;
    /** The term buffer the last frame was in, as a segment to copy values from. */
    private long termAddress;
    private MemorySegment term;
    /** Frames delivered in part: the image's session, the frame's end position, how many of its messages went. */
    private int[] partSessions = new int[2];
    private long[] partPositions = new long[2];
    private int[] partDone = new int[2];
    private int parts;
    private long nextAttemptNanos;
    private boolean gone;

    long delivered;
    long fullRetries;
    long malformed;
    long ownerLosses;

    Delivery(Aeron aeron, String listen, BridgeConfig.Export spec) {
        this.aeron = aeron;
        this.listen = listen;
        this.spec = spec;
    }

    String name() {
        return spec.name();
    }

    boolean subscribed() {
        return subscription != null;
    }

    int doWork(long nowNanos) {
        if (target == null && !attach(nowNanos)) {
            return 0;
        }
        if (port != null && !port.ownerPresent()) {
            detach();
            return 1;
        }
        int work = subscription.controlledPoll(handler, FRAGMENT_LIMIT);
        if (gone) {
            detach();
        }
        return work;
    }

    private boolean attach(long nowNanos) {
        if (nowNanos < nextAttemptNanos) {
            return false;
        }
        nextAttemptNanos = nowNanos + RETRY_NANOS;
        try {
            if (spec.kind() == BridgeConfig.Kind.PORT) {
                port = Port.open(spec.name(), SegmentCodec.INSTANCE);
                if (!port.ownerPresent()) {
                    port.close();
                    port = null;
                    return false;
                }
                target = port;
            } else {
                target = Mailbox.open(spec.name(), SegmentCodec.INSTANCE);
            }
        } catch (NotFoundException e) {
            return false;
        }
        gone = false;
        forward = ForwardingSender.of(target);
        subscription = aeron.addSubscription(listen, spec.streamId());
        return true;
    }

    private void detach() {
        if (port != null) {
            ownerLosses++;
        }
        close();
    }

    private ControlledFragmentHandler.Action onFragment(DirectBuffer buffer, int offset, int length, Header header) {
        int count = WireFormat.validate(buffer, offset, length);
        if (count < 0) {
            malformed++;
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        if (buffer.addressOffset() != termAddress || term == null) {
            termAddress = buffer.addressOffset();
            term = MemorySegment.ofAddress(termAddress).reinterpret(buffer.capacity());
        }
        int done = parts == 0 ? 0 : resumeAt(header.sessionId(), header.position());
        entry.startFrame(buffer, offset);
        for (int i = 0; i < count; i++) {
            entry.next();
            if (i >= done) {
                long sent = forward.trySend(entry.type, entry.source, entry.sourcePid, entry.sequence, entry.sendTime,
                        term, entry.value, entry.length);
                if (sent < 0) {
                    if (sent == Mailbox.CLOSED && port != null) {
                        gone = true;
                    } else {
                        fullRetries++;                        // FULL, or a mailbox whose receivers have gone
                    }
                    if (i > 0) {
                        remember(header.sessionId(), header.position(), i);
                    }
                    return ControlledFragmentHandler.Action.ABORT;
                }
                delivered++;
            }
        }
        return ControlledFragmentHandler.Action.CONTINUE;
    }

    /** {@return how many messages of the frame ending at {@code position} went already}, forgetting the note */
    private int resumeAt(int session, long position) {
        for (int k = 0; k < parts; k++) {
            if (partSessions[k] == session) {
                int done = partPositions[k] == position ? partDone[k] : 0;
                parts--;
                partSessions[k] = partSessions[parts];
                partPositions[k] = partPositions[parts];
                partDone[k] = partDone[parts];
                return done;
            }
        }
        return 0;
    }

    /** Notes that the first {@code done} messages of the frame ending at {@code position} went. */
    private void remember(int session, long position, int done) {
        if (parts == partSessions.length) {
            partSessions = java.util.Arrays.copyOf(partSessions, parts * 2);
            partPositions = java.util.Arrays.copyOf(partPositions, parts * 2);
            partDone = java.util.Arrays.copyOf(partDone, parts * 2);
        }
        partSessions[parts] = session;
        partPositions[parts] = position;
        partDone[parts] = done;
        parts++;
    }

    @Override
    public void close() {
        try {
            if (subscription != null) {
                subscription.close();
            }
        } finally {
            subscription = null;
            parts = 0;
            term = null;
            if (forward != null) {
                forward.close();
            }
            forward = null;
            if (target != null) {
                target.close();
            }
            target = null;
            port = null;
        }
    }
}
