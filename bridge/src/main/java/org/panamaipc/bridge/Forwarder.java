package org.panamaipc.bridge;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import org.agrona.concurrent.UnsafeBuffer;
import org.panamaipc.message.Header;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.Port;
import org.panamaipc.message.RecordHandler;
import org.panamaipc.message.Transport;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One import: a local stand-in mailbox or port that local senders send to, drained into an Aeron
 * publication to the remote bridge. The bridge is the stand-in's one receiver: a stand-in port is
 * its own, a stand-in mailbox on a ring it creates takes one receiver at a time
 * ({@link #standInOptions}).
 *
 * <p><b>Batches.</b> A duty cycle takes up to {@link #BATCH} messages from the stand-in at once,
 * packs them, with their headers, into as few Aeron frames as they fit ({@link WireFormat}), and
 * offers those one after the other without waiting in between; it goes on so for up to
 * {@link #ROUNDS} batches while the stand-in has messages and Aeron takes them. The last frame of a
 * batch stays open while the stand-in has more to give, and the next batch fills it: a frame goes
 * to Aeron when it is full or when the stand-in is empty, so a steady stream travels in full frames
 * (a datagram each, with the default MTU) and a lone message leaves at once in a frame of its own.
 *
 * <p><b>No silent drop.</b> A message leaves the local mailbox only into this forwarder's pending
 * frames, and a pending frame leaves only into Aeron: if Aeron refuses one ({@code BACK_PRESSURED},
 * {@code NOT_CONNECTED}, {@code ADMIN_ACTION}), the forwarder holds it and the frames after it and
 * offers them again, first, before it takes another message from the stand-in (the last of them,
 * if it has room, takes more messages before it goes). Meanwhile the local mailbox fills, and its
 * senders get {@link Mailbox#FULL} exactly as from a local mailbox whose receivers are slow. Order
 * is kept: one thread takes the messages in the mailbox's order, frames keep it, and held frames
 * go first.
 *
 * <p><b>A remote port's owner gone.</b> For a port, the stand-in exists only while the
 * publication is connected: it is created when the remote bridge's subscription appears, and
 * closed by its owner (this bridge) when the publication loses its subscriber, so local senders
 * get {@link Mailbox#CLOSED} (or {@link org.panamaipc.message.PortGoneException}) at once from
 * then on, as from a local port whose owner closed it. Messages in the stand-in then are lost, as
 * a local port's are when its owner goes, and so are those held in pending frames (counted).
 */
final class Forwarder implements AutoCloseable {

    /** The most messages taken from the stand-in at once, packed into frames before they are offered. */
    static final int BATCH = 64;
    /** Batches per duty cycle at most: a duty cycle forwards up to {@code ROUNDS * BATCH} messages. */
    static final int ROUNDS = 16;

    private final BridgeConfig.Import spec;
    private final ExclusivePublication publication;
    private final int maxPayload;
    private final UnsafeBuffer source = new UnsafeBuffer(0, 0);
    /**
     * Frames taken but not yet accepted by Aeron: when a batch is taken, at most the open frame
     * (moved to the start), and then the batch's {@link #BATCH} messages after it.
     */
    private UnsafeBuffer pending;
    private final int[] frameStarts = new int[BATCH + 2];
    private int frames;
    private int nextFrame;
    private int pendingLength;
    private final WireFormat.Packer packer = new WireFormat.Packer();
    private final RecordHandler handler = this::onRecord;
    private Mailbox<MemorySegment> local;
    private boolean createdLocal;
    private boolean wasConnected;

    long forwarded;
    long framesSent;
    long refusals;
    long lostWithPort;
    long portCloses;

    Forwarder(Aeron aeron, BridgeConfig.Import spec) {
        this.spec = spec;
        this.publication = aeron.addExclusivePublication(spec.channel(), spec.streamId());
        this.maxPayload = publication.maxPayloadLength();
        try {
            int given = spec.options().maxMessageLength();
            int maxLength = given == 0 ? MailboxOptions.DEFAULT_MAX_MESSAGE_LENGTH : given;
            checkFits(maxLength);
            if (spec.kind() == BridgeConfig.Kind.MAILBOX) {
                local = Mailbox.openOrCreate(spec.name(), standInOptions(spec.options()), SegmentCodec.INSTANCE);
                createdLocal = local.created();
                local.attachReceiver();         // now: a stand-in another handle holds fails the start, not the thread
                maxLength = local.maxMessageLength();
                checkFits(maxLength);           // one that existed keeps its own
            }
            // the worst case: the open frame, full, then every message of a batch in a frame of its own
            pending = new UnsafeBuffer(ByteBuffer.allocateDirect(maxPayload
                    + BATCH * (WireFormat.HEADER_LENGTH + maxLength)));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * {@return the options a stand-in mailbox is created with} On a ring, {@link MailboxOptions#withSingleReceiver()}:
     * the bridge is its only receiver, so a local process that tries to take the remote mailbox's
     * messages (or a second bridge that imports the same name) is refused rather than served, and
     * the bridge reads each message in place, with no compare-and-set. One that existed keeps its own.
     */
    static MailboxOptions standInOptions(MailboxOptions options) {
        return options.transport() == Transport.RING ? options.withSingleReceiver() : options;
    }

    private void checkFits(int maxMessageLength) {
        // Aeron's payload is below 64 KiB (its largest MTU is 65504 bytes), so the length fits an entry's 16 bits
        if (maxMessageLength + WireFormat.HEADER_LENGTH > publication.maxPayloadLength() || maxMessageLength > 0xFFFF) {
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
        long framesBefore = framesSent;
        int work = 0;
        if (offerFull()) {                                   // else Aeron pushes back: take nothing more
            for (int round = 0; round < ROUNDS; round++) {
                int taken = local.poll(handler, BATCH);      // EMPTY (< 0) when there is none
                if (taken < BATCH) {                         // the stand-in is empty: the open frame goes too
                    work += Math.max(taken, 0);
                    offerPending(frames);
                    break;
                }
                work += taken;
                if (!offerFull()) {
                    break;
                }
            }
        }
        return work + (int) (framesSent - framesBefore);
    }

    /**
     * Offers the pending frames but the last if more messages may still fill it (it has room for
     * an entry), and moves that one to the start of the buffer. {@return whether Aeron took the others}
     */
    private boolean offerFull() {
        if (frames == 0) {
            return true;
        }
        boolean lastHasRoom = pendingLength - frameStarts[frames - 1] + WireFormat.MIN_ENTRY_HEADER_LENGTH <= maxPayload;
        if (!offerPending(lastHasRoom ? frames - 1 : frames)) {
            return false;
        }
        if (frames == 0) {
            return true;
        }
        int start = frameStarts[nextFrame];
        if (start > 0) {
            pending.putBytes(0, pending, start, pendingLength - start);
            pendingLength -= start;
        }
        frameStarts[0] = 0;
        frames = 1;
        nextFrame = 0;
        return true;
    }

    /**
     * Offers the pending frames in order, up to frame {@code end} (exclusive), until Aeron refuses
     * one. {@return whether they all went}
     */
    private boolean offerPending(int end) {
        while (nextFrame < end) {
            int start = frameStarts[nextFrame];
            int stop = nextFrame + 1 < frames ? frameStarts[nextFrame + 1] : pendingLength;
            if (publication.offer(pending, start, stop - start) < 0) {
                refusals++;
                return false;
            }
            forwarded += WireFormat.count(pending, start);
            framesSent++;
            nextFrame++;
        }
        if (nextFrame == frames) {
            frames = 0;
            nextFrame = 0;
            pendingLength = 0;
        }
        return true;
    }

    /** Creates or closes the stand-in port as the publication connects or loses its subscriber. {@return whether it is there} */
    private boolean followConnection() {
        boolean connected = publication.isConnected();
        if (connected && local == null) {
            local = Port.create(spec.name(), spec.options(), SegmentCodec.INSTANCE);
        } else if (!connected && wasConnected && local != null) {
            for (; nextFrame < frames; nextFrame++) {
                lostWithPort += WireFormat.count(pending, frameStarts[nextFrame]);
            }
            frames = 0;
            nextFrame = 0;
            pendingLength = 0;
            portCloses++;
            local.close();
            local = null;
        }
        wasConnected = connected;
        return local != null;
    }

    /**
     * Appends a message to the last pending frame, its header written against the entry before
     * it there, or to a new frame, its header written whole, if it does not fit.
     */
    private void onRecord(Header header, MemorySegment segment, long offset, int length) {
        int flags = packer.flags(header);
        if (frames == 0 || pendingLength - frameStarts[frames - 1] + WireFormat.headerLength(flags) + length > maxPayload) {
            frameStarts[frames++] = pendingLength;
            WireFormat.putFrameHeader(pending, pendingLength);
            pendingLength += WireFormat.FRAME_HEADER_LENGTH;
            packer.startFrame();
            flags = 0;
        }
        int value = packer.put(pending, pendingLength, flags, length, header);
        source.wrap(segment.address() + offset, length);
        pending.putBytes(value, source, 0, length);
        WireFormat.addEntry(pending, frameStarts[frames - 1]);
        pendingLength = value + length;
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
