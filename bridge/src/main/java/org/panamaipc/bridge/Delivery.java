package org.panamaipc.bridge;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.panamaipc.NotFoundException;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.Port;

import java.lang.foreign.MemorySegment;

/**
 * One export: what arrives on a stream of the listen channel goes into a local mailbox or port.
 *
 * <p><b>Back-pressure.</b> A message the local mailbox has no room for is left in Aeron's image
 * ({@link ControlledFragmentHandler.Action#ABORT}) and offered again at the next round: the image
 * stops advancing, Aeron's flow control stops the sending host, whose publication says
 * {@code BACK_PRESSURED}, whose forwarder stops taking from its stand-in, whose senders get
 * {@code FULL}. Nothing is dropped on the way.
 *
 * <p><b>Subscribed only while there is someone to deliver to.</b> The subscription is added once
 * the local mailbox or port can be opened (and a port's owner is there), and removed when a port's
 * owner has gone: the sending host's publication then loses its subscriber and closes its
 * stand-in port (see {@link Forwarder}). Every 50 ms it looks again whether the name is back.
 */
final class Delivery implements AutoCloseable {

    private static final long RETRY_NANOS = 50_000_000L;

    private final Aeron aeron;
    private final String listen;
    private final BridgeConfig.Export spec;
    private final ControlledFragmentHandler handler = this::onFragment;
    private Subscription subscription;
    private Mailbox<MemorySegment> target;
    private Port<MemorySegment> port;
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
        int work = subscription.controlledPoll(handler, 64);
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
        int valueLength = WireFormat.valueLength(buffer, offset, length);
        if (valueLength < 0) {
            malformed++;
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        MemorySegment value = MemorySegment.ofAddress(buffer.addressOffset() + offset + WireFormat.HEADER_LENGTH)
                .reinterpret(valueLength);
        long sent = target.trySend(value);
        if (sent == Mailbox.FULL || sent == Mailbox.CLOSED && port == null) {
            fullRetries++;
            return ControlledFragmentHandler.Action.ABORT;
        }
        if (sent == Mailbox.CLOSED) {
            gone = true;
            return ControlledFragmentHandler.Action.ABORT;
        }
        delivered++;
        return ControlledFragmentHandler.Action.CONTINUE;
    }

    @Override
    public void close() {
        try {
            if (subscription != null) {
                subscription.close();
            }
        } finally {
            subscription = null;
            if (target != null) {
                target.close();
            }
            target = null;
            port = null;
        }
    }
}
