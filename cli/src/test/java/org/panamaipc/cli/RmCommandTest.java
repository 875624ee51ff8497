package org.panamaipc.cli;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ipc rm} run as a process on real objects. */
@ExtendWith(NoLeakedObjects.class)
class RmCommandTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    @Timeout(120)
    void shouldRemoveTheRingOfACreatorKilledWithSigkillAndKeepTheRingOfALiveOne() {
        try (TestObjects objects = new TestObjects()) {
            String orphan = objects.name("rm-orphan");
            String kept = objects.name("rm-kept");
            try (ChildProcess killed = ChildProcess.java(Holder.class, "create", orphan);
                 ChildProcess alive = ChildProcess.java(Holder.class, "create", kept)) {
                killed.awaitOutput("READY", DEADLINE);
                alive.awaitOutput("READY", DEADLINE);
                killed.kill(); // SIGKILL: its endpoints stay registered in the ring, their process dead

                IpcProcess.Result dryRun = IpcProcess.run("rm", "--stale", "--match", TestObjects.glob(), "--dry-run");
                assertEquals(0, dryRun.exitCode(), dryRun::toString);
                assertTrue(dryRun.out().contains("would remove channel SPSC " + orphan + ": creator pid " + killed.pid()
                        + " is dead, and its 2 endpoints too"), dryRun::toString);
                assertTrue(SharedMemory.exists(orphan), "a dry run removes nothing");

                IpcProcess.Result run = IpcProcess.run("rm", "--stale", "--match", TestObjects.glob(), "--json");

                assertEquals(0, run.exitCode(), run::toString);
                JsonObject json = TestObjects.json(run.out());
                assertEquals(1, json.getAsJsonArray("removed").size(), run::toString);
                assertEquals(orphan, json.getAsJsonArray("removed").get(0).getAsJsonObject().get("name").getAsString());
                assertEquals(1, json.get("kept").getAsInt(), run::toString);
                assertFalse(SharedMemory.exists(orphan), run::toString);
                assertTrue(SharedMemory.exists(kept), "the ring of a live creator stays: " + run);
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldKeepARingWhoseCreatorIsDeadWhileAnEndpointLives() {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("rm-endpoint");
            IpcProcess.Result created = IpcProcess.run("channel", "create", name); // its creator ends at once
            assertEquals(0, created.exitCode(), created::toString);
            try (ChildProcess receiver = ChildProcess.java(Holder.class, "attach", name)) {
                receiver.awaitOutput("READY", DEADLINE);

                IpcProcess.Result first = IpcProcess.run("rm", "--stale", "--match", TestObjects.glob());
                assertEquals(0, first.exitCode(), first::toString);
                assertTrue(SharedMemory.exists(name), "a live receiver is attached: " + first);
                assertTrue(first.out().contains("Removed 0 stale objects; kept 1 in use."), first::toString);

                receiver.kill();
                IpcProcess.Result second = IpcProcess.run("rm", "--stale", "--match", TestObjects.glob());
                assertEquals(0, second.exitCode(), second::toString);
                assertFalse(SharedMemory.exists(name), "creator and receiver dead: " + second);
                assertTrue(second.out().contains("Removed 1 stale object; kept 0 in use."), second::toString);
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldRemoveSharedMemoryAndQueuesByNameAndNameTheMissingOnes() {
        try (TestObjects objects = new TestObjects()) {
            String shm = objects.name("rm-shm");
            String queue = objects.name("rm-queue");
            String missing = objects.name("rm-missing");
            SharedMemory.create(shm, 4096).close();
            MessageQueue.create(queue, QueueOptions.of(2, 16)).close();

            IpcProcess.Result run = IpcProcess.run("rm", shm, queue.substring(1), missing);

            assertEquals(IpcCommand.FAILED, run.exitCode(), run::toString);
            assertTrue(run.out().contains("removed shared memory " + shm), run::toString);
            assertTrue(run.out().contains("removed message queue " + queue), run::toString);
            assertEquals(java.util.List.of("ipc: no shared memory or message queue is called " + missing), run.errLines(),
                    run::toString);
            assertFalse(SharedMemory.exists(shm));
            assertFalse(MessageQueue.exists(queue));
        }
    }

    @Test
    @Timeout(60)
    void shouldRefuseNamesWithStaleAndNeitherAtAll() {
        IpcProcess.Result both = IpcProcess.run("rm", "--stale", "/x");
        IpcProcess.Result neither = IpcProcess.run("rm");
        IpcProcess.Result badName = IpcProcess.run("rm", "a/b");

        assertEquals(IpcCommand.USAGE, both.exitCode(), both::toString);
        assertEquals(1, both.errLines().size(), both::toString);
        assertTrue(both.err().startsWith("ipc rm: give names or --stale, not both"), both::toString);
        assertEquals(IpcCommand.USAGE, neither.exitCode(), neither::toString);
        assertEquals(1, neither.errLines().size(), neither::toString);
        assertEquals(IpcCommand.USAGE, badName.exitCode(), badName::toString);
        assertTrue(badName.err().contains("only its first character may be '/'"), badName::toString);
        assertEquals(1, badName.errLines().size(), badName::toString);
    }
}
