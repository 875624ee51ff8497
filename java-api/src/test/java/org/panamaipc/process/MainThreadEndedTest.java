package org.panamaipc.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process whose main thread has ended while another thread runs (the C peer
 * {@code native/src/leader_exit_peer.c}): {@code /proc/<pid>/stat} shows its leader as a zombie,
 * yet it is alive, and so is the mutex it holds. Regression case for issue 10, defect 4.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class MainThreadEndedTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Pattern LOCKED = Pattern.compile("locked pid=(\\d+) start=(\\d+)");

    @Test
    void shouldSeeAProcessWhoseMainThreadEndedAsAliveAndKeepItsMutex() throws Exception {
        String name = TestNames.unique("leader-exit");
        try (IpcMutex mutex = IpcMutex.create(name);
             ChildProcess peer = ChildProcess.nativePeer("leader_exit_peer", "hold", name)) {
            peer.awaitOutput("self alive=", DEADLINE);
            Matcher locked = LOCKED.matcher(peer.output());
            assertTrue(locked.find(), peer.output());
            ProcessId id = new ProcessId(Integer.parseInt(locked.group(1)), Long.parseLong(locked.group(2)));
            assertEquals(peer.pid(), id.pid());
            // the case itself: the leader is a zombie, the process is not
            assertEquals('Z', leaderState(id.pid()), "the peer's main thread has ended");
            assertTrue(peer.process().isAlive());

            assertTrue(id.isAlive(), "ProcessId: a live process whose main thread ended");
            assertEquals(id, ProcessId.of(id.pid()));
            assertTrue(peer.output().contains("self alive=1"), "the C mirror, from inside: " + peer.output());
            assertEquals("alive=1", cMirror(id), "the C mirror, from another process");

            assertEquals(id.pid(), mutex.owner());
            assertFalse(mutex.tryLock(Duration.ofMillis(300)), "the live holder's mutex is not taken over");
            assertEquals(0, mutex.takeovers());
            assertEquals(id.pid(), mutex.owner());

            try (OutputStream stdin = peer.process().getOutputStream()) {
                stdin.write('\n'); // the holder ends the process, still holding the mutex
            }
            assertEquals(0, peer.waitFor(DEADLINE), peer.output());
            assertFalse(id.isAlive(), "ProcessId: gone once every thread has ended");
            assertEquals("alive=0", cMirror(id), "the C mirror: gone");
            assertTrue(mutex.tryLock(Duration.ofSeconds(10)), "taken over from the dead holder");
            try {
                assertTrue(mutex.ownerDied());
                assertEquals(1, mutex.takeovers());
            } finally {
                mutex.unlock();
            }
        } finally {
            SharedMemory.unlinkIfExists(name);
        }
    }

    private static String cMirror(ProcessId id) {
        try (ChildProcess probe = ChildProcess.nativePeer("leader_exit_peer", "alive",
                Integer.toString(id.pid()), Long.toString(id.startTime()))) {
            probe.assertSuccess(DEADLINE);
            return probe.output().strip();
        }
    }

    private static char leaderState(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }
}
