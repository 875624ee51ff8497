package org.panamaipc.cli;

import org.panamaipc.IpcException;
import org.panamaipc.channel.ChannelDescriptor;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RecordDescriptor;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.MessageQueueLimits;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.pipe.NamedPipe;
import org.panamaipc.pipe.PipeReader;
import org.panamaipc.pipe.PipeWriter;
import org.panamaipc.shm.Seal;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.socket.Attachments;
import org.panamaipc.socket.DescriptorServer;
import org.panamaipc.socket.DescriptorSocket;
import org.panamaipc.socket.PeerCredentials;
import org.panamaipc.socket.Received;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;

/**
 * The per-transport part of {@code ipc doctor}: for each transport, what it needs from the
 * machine, the limits it will meet here, and a check that it works, made in this process on
 * objects of its own that it removes. The futex check across two JVMs stays in
 * {@link DoctorCommand}.
 */
final class TransportChecks {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final byte[] PROBE = "ipc doctor".getBytes(StandardCharsets.UTF_8);

    private TransportChecks() {
    }

    /** {@return a name for an object of the checks: {@code /pipc-doctor-PID-LABEL}} */
    private static String name(String label) {
        return "/pipc-doctor-" + ProcessHandle.current().pid() + "-" + label;
    }

    /** Ring channels: /dev/shm, futexes and membarrier; capacity, message and endpoint limits; one message through. */
    static void ringChannels(Report report) {
        report.section("Ring channels");
        report.info("needs", "POSIX shared memory (/dev/shm, above), shared futexes, and for blocking\n"
                + "endpoints membarrier(MEMBARRIER_CMD_GLOBAL) (Linux 4.16+; kernel here: " + kernel() + ")");
        int[] version = kernelVersion();
        if (version[0] > 0 && (version[0] < 4 || version[0] == 4 && version[1] < 16)) {
            report.warn("membarrier", "Linux " + kernel() + " is older than 4.16: a blocking endpoint's first sleep is "
                    + "bounded instead of ordered by membarrier");
        }
        report.info("limits", "capacity a power of two from " + Human.bytes(ChannelOptions.MIN_CAPACITY)
                + " (default " + Human.bytes(ChannelOptions.DEFAULT_CAPACITY) + "), taken from /dev/shm;\n"
                + "messages up to capacity / 2 - " + RecordDescriptor.HEADER_LENGTH + " B (default "
                + Human.bytes(ChannelOptions.DEFAULT_MAX_MESSAGE_LENGTH) + "); up to "
                + ChannelDescriptor.MAX_ENDPOINT_SLOTS + " endpoints attached at once (default "
                + ChannelOptions.DEFAULT_ENDPOINT_SLOTS + ")");
        String name = name("ring");
        try (RingChannel ring = RingChannel.create(name, ChannelOptions.of(ChannelType.MPSC).capacity(4096));
             Receiver receiver = ring.receiver(WaitStrategy.blocking(), false);
             Sender sender = ring.sender(WaitStrategy.blocking())) {
            long sequence = sender.send(1, PROBE, WAIT);
            byte[] got = receiver.receiveBytes(WAIT);
            if (sequence < 0 || got == null || !Arrays.equals(got, PROBE)) {
                report.fail("works", "a message sent through a ring in this process did not come back (send returned "
                        + sequence + ")");
            } else {
                report.ok("works", "yes (OK: one message through a " + Human.bytes(ring.capacity())
                        + " MPSC ring, blocking sender and receiver)");
            }
        } catch (IpcException | IllegalStateException e) {
            report.fail("works", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.fail("works", "interrupted");
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    /** Message queues: one message each way through a queue of the defaults. */
    static void messageQueueCheck(Report report) {
        MessageQueueLimits limits = MessageQueueLimits.current();
        if (limits.effectiveMsgMax() < 1 || limits.effectiveMsgsizeMax() < 1) {
            return; // no queues on this kernel: the rows above say so
        }
        String name = name("mq");
        int depth = (int) Math.min(10, limits.effectiveMsgMax());
        int size = (int) Math.min(8192, limits.effectiveMsgsizeMax());
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(depth, size))) {
            queue.send(PROBE, 3, WAIT);
            Message message = queue.receive(WAIT);
            if (message == null || !Arrays.equals(message.payload(), PROBE) || message.priority() != 3) {
                report.fail("works", "a message sent to a queue did not come back as sent");
            } else {
                report.ok("works", "yes (OK: one message through a queue of " + depth + " messages of up to "
                        + Human.bytes(size) + ")");
            }
        } catch (IpcException e) {
            report.fail("works", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.fail("works", "interrupted");
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    /** Named pipes: mkfifo in the temporary directory; the pipe buffer and atomic writes. */
    static void namedPipes(Report report) {
        report.section("Named pipes (FIFOs)");
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        report.info("needs", "a directory where this user may create files, such as " + dir);
        report.info("limits", "a pipe buffers 64 KiB by default (fs.pipe-max-size: " + proc("/proc/sys/fs/pipe-max-size")
                + " bytes);\nwrites of up to 4096 bytes (PIPE_BUF) are atomic");
        Path path = dir.resolve("pipc-doctor-" + ProcessHandle.current().pid() + ".fifo");
        try (NamedPipe pipe = NamedPipe.create(path);
             PipeReader reader = pipe.tryOpenReader();
             PipeWriter writer = pipe.tryOpenWriter()) {
            if (writer == null) {
                report.fail("works", "the writer did not open although a reader is there");
                return;
            }
            writer.write(ByteBuffer.wrap(PROBE));
            ByteBuffer buffer = ByteBuffer.allocate(PROBE.length);
            while (buffer.hasRemaining() && reader.read(buffer, WAIT) > 0) {
                // until the probe is in
            }
            if (buffer.hasRemaining() || !Arrays.equals(buffer.array(), PROBE)) {
                report.fail("works", "bytes written to a FIFO did not come back");
            } else {
                report.ok("works", "yes (OK: bytes through a FIFO in " + dir + ")");
            }
        } catch (IpcException | IOException e) {
            report.fail("works", e.getMessage());
        } finally {
            NamedPipe.unlinkIfExists(path);
        }
    }

    /** Unix-domain sockets: a descriptor passed, and the peer's credentials. */
    static void descriptorPassing(Report report) {
        report.section("Unix sockets and descriptor passing");
        report.info("needs", "AF_UNIX SOCK_SEQPACKET sockets, SCM_RIGHTS and SO_PEERCRED (any Linux), and a directory\n"
                + "for the socket file");
        report.info("limits", "up to " + DescriptorSocket.MAX_DESCRIPTORS + " descriptors and "
                + Human.bytes(DescriptorSocket.MAX_PAYLOAD) + " of payload per message; socket paths up to 107 bytes;\n"
                + "open descriptors per process (ulimit -n): " + limit("Max open files"));
        Path path = Path.of(System.getProperty("java.io.tmpdir"), "pipc-doctor-" + ProcessHandle.current().pid() + ".sock");
        try (SharedMemory memory = SharedMemory.anonymous(4096);
             DescriptorServer server = DescriptorServer.create(path);
             DescriptorSocket client = DescriptorSocket.open(path);
             DescriptorSocket accepted = server.accept(WAIT)) {
            if (accepted == null) {
                report.fail("works", "the server did not accept within " + Human.duration(WAIT));
                return;
            }
            memory.segment().set(ValueLayout.JAVA_INT, 0, 42);
            accepted.send(ByteBuffer.wrap(PROBE), Attachments.of(memory), WAIT);
            try (Received received = client.receive(WAIT)) {
                if (received == null) {
                    report.fail("works", "nothing arrived within " + Human.duration(WAIT));
                    return;
                }
                try (SharedMemory passed = received.takeSharedMemory(0)) {
                    PeerCredentials peer = accepted.peer();
                    if (passed.segment().get(ValueLayout.JAVA_INT, 0) != 42 || peer.pid() != ProcessHandle.current().pid()) {
                        report.fail("works", "the memory passed, or the peer's credentials, are not what was sent");
                    } else {
                        report.ok("works", "yes (OK: anonymous memory passed over a socket; the peer is pid "
                                + peer.pid() + ", uid " + peer.uid() + ")");
                    }
                }
            }
        } catch (IpcException | IllegalStateException e) {
            report.fail("works", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.fail("works", "interrupted");
        } finally {
            DescriptorServer.unlinkIfExists(path);
        }
    }

    /** Anonymous memory: memfd_create and its seals. */
    static void anonymousMemory(Report report) {
        report.section("Anonymous memory (memfd)");
        report.info("needs", "memfd_create with seals (Linux 3.17+), and F_SEAL_FUTURE_WRITE (Linux 5.1+) to hand it\n"
                + "out read-only; it counts against /dev/shm's size like named memory");
        try (SharedMemory memory = SharedMemory.anonymous(4096,
                EnumSet.of(Seal.SHRINK, Seal.GROW, Seal.FUTURE_WRITE, Seal.SEAL))) {
            report.ok("works", "yes (OK: 4 KiB sealed " + memory.seals() + ")");
        } catch (IpcException | IllegalArgumentException e) {
            report.fail("works", e.getMessage());
        }
    }

    private static String kernel() {
        return System.getProperty("os.version");
    }

    /** {@return the kernel's major and minor version, or zeros} */
    private static int[] kernelVersion() {
        String[] parts = kernel().split("[.-]");
        try {
            return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
        } catch (NumberFormatException e) {
            return new int[] {0, 0};
        }
    }

    private static String proc(String path) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException | SecurityException e) {
            return "unknown";
        }
    }

    private static String limit(String row) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith(row)) {
                    return line.substring(row.length()).trim().split("\\s+")[0];
                }
            }
        } catch (IOException | SecurityException e) {
            // unknown
        }
        return "unknown";
    }
}
