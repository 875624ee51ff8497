package org.panamaipc.children;

import org.panamaipc.mq.MessageQueue;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.Seal;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.socket.Attachments;
import org.panamaipc.socket.DescriptorSocket;
import org.panamaipc.socket.Received;
import org.panamaipc.testkit.OpenDescriptors;
import org.panamaipc.testkit.Watchdog;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Child JVM for the descriptor-passing tests; it connects to the test's server at {@code PATH}
 * and plays one role:
 * <ul>
 * <li>{@code memory PATH SEED COUNT}: takes the memory it is sent, requiring SHRINK and GROW,
 *     checks {@code COUNT} longs of {@link ShmChild#pattern} from offset 0, writes their sum plus
 *     one after them, and says {@code done};</li>
 * <li>{@code refuse PATH}: takes the memory it is sent requiring SHRINK and GROW, and says
 *     {@code REFUSED <message>} if that fails, {@code ACCEPTED} if not;</li>
 * <li>{@code queue PATH COUNT}: takes the queue it is sent and sends {@code COUNT} messages into it;</li>
 * <li>{@code credentials PATH}: says the pid and uid it sees at the other end;</li>
 * <li>{@code hygiene PATH COUNT}: receives {@code COUNT} messages with memory, taking every other
 *     one, and says how many descriptors it had open before and after.</li>
 * </ul>
 * Exits 0 when its part went as described.
 */
public final class SocketChild {

    private static final Set<Seal> SIZE_SEALS = EnumSet.of(Seal.SHRINK, Seal.GROW);

    private SocketChild() {
    }

    public static void main(String[] args) throws Exception {
        Watchdog.start("SocketChild " + args[0], Duration.ofSeconds(90));
        try (DescriptorSocket socket = DescriptorSocket.open(Path.of(args[1]))) {
            System.out.println("connected; the server is " + socket.peer());
            switch (args[0]) {
                case "memory" -> memory(socket, Long.parseLong(args[2]), Integer.parseInt(args[3]));
                case "refuse" -> refuse(socket);
                case "queue" -> queue(socket, Integer.parseInt(args[2]));
                case "credentials" -> say(socket, "server pid " + socket.peer().pid() + " uid " + socket.peer().uid());
                case "hygiene" -> hygiene(socket, Integer.parseInt(args[2]));
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
        System.out.println("child done");
    }

    private static void memory(DescriptorSocket socket, long seed, int count) throws InterruptedException {
        try (Received message = socket.receive();
             SharedMemory memory = message.takeSharedMemory(0, SIZE_SEALS)) {
            System.out.println("received " + memory + " with seals " + memory.seals());
            MemorySegment segment = memory.segment();
            long sum = 0;
            for (int i = 0; i < count; i++) {
                long found = segment.get(ValueLayout.JAVA_LONG, (long) i * Long.BYTES);
                if (found != ShmChild.pattern(seed, i)) {
                    System.out.println("mismatch at " + i);
                    System.exit(2);
                }
                sum += found;
            }
            segment.set(ValueLayout.JAVA_LONG, (long) count * Long.BYTES, sum + 1);
        }
        say(socket, "done");
    }

    private static void refuse(DescriptorSocket socket) throws InterruptedException {
        try (Received message = socket.receive()) {
            try (SharedMemory memory = message.takeSharedMemory(0, SIZE_SEALS)) {
                say(socket, "ACCEPTED " + memory);
            } catch (InvalidSegmentException e) {
                say(socket, "REFUSED " + e.getMessage());
            }
        }
    }

    private static void queue(DescriptorSocket socket, int count) throws InterruptedException {
        try (Received message = socket.receive();
             MessageQueue queue = message.takeMessageQueue(0)) {
            System.out.println("received " + queue);
            for (int i = 0; i < count; i++) {
                queue.send(("from the child #" + i).getBytes(StandardCharsets.UTF_8), i % 5);
            }
        }
        say(socket, "sent " + count);
    }

    private static void hygiene(DescriptorSocket socket, int count) throws InterruptedException {
        socket.receive().close(); // warm-up: this thread's first wait makes its interrupt eventfd
        int before = OpenDescriptors.count();
        for (int i = 0; i < count; i++) {
            try (Received message = socket.receive()) {
                if (i % 2 == 0) {
                    message.takeSharedMemory(0, SIZE_SEALS).close();
                }
            }
        }
        int after = OpenDescriptors.count();
        say(socket, "before " + before + " after " + after);
        if (before != after) {
            System.out.println(OpenDescriptors.list());
            System.exit(3);
        }
    }

    private static void say(DescriptorSocket socket, String text) throws InterruptedException {
        System.out.println("says: " + text);
        socket.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), Attachments.none());
    }
}
