package org.panamaipc.bridge;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.logbuffer.BufferClaim;
import org.agrona.concurrent.UnsafeBuffer;
import org.panamaipc.message.Header;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.Port;
import org.panamaipc.message.RecordHandler;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One import: a local stand-in mailbox or port that local senders send to, drained into an Aeron
 * publication to the remote bridge.
 *
 * <p><b>No silent drop.</b> A message leaves the local mailbox only to be written into Aeron: the
 * forwarder takes one message at a time and, if Aeron refuses it ({@code BACK_PRESSURED},
 * {@code NOT_CONNECTED}, {@code ADMIN_ACTION}), holds that one message and offers it again before
 * taking another. Meanwhile the local mailbox fills, and its senders get {@link Mailbox#FULL}
 * exactly as from a local mailbox whose receivers are slow. Order is kept: one thread takes the
 * messages in the mailbox's order and the held one goes first.
 *
 * <p><b>A remote port's owner gone.</b> For a port, the stand-in exists only while the
 * publication is connected: it is created when the remote bridge's subscription appears, and
 * closed by its owner (this bridge) when the publication loses its subscriber, so local senders
 * get {@link Mailbox#CLOSED} (or {@link org.panamaipc.message.PortGoneException}) at once from
 * then on, as from a local port whose owner closed it. Messages in the stand-in then are lost, as
 * a local port's are when its owner goes.
 */
final class Forwarder implements AutoCloseable {

    private final BridgeConfig.Import spec;
    private final ExclusivePublication publication;
    private final BufferClaim claim = new BufferClaim();
    private final UnsafeBuffer source = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer held;
    private final RecordHandler handler = this::onRecord;
    private int heldLength = -1;
    private Mailbox<MemorySegment> local;
    private boolean createdLocal;
    private boolean wasConnected;

    long forwarded;
    long refusals;
    long lostWithPort;
    long portCloses;

    Forwarder(Aeron aeron, BridgeConfig.Import spec) {
        this.spec = spec;
        this.publication = aeron.addExclusivePublication(spec.channel(), spec.streamId());
        this.held = new UnsafeBuffer(ByteBuffer.allocateDirect(publication.maxPayloadLength()));
        try {
            int given = spec.options().maxMessageLength();
            checkFits(given == 0 ? MailboxOptions.DEFAULT_MAX_MESSAGE_LENGTH : given);
            if (spec.kind() == BridgeConfig.Kind.MAILBOX) {
                local = Mailbox.openOrCreate(spec.name(), spec.options(), SegmentCodec.INSTANCE);
                createdLocal = local.created();
                checkFits(local.maxMessageLength());           // one that existed keeps its own
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void checkFits(int maxMessageLength) {
        if (maxMessageLength + WireFormat.HEADER_LENGTH > publication.maxPayloadLength()) {
            throw new IllegalArgumentException("maxMessageLength=" + maxMessageLength + " of " + spec.name()
                    + " does not fit one Aeron frame: at most " + (publication.maxPayloadLength() - WireFormat.HEADER_LENGTH)
                    + " bytes (raise the channel's mtu)");
        }
    }

    String name() {
        return spec.name();
    }

    boolean connected() {
        return publication.isConnected();
    }

    /** Forwards what it can now. {@return how much work it did} */
    int doWork() {
        if (spec.kind() == BridgeConfig.Kind.PORT && !followConnection()) {
            return 0;
        }
        if (heldLength >= 0) {
            long result = publication.offer(held, 0, heldLength);
            if (result < 0) {
                refusals++;
                return 0;
            }
            heldLength = -1;
            forwarded++;
        }
        int work = 0;
        while (work < 64 && local.poll(handler, 1) > 0) {
            work++;
            if (heldLength >= 0) {
                break;
            }
        }
        return work;
    }

    /** Creates or closes the stand-in port as the publication connects or loses its subscriber. {@return whether it is there} */
    private boolean followConnection() {
        boolean connected = publication.isConnected();
        if (connected && local == null) {
            local = Port.create(spec.name(), spec.options(), SegmentCodec.INSTANCE);
        } else if (!connected && wasConnected && local != null) {
            if (heldLength >= 0) {
                lostWithPort++;
                heldLength = -1;
            }
            portCloses++;
            local.close();
            local = null;
        }
        wasConnected = connected;
        return local != null;
    }

    private void onRecord(Header header, MemorySegment segment, long offset, int length) {
        int frameLength = WireFormat.HEADER_LENGTH + length;
        source.wrap(segment.address() + offset, length);
        if (publication.tryClaim(frameLength, claim) > 0) {
            var buffer = claim.buffer();
            int at = claim.offset();
            WireFormat.putHeader(buffer, at, header, length);
            buffer.putBytes(at + WireFormat.HEADER_LENGTH, source, 0, length);
            claim.commit();
            forwarded++;
        } else {
            WireFormat.putHeader(held, 0, header, length);
            held.putBytes(WireFormat.HEADER_LENGTH, source, 0, length);
            heldLength = frameLength;
            refusals++;
        }
    }

    /** Closes the publication and the stand-in; a stand-in mailbox this bridge created is removed. */
    @Override
    public void close() {
        try {
            if (local != null) {
                local.close();
                if (createdLocal) {
                    Mailbox.unlinkIfExists(spec.name());
                }
            }
        } finally {
            local = null;
            publication.close();
        }
    }
}
