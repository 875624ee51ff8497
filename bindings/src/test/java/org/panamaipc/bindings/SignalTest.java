package org.panamaipc.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gettid}, {@code tgkill} and {@code sigaction} through the bindings, and the JDK's
 * handler for {@code SIGRTMAX - 2} that java-api borrows to end a blocking call.
 */
@Timeout(30)
class SignalTest {

    @Test
    void shouldGiveEachThreadItsKernelId() throws Exception {
        // /proc/thread-self is /proc/PID/task/TID of the thread that resolves it
        String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
        assertEquals(unistd_h.getpid() + "/task/" + syscall_h.gettid(), self);
        CompletableFuture<Integer> other = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> other.complete(syscall_h.gettid()));
        assertNotEquals(syscall_h.gettid(), other.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldSignalOnlyAThreadOfTheGivenProcess() {
        assertEquals(0, syscall_h.tgkill(unistd_h.getpid(), syscall_h.gettid(), 0)); // 0 probes, sends nothing
        // thread 1 is init's, not one of ours
        assertEquals(-1, syscall_h.tgkill(unistd_h.getpid(), 1, 0));
        assertEquals(errno_h.ESRCH(), errno_h.errno());
    }

    @Test
    void shouldReadTheJdksInterruptHandler() throws Exception {
        Pipe pipe = Pipe.open(); // a blocking NIO write makes the JDK install its handler
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            sink.write(ByteBuffer.allocate(1));
            source.read(ByteBuffer.allocate(1));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment action = sigaction.allocate(arena);
            assertEquals(0, signal_h.sigaction(signal_h.SIGRTMAX() - 2, MemorySegment.NULL, action));
            long handler = sigaction.sa_handler(action);
            assertTrue(handler != signal_h.SIG_DFL().address() && handler != signal_h.SIG_IGN().address(),
                    "handler=" + handler);
            assertEquals(0, sigaction.sa_flags(action) & signal_h.SA_RESTART(), "flags=" + sigaction.sa_flags(action));
            MemorySegment kill = sigaction.allocate(arena);
            assertEquals(0, signal_h.sigaction(signal_h.SIGKILL(), MemorySegment.NULL, kill));
            assertEquals(signal_h.SIG_DFL().address(), sigaction.sa_handler(kill));
        }
    }
}
