package org.panamaipc.rpc;

import org.panamaipc.MessageTooLongException;
import org.panamaipc.NotFoundException;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.codec.Codec;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.message.Header;
import org.panamaipc.message.Port;
import org.panamaipc.message.PortGoneException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A server's handles on its clients' reply ports, opened at a client's first request and kept
 * while the client lives. A janitor thread drops the handle of a client that has gone (one load of
 * its port's owner word every {@link #SWEEP}), and removes the reply port of a client that died
 * ({@code SIGKILL} included) from the name space, as it does for any reply port of this server
 * whose owner has gone (a client that died before its first call), every {@link #SCAN}. So a
 * client that dies leaves nothing in the server, nor in {@code /dev/shm}.
 */
final class ReplyPorts<R> implements AutoCloseable {

    static final Duration SWEEP = Duration.ofMillis(100);
    static final Duration SCAN = Duration.ofSeconds(1);
    private static final Path DEV_SHM = Path.of("/dev/shm");

    private final String server;
    private final RpcFrames.ReplyCodec<R> codec;
    private final WaitStrategy strategy;
    private final ConcurrentHashMap<Long, Entry<R>> ports = new ConcurrentHashMap<>();
    private final Thread janitor;
    private volatile boolean closed;

    private static final class Entry<R> {
        final String name;
        final Port<RpcFrames.Reply<R>> port;
        final ReentrantLock lock = new ReentrantLock();
        boolean closed;

        Entry(String name, Port<RpcFrames.Reply<R>> port) {
            this.name = name;
            this.port = port;
        }
    }

    ReplyPorts(String server, RpcFrames.ReplyCodec<R> codec, WaitStrategy strategy) {
        this.server = server;
        this.codec = codec;
        this.strategy = strategy;
        this.janitor = Thread.ofPlatform().daemon().name("pipc-rpc-janitor " + server).unstarted(this::sweepLoop);
        janitor.start();
    }

    /** {@return how many clients' reply ports the server holds now} */
    int size() {
        return ports.size();
    }

    /**
     * Sends {@code reply} to client {@code clientId}, waiting for room until {@code deadline}
     * ({@link Header#clockNanos()}; 0: as long as it takes, but never for a client that has gone).
     * A response longer than the client's reply port takes goes as an error instead.
     * {@return whether it went} (false: the client has gone, or the deadline passed)
     */
    boolean send(long clientId, RpcFrames.Reply<R> reply, long deadline) throws InterruptedException {
        Entry<R> entry = ports.get(clientId);
        if (entry == null) {
            entry = open(clientId);
            if (entry == null) {
                return false;
            }
        }
        entry.lock.lock();
        try {
            if (entry.closed) {
                return false;
            }
            long sent;
            try {
                sent = sendOnce(entry, reply, deadline);
            } catch (MessageTooLongException tooLong) {
                reply.status = RpcFrames.ERROR;
                reply.value = null;
                reply.errorType = MessageTooLongException.class.getName();
                reply.errorMessage = RpcFrames.truncate("the response's encoding of " + (tooLong.length() - RpcFrames.REPLY_HEADER)
                        + " bytes is longer than the " + (tooLong.maxLength() - RpcFrames.REPLY_HEADER)
                        + " the client's reply port takes", RpcFrames.MIN_REPLY_ROOM / 2);
                sent = sendOnce(entry, reply, deadline);
            }
            if (sent == Port.CLOSED) {
                evict(clientId, entry);
                return false;
            }
            return sent >= 0;
        } finally {
            entry.lock.unlock();
        }
    }

    private long sendOnce(Entry<R> entry, RpcFrames.Reply<R> reply, long deadline) throws InterruptedException {
        long sent = entry.port.trySend(reply);
        if (sent != Port.FULL) {
            return sent;
        }
        Duration wait = deadline == 0 ? Duration.ofSeconds(Long.MAX_VALUE)
                : Duration.ofNanos(Math.max(0, deadline - Header.clockNanos()));
        return entry.port.send(reply, wait);
    }

    private Entry<R> open(long clientId) {
        String name = RpcFrames.replyPortName(server, clientId);
        Port<RpcFrames.Reply<R>> port;
        try {
            port = Port.open(name, codec, strategy);
        } catch (NotFoundException | PortGoneException gone) {
            reclaim(name);
            return null;
        }
        Entry<R> entry = new Entry<>(name, port);
        Entry<R> raced = ports.putIfAbsent(clientId, entry);
        if (raced != null) {
            port.close();
            return raced;
        }
        if (closed) {
            evict(clientId, entry);
            return null;
        }
        return entry;
    }

    private void evict(long clientId, Entry<R> entry) {
        ports.remove(clientId, entry);
        boolean locked = entry.lock.tryLock();
        try {
            if (!locked) {
                entry.lock.lock();
            }
            if (!entry.closed) {
                entry.closed = true;
                entry.port.close();
            }
        } finally {
            entry.lock.unlock();
        }
        reclaim(entry.name);
    }

    /** Removes the reply port {@code name} if its owner has gone; leaves a live one alone. */
    private static void reclaim(String name) {
        try (Port<byte[]> port = Port.open(name, Codec.bytes())) {
            // its owner lives
        } catch (PortGoneException gone) {
            Port.unlinkIfExists(name);
        } catch (RuntimeException notThereOrNotReady) {
            // removed meanwhile, or a client still creating it: the next scan looks again
        }
    }

    private void sweepLoop() {
        long nextScan = System.nanoTime();
        while (!closed) {
            try {
                Thread.sleep(SWEEP);
            } catch (InterruptedException e) {
                return;
            }
            ports.forEach((id, entry) -> {
                if (!entry.port.ownerPresent()) {
                    evict(id, entry);
                }
            });
            if (Timeouts.passed(nextScan)) {
                scanForOrphans();
                nextScan = System.nanoTime() + SCAN.toNanos();
            }
        }
    }

    /** Removes reply ports of this server in {@code /dev/shm} whose owners have gone; those it holds it knows live. */
    private void scanForOrphans() {
        String prefix = server.substring(1) + ".c";
        try (DirectoryStream<Path> names = Files.newDirectoryStream(DEV_SHM, prefix + "*")) {
            for (Path path : names) {
                String file = path.getFileName().toString();
                String id = file.substring(prefix.length());
                if (isClientId(id) && !closed && !ports.containsKey(Long.parseUnsignedLong(id, 16))) {
                    reclaim("/" + file);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // no /dev/shm to read: dead clients' ports stay until someone removes them
        }
    }

    private static boolean isClientId(String text) {
        if (text.isEmpty() || text.length() > 16) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Stops the janitor and closes every handle; never removes a live client's port. */
    @Override
    public void close() {
        closed = true;
        janitor.interrupt();
        try {
            janitor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ports.forEach(this::evict);
    }
}
