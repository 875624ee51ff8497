package org.panamaipc.socket;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.panamaipc.bindings.unistd_h;
import org.panamaipc.children.ShmChild;
import org.panamaipc.children.SocketChild;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.shm.Seal;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.OpenDescriptors;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * This JVM serves; another JVM, a Python process, or a process of another user connects: memory
 * and queues passed between processes and used by both, a seal that was promised and is missing,
 * peer credentials, and descriptor hygiene over 10,000 messages.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(180)
class DescriptorAcrossProcessesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** A Python that another user may run (root's own, under /root, may be out of its reach). */
    private static final String SYSTEM_PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    private static String text(Received message) {
        return StandardCharsets.UTF_8.decode(message.payload()).toString();
    }

    @Test
    void shouldShareASealedAnonymousSegmentWithAnotherJvm() throws Exception {
        Path path = dir.resolve("s");
        long seed = System.nanoTime();
        int count = 100_000;
        try (DescriptorServer server = DescriptorServer.create(path);
             SharedMemory memory = SharedMemory.anonymous((count + 1) * (long) Long.BYTES);
             ChildProcess child = ChildProcess.java(SocketChild.class, "memory", path.toString(),
                     Long.toString(seed), Integer.toString(count))) {
            MemorySegment segment = memory.segment();
            long sum = 0;
            for (int i = 0; i < count; i++) {
                segment.set(ValueLayout.JAVA_LONG, (long) i * Long.BYTES, ShmChild.pattern(seed, i));
                sum += ShmChild.pattern(seed, i);
            }
            try (DescriptorSocket client = accept(server, child)) {
                client.send(ByteBuffer.wrap("yours".getBytes(StandardCharsets.UTF_8)), Attachments.of(memory));
                try (Received answer = client.receive(DEADLINE)) {
                    assertNotNull(answer, child::output);
                    assertEquals("done", text(answer));
                }
            }
            child.assertSuccess(DEADLINE);
            assertEquals(sum + 1, segment.get(ValueLayout.JAVA_LONG, (long) count * Long.BYTES),
                    "the child's reply, written into the same memory");
            server.unlink();
        }
    }

    @Test
    void shouldHaveAReceiverRefuseASegmentMissingAPromisedSeal() throws Exception {
        Path path = dir.resolve("s");
        try (DescriptorServer server = DescriptorServer.create(path);
             SharedMemory unsealed = SharedMemory.anonymous(4096, Set.of(Seal.SHRINK)); // no GROW
             ChildProcess child = ChildProcess.java(SocketChild.class, "refuse", path.toString());
             DescriptorSocket client = accept(server, child)) {
            client.send(ByteBuffer.wrap("trust me".getBytes(StandardCharsets.UTF_8)), Attachments.of(unsealed));
            try (Received answer = client.receive(DEADLINE)) {
                assertNotNull(answer, child::output);
                assertTrue(text(answer).startsWith("REFUSED ") && text(answer).contains("lacks the seals [GROW]"),
                        text(answer));
            }
            child.assertSuccess(DEADLINE);
            server.unlink();
        }
    }

    @Test
    void shouldPassAQueueDescriptorThatTheOtherJvmSendsInto() throws Exception {
        Path path = dir.resolve("s");
        String name = TestNames.unique("passed-queue");
        try (DescriptorServer server = DescriptorServer.create(path);
             MessageQueue queue = MessageQueue.create(name, QueueOptions.of(10, 64));
             ChildProcess child = ChildProcess.java(SocketChild.class, "queue", path.toString(), "8");
             DescriptorSocket client = accept(server, child)) {
            queue.unlink(); // from now on only the descriptor leads to it
            client.send(ByteBuffer.wrap("send into this".getBytes(StandardCharsets.UTF_8)), Attachments.of(queue));
            try (Received answer = client.receive(DEADLINE)) {
                assertNotNull(answer, child::output);
                assertEquals("sent 8", text(answer));
            }
            List<String> received = new ArrayList<>();
            Message m;
            while ((m = queue.tryReceive()) != null) {
                received.add(m.priority() + ":" + m.text());
            }
            assertEquals(List.of("4:from the child #4", "3:from the child #3", "2:from the child #2",
                    "2:from the child #7", "1:from the child #1", "1:from the child #6", "0:from the child #0",
                    "0:from the child #5"), received, "priority order, through the queue the child got as a descriptor");
            child.assertSuccess(DEADLINE);
            server.unlink();
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldReportThePeersPidAndUidOnBothSides() throws Exception {
        Path path = dir.resolve("s");
        try (DescriptorServer server = DescriptorServer.create(path);
             ChildProcess child = ChildProcess.java(SocketChild.class, "credentials", path.toString());
             DescriptorSocket client = accept(server, child)) {
            assertEquals(child.pid(), client.peer().pid(), "the server sees the child");
            assertEquals(Integer.toUnsignedLong(unistd_h.geteuid()), client.peer().uid());
            try (Received answer = client.receive(DEADLINE)) {
                assertNotNull(answer, child::output);
                assertEquals("server pid " + ProcessHandle.current().pid() + " uid " + unistd_h.geteuid(),
                        text(answer), "the child sees this JVM");
            }
            child.assertSuccess(DEADLINE);
            server.unlink();
        }
    }

    @Test
    void shouldLeaveTheDescriptorCountOfBothProcessesUnchangedAfter10000Messages() throws Exception {
        Path path = dir.resolve("s");
        int count = 10_000;
        try (DescriptorServer server = DescriptorServer.create(path);
             SharedMemory memory = SharedMemory.anonymous(4096);
             ChildProcess child = ChildProcess.java(SocketChild.class, "hygiene", path.toString(), Integer.toString(count));
             DescriptorSocket client = accept(server, child)) {
            ByteBuffer payload = ByteBuffer.allocate(8);
            client.send(payload.clear(), Attachments.none()); // the child's warm-up
            List<String> before = OpenDescriptors.list();
            for (int i = 0; i < count; i++) {
                client.send(payload.clear().putLong(0, i), Attachments.of(memory));
            }
            try (Received answer = client.receive(DEADLINE)) {
                assertNotNull(answer, child::output);
                String[] words = text(answer).split(" ");
                assertEquals(words[1], words[3], "the child's descriptors before and after: " + text(answer));
            }
            List<String> after = OpenDescriptors.list();
            assertEquals(List.of(), after.stream().filter(fd -> !before.contains(fd)).toList(),
                    "this JVM's descriptors open after 10,000 sends that were not before");
            child.assertSuccess(DEADLINE);
            server.unlink();
        }
    }

    @Test
    void shouldExchangeMemfdsWithAPythonPeerBothWays() throws Exception {
        Path path = dir.resolve("s");
        int pythonSize = 10_000;
        int javaSize = 12_345;
        try (DescriptorServer server = DescriptorServer.create(path);
             ChildProcess python = ChildProcess.program("python-peer", "python3", script("fd_peer.py"),
                     path.toString(), Integer.toString(pythonSize));
             DescriptorSocket client = accept(server, python)) {
            assertEquals(python.pid(), client.peer().pid());
            try (Received fromPython = client.receive(DEADLINE)) {
                assertNotNull(fromPython, python::output);
                assertEquals("from python", text(fromPython));
                try (SharedMemory memory = fromPython.takeSharedMemory(0, EnumSet.of(Seal.SHRINK, Seal.GROW))) {
                    assertEquals("memfd:python-peer", memory.name());
                    assertEquals(pythonSize, memory.size());
                    for (int i = 0; i < pythonSize; i++) {
                        assertEquals((byte) ((7 * i + 3) % 256), memory.segment().get(ValueLayout.JAVA_BYTE, i), "byte " + i);
                    }
                }
            }
            try (SharedMemory mine = SharedMemory.anonymous(javaSize)) {
                for (int i = 0; i < javaSize; i++) {
                    mine.segment().set(ValueLayout.JAVA_BYTE, i, (byte) ((5 * i + 1) % 256));
                }
                client.send(ByteBuffer.wrap("from java".getBytes(StandardCharsets.UTF_8)), Attachments.of(mine));
            }
            try (Received answer = client.receive(DEADLINE)) {
                assertNotNull(answer, python::output);
                assertEquals("python checked " + javaSize + " bytes", text(answer));
            }
            python.assertSuccess(DEADLINE);
            server.unlink();
        }
    }

    @Test
    void shouldSeeTheUidOfAnotherUsersProcessAndRefuseIt() throws Exception {
        Assumptions.assumeTrue(unistd_h.geteuid() == 0, "needs root, to start a process as nobody");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(SYSTEM_PYTHON)), SYSTEM_PYTHON + " is missing");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x")); // nobody may pass through
        Path path = dir.resolve("s");
        String client = """
                import socket, sys
                s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                s.settimeout(60)
                s.connect(sys.argv[1])
                data, fds, flags, addr = socket.recv_fds(s, 1024, 4)
                print("nobody got", repr(data), "and", len(fds), "descriptors", flush=True)
                sys.exit(0 if data == b"" and not fds else 1)
                """;
        try (DescriptorServer server = DescriptorServer.create(path, 0666); // the file lets anyone connect
             SharedMemory memory = SharedMemory.anonymous(4096);
             ChildProcess nobody = ChildProcess.program("nobody", "setpriv", "--reuid=nobody", "--regid=nogroup",
                     "--clear-groups", SYSTEM_PYTHON, "-c", client, path.toString())) {
            try (DescriptorSocket connection = accept(server, nobody)) {
                PeerCredentials peer = connection.peer();
                assertEquals(65534, peer.uid(), "nobody's uid");
                assertEquals(65534, peer.gid(), "nogroup's gid");
                assertEquals(nobody.pid(), peer.pid(), "setpriv execs python in its own process");
                assertFalse(peer.isSameUser());
                // the server's decision: memory only for its own user, so this connection is closed unserved
                if (peer.isSameUser()) {
                    connection.send(ByteBuffer.wrap(new byte[] {1}), Attachments.of(memory));
                }
            }
            nobody.assertSuccess(DEADLINE);
            assertTrue(nobody.output().contains("nobody got b'' and 0 descriptors"), nobody::output);
            server.unlink();
        }
    }

    /** Accepts the connection of {@code peer}, failing at once with its output if it ends first. */
    private static DescriptorSocket accept(DescriptorServer server, ChildProcess peer) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            DescriptorSocket connection = server.accept(Duration.ofMillis(200));
            if (connection != null) {
                return connection;
            }
            if (!peer.process().isAlive()) {
                throw new AssertionError(peer + " ended without connecting: " + peer.output());
            }
        }
        throw new AssertionError(peer + " did not connect within " + DEADLINE + ": " + peer.output());
    }

    private static String script(String name) throws URISyntaxException {
        return Path.of(DescriptorAcrossProcessesTest.class.getResource(name).toURI()).toString();
    }
}
