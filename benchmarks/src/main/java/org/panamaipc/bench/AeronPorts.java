package org.panamaipc.bench;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two loopback UDP ports of an Aeron run ({@code aeron}, {@code bridge}): chosen free by the
 * harness in {@code setUp} and written to a file under {@code java.io.tmpdir} that both peers read.
 * Index 0 is where the ping side receives, 1 the pong side.
 */
final class AeronPorts {

    /** The stream id of every run. */
    static final int STREAM = 1001;

    private AeronPorts() {
    }

    static Path file(String id) {
        return Path.of(System.getProperty("java.io.tmpdir"), "pipc-bench-" + id + "-aeron.ports");
    }

    static void choose(String id) throws IOException {
        Files.writeString(file(id), free() + " " + free());
    }

    static int[] read(String id) throws IOException {
        String[] words = Files.readString(file(id)).strip().split(" ");
        return new int[] {Integer.parseInt(words[0]), Integer.parseInt(words[1])};
    }

    static void remove(String id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            // a file in the temporary directory
        }
        org.panamaipc.bridge.EmbeddedDriver.removeOrphans();
    }

    static String channel(int port) {
        return "aeron:udp?endpoint=localhost:" + port;
    }

    private static int free() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static org.panamaipc.bridge.BridgeConfig.Idle idle(String name) {
        return org.panamaipc.bridge.BridgeConfig.Idle.valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
