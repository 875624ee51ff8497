package org.panamaipc.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What a user would write across machines and then use on one: a TCP {@link SocketChannel} over
 * loopback ({@code 127.0.0.1} only) with {@code TCP_NODELAY}, blocking, each message framed by a
 * 4-byte length as in {@link UnixSocketTransport}. The pong listens on an ephemeral port and writes
 * it to a file in {@code java.io.tmpdir}, from which the ping reads it.
 */
public final class TcpTransport implements Transport {

    @Override
    public String name() {
        return "tcp";
    }

    private static Path portFile(String id) {
        return Path.of(System.getProperty("java.io.tmpdir"), "pipc-bench-" + id + ".port");
    }

    @Override
    public void tearDown(String id) {
        MappedFiles.deleteQuietly(portFile(id));
        MappedFiles.deleteQuietly(Path.of(portFile(id) + ".tmp"));
    }

    @Override
    public Side open(String id, boolean ping) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        if (!ping) {
            ServerSocketChannel server = ServerSocketChannel.open();
            try {
                server.bind(new InetSocketAddress(loopback, 0), 1);
                int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                Path tmp = Path.of(portFile(id) + ".tmp");
                Files.writeString(tmp, Integer.toString(port), StandardCharsets.US_ASCII);
                Files.move(tmp, portFile(id), StandardCopyOption.ATOMIC_MOVE);
            } catch (Exception e) {
                server.close();
                throw e;
            }
            return new UnixSocketTransport.StreamSide(null, server);
        }
        int port = Integer.parseInt(Files.readString(portFile(id), StandardCharsets.US_ASCII).trim());
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress(loopback, port));
        } catch (Exception e) {
            channel.close();
            throw e;
        }
        return new UnixSocketTransport.StreamSide(channel, null);
    }
}
