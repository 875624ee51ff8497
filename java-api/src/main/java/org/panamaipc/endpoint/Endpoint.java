package org.panamaipc.endpoint;

import org.panamaipc.NotFoundException;
import org.panamaipc.Outcome;
import org.panamaipc.PeerGoneException;
import org.panamaipc.codec.Codec;
import org.panamaipc.message.EnvelopeDescriptor;
import org.panamaipc.message.Header;
import org.panamaipc.message.Port;
import org.panamaipc.message.PortGoneException;
import org.panamaipc.message.RecordHandler;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A name this process holds in an {@link EndpointRegistry}, with the {@link Port} that receives
 * what is sent to it: the receiving end of direct communication, and a sender that addresses
 * other endpoints by name ({@link #send(String, Object)}) or replies to the endpoint a message
 * came from ({@link #reply(long, Object)} with {@link Header#replyTo()}).
 *
 * {@snippet lang=java :
 * try (Endpoint<Text> me = registry.register("alice", TEXTS)) {
 *     me.send("bob", new Text("hello"));                       // by name
 *     Text answer = me.receive(Duration.ofSeconds(5));
 *     me.reply(me.lastHeader().replyTo(), new Text("thanks")); // to whoever sent the answer
 * }
 * }
 *
 * <p>Every message this endpoint sends carries its address ({@link #address()}: its registry
 * entry and registration), so the receiver can reply without knowing its name;
 * {@link #nameOf(long)} tells the name. The ports of other endpoints are opened at the first send
 * to them and kept; a port whose holder has gone is dropped, and a send by name then tries the
 * name's new holder, if there is one, once.
 *
 * <p>Sends and receives come in the three forms of a {@link org.panamaipc.message.Mailbox}, with
 * its results: a send returns the sequence number, {@link #FULL} or {@link #CLOSED} (the
 * endpoint sent to has gone); the blocking send throws
 * {@link PortGoneException} instead of returning {@code CLOSED}. A send to a name nobody holds is
 * a {@link NotFoundException}. Receiving is the port's: the in-place forms return how many
 * ({@code >= 1}) or {@link #EMPTY}, never 0 and never {@code CLOSED}. Used by one thread at a time;
 * {@link #close()} frees the name and removes the port.
 *
 * @param <T> the type of the values
 */
public final class Endpoint<T> implements AutoCloseable {

    /** No room at the receiver (now, or within the timeout): {@link Outcome#FULL}. */
    public static final long FULL = Outcome.FULL;
    /** The endpoint sent to has gone: {@link Outcome#CLOSED}. */
    public static final long CLOSED = Outcome.CLOSED;
    /** Nothing to receive (now, or within the timeout): {@link Outcome#EMPTY}. */
    public static final int EMPTY = Outcome.EMPTY;

    private static final Duration TRY = null;
    private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);
    private static final int REPLY_PORTS = 16;

    private final EndpointRegistry registry;
    private final String name;
    private final int entry;
    private final int sequence;
    private final Port<T> port;
    private final Codec<T> codec;
    private final Map<String, Port<T>> byName = new HashMap<>();
    private final long[] replyAddresses = new long[REPLY_PORTS];
    @SuppressWarnings("unchecked")
    private final Port<T>[] replyPorts = new Port[REPLY_PORTS];
    private int nextReplySlot;
    private boolean closed;

    Endpoint(EndpointRegistry registry, String name, int entry, int sequence, Port<T> port) {
        this.registry = registry;
        this.name = name;
        this.entry = entry;
        this.sequence = sequence;
        this.port = port;
        this.codec = port.codec();
    }

    /** {@return the name this endpoint holds} */
    public String name() {
        return name;
    }

    /** {@return the registry it is registered in} */
    public EndpointRegistry registry() {
        return registry;
    }

    /** {@return this endpoint's address, which every message it sends carries as {@link Header#replyTo()}} */
    public long address() {
        return EnvelopeDescriptor.replyTo(entry, sequence);
    }

    /** {@return the port that receives what is sent to this endpoint} */
    public Port<T> port() {
        return port;
    }

    // receiving: the port's

    /** {@return the next value if one is there now, or {@code null}} See {@link Port#tryReceive()}. */
    public T tryReceive() {
        return port.tryReceive();
    }

    /** {@return the next value, waiting as long as it takes} See {@link Port#receive()}. */
    public T receive() throws InterruptedException {
        return port.receive();
    }

    /** {@return the next value, waiting at most {@code timeout}, or {@code null}} See {@link Port#receive(Duration)}. */
    public T receive(Duration timeout) throws InterruptedException {
        return port.receive(timeout);
    }

    /** Hands waiting messages to {@code handler} in place; see {@link Port#poll(RecordHandler, int)}. */
    public int poll(RecordHandler handler, int limit) {
        return port.poll(handler, limit);
    }

    /** See {@link Port#receive(RecordHandler, int)}. */
    public int receive(RecordHandler handler, int limit) throws InterruptedException {
        return port.receive(handler, limit);
    }

    /** See {@link Port#receive(RecordHandler, int, Duration)}. */
    public int receive(RecordHandler handler, int limit, Duration timeout) throws InterruptedException {
        return port.receive(handler, limit, timeout);
    }

    /** {@return the header of the message last received} */
    public Header lastHeader() {
        return port.lastHeader();
    }

    // sending by name

    /**
     * Sends {@code value} to the endpoint named {@code to} if there is room now.
     * {@return the sequence number, or {@link #FULL}, or {@link #CLOSED}}
     *
     * @throws NotFoundException if no live process holds {@code to}
     */
    public long trySend(String to, T value) {
        try {
            return sendTo(to, value, TRY);
        } catch (InterruptedException e) {
            throw new AssertionError("a try form does not wait", e);
        }
    }

    /**
     * Sends {@code value} to the endpoint named {@code to}, waiting for room as long as it takes.
     * {@return the sequence number}
     *
     * @throws PortGoneException if its holder has gone
     * @throws NotFoundException if no live process holds {@code to}
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public long send(String to, T value) throws InterruptedException {
        return sendTo(to, value, FOREVER);
    }

    /**
     * Sends {@code value} to the endpoint named {@code to}, waiting at most {@code timeout}.
     * {@return the sequence number, or {@link #FULL}, or {@link #CLOSED}}
     *
     * @throws NotFoundException if no live process holds {@code to}
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public long send(String to, T value, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return sendTo(to, value, timeout);
    }

    private long sendTo(String to, T value, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(value, "value");
        ensureOpen();
        Port<T> target = byName.get(to);
        if (target == null) {
            target = open(to);
        }
        try {
            long sent = dispatch(target, value, timeout);
            if (sent != CLOSED) {
                return sent;
            }
        } catch (PortGoneException gone) {
            forget(to, target);
            if (registry.holder(to) == null) {
                throw gone;
            }
            return dispatch(open(to), value, timeout); // the name has a new holder
        }
        forget(to, target);
        return registry.holder(to) == null ? CLOSED : dispatch(open(to), value, timeout);
    }

    private Port<T> open(String to) {
        Port<T> target = registry.lookup(to, codec);
        target.replyTo(address());
        byName.put(to, target);
        return target;
    }

    private void forget(String to, Port<T> target) {
        byName.remove(to, target);
        target.close();
    }

    private long dispatch(Port<T> target, T value, Duration timeout) throws InterruptedException {
        if (timeout == TRY) {
            return target.trySend(value);
        }
        return timeout == FOREVER ? target.send(value) : target.send(value, timeout);
    }

    // replying

    /**
     * Sends {@code value} to the endpoint at {@code address} (a message's {@link Header#replyTo()})
     * if there is room now. {@return the sequence number, or {@link #FULL}, or {@link #CLOSED} if
     * that endpoint has gone}
     *
     * @throws IllegalArgumentException if {@code address} is {@link Header#NO_REPLY}: the sender
     *         has no named endpoint
     */
    public long tryReply(long address, T value) {
        try {
            return replyTo(address, value, TRY);
        } catch (InterruptedException e) {
            throw new AssertionError("a try form does not wait", e);
        }
    }

    /**
     * Sends {@code value} to the endpoint at {@code address}, waiting for room as long as it
     * takes. {@return the sequence number}
     *
     * @throws PeerGoneException if that endpoint has gone ({@link PortGoneException} if its
     *         holder went while its port was open here)
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public long reply(long address, T value) throws InterruptedException {
        long sent = replyTo(address, value, FOREVER);
        if (sent == CLOSED) {
            throw new PeerGoneException("reply to", "endpoint at entry " + EnvelopeDescriptor.replyEntry(address)
                    + " of registry " + registry.name(), "it has unregistered or its process died");
        }
        return sent;
    }

    /**
     * Sends {@code value} to the endpoint at {@code address}, waiting at most {@code timeout}.
     * {@return the sequence number, or {@link #FULL}, or {@link #CLOSED} if that endpoint has gone}
     */
    public long reply(long address, T value, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return replyTo(address, value, timeout);
    }

    private long replyTo(long address, T value, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(value, "value");
        ensureOpen();
        if (address == Header.NO_REPLY) {
            throw new IllegalArgumentException("address=NO_REPLY: the message's sender has no named endpoint to reply to"
                    + " (it sent through a port it looked up, or through a mailbox)");
        }
        Port<T> target = replyPort(address);
        if (target == null) {
            return CLOSED;
        }
        long sent = dispatch(target, value, timeout);
        if (sent == CLOSED) {
            dropReplyPort(address);
        }
        return sent;
    }

    private Port<T> replyPort(long address) {
        for (int i = 0; i < REPLY_PORTS; i++) {
            if (replyPorts[i] != null && replyAddresses[i] == address) {
                return replyPorts[i];
            }
        }
        RegistryTable.Entry holder = registry.entryAt(EnvelopeDescriptor.replyEntry(address),
                EnvelopeDescriptor.replySequence(address));
        if (holder == null || !holder.owner().isAlive()) {
            return null;
        }
        Port<T> target;
        try {
            target = Port.open(registry.portName(holder.name()), codec);
        } catch (NotFoundException | PortGoneException gone) {
            return null;
        }
        target.replyTo(address());
        int slot = nextReplySlot;
        nextReplySlot = (nextReplySlot + 1) % REPLY_PORTS;
        if (replyPorts[slot] != null) {
            replyPorts[slot].close();
        }
        replyAddresses[slot] = address;
        replyPorts[slot] = target;
        return target;
    }

    private void dropReplyPort(long address) {
        for (int i = 0; i < REPLY_PORTS; i++) {
            if (replyPorts[i] != null && replyAddresses[i] == address) {
                replyPorts[i].close();
                replyPorts[i] = null;
            }
        }
    }

    /**
     * {@return the name of the endpoint at {@code address}, or {@code null} if it has gone or the
     * address is {@link Header#NO_REPLY}}
     */
    public String nameOf(long address) {
        if (address == Header.NO_REPLY) {
            return null;
        }
        RegistryTable.Entry holder = registry.entryAt(EnvelopeDescriptor.replyEntry(address),
                EnvelopeDescriptor.replySequence(address));
        return holder == null ? null : holder.name();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("endpoint " + name + " of registry " + registry.name() + " is closed");
        }
    }

    /** Frees the name, removes the port (senders fail from then on), and closes the ports opened to others. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            registry.unregister(entry, sequence);
        } finally {
            port.close();
            byName.values().forEach(Port::close);
            byName.clear();
            for (int i = 0; i < REPLY_PORTS; i++) {
                if (replyPorts[i] != null) {
                    replyPorts[i].close();
                    replyPorts[i] = null;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Endpoint[" + name + " in " + registry.name() + ", entry " + entry + "]";
    }
}
