package org.panamaipc.bench;

import java.io.EOFException;
import java.lang.foreign.MemorySegment;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a user would write without panama-ipc: a Unix-domain {@link SocketChannel} in blocking
 * mode, each message framed by a 4-byte length.
 */
public final class UnixSocketTransport implements Transport {

    @Override
    public String name() {
        return "unix-socket";
    }

    private static Path path(String id) {
        return Path.of(System.getProperty("java.io.tmpdir"), "pipc-bench-" + id + ".sock");
    }

    @Override
    public void tearDown(String id) {
        try {
            Files.deleteIfExists(path(id));
        } catch (Exception ignored) {
            // best effort
        }
    }

    @Override
    public Side open(String id, boolean ping) throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path(id));
        if (!ping) {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(address);
            return new StreamSide(null, server);
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(address);
        return new StreamSide(channel, null);
    }

    /**
     * A length-prefixed stream over a socket channel; the server side accepts on first use. A TCP
     * channel gets {@code TCP_NODELAY} on both sides (the client's caller sets it before connecting).
     */
    static final class StreamSide implements Side {
        private SocketChannel channel;
        private final ServerSocketChannel server;
        private final ByteBuffer header = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());

        StreamSide(SocketChannel channel, ServerSocketChannel server) {
            this.channel = channel;
            this.server = server;
        }

        private SocketChannel channel() throws Exception {
            if (channel == null) {
                channel = server.accept();
                if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
            }
            return channel;
        }

        @Override
        public void send(MemorySegment message, int length) throws Exception {
            SocketChannel c = channel();
            header.clear();
            header.putInt(0, length);
            ByteBuffer body = message.asSlice(0, length).asByteBuffer();
            ByteBuffer[] both = {header, body};
            long left = 4L + length;
            while (left > 0) {
                left -= c.write(both);
            }
        }

        @Override
        public int receive(MemorySegment buffer) throws Exception {
            SocketChannel c = channel();
            header.clear();
            readFully(c, header);
            int length = header.getInt(0);
            readFully(c, buffer.asSlice(0, length).asByteBuffer());
            return length;
        }

        private static void readFully(SocketChannel c, ByteBuffer b) throws Exception {
            while (b.hasRemaining()) {
                if (c.read(b) < 0) {
                    throw new EOFException("the other side closed the socket");
                }
            }
        }

        @Override
        public void close() throws Exception {
            if (channel != null) {
                channel.close();
            }
            if (server != null) {
                server.close();
            }
        }
    }
}
