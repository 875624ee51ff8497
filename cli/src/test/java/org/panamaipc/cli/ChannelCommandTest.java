package org.panamaipc.cli;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ipc channel} run as processes on real rings. */
@ExtendWith(NoLeakedObjects.class)
class ChannelCommandTest {

    @Test
    @Timeout(60)
    void shouldCarryMessagesFromOneProcessToAnother() {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("channel-flow");

            IpcProcess.Result create = IpcProcess.run("channel", "create", name, "--type", "mpsc", "--capacity", "8K");
            IpcProcess.Result first = IpcProcess.run("channel", "send", name, "EURUSD 1.0842");
            IpcProcess.Result second = IpcProcess.run("channel", "send", name, "GBPUSD 1.2710", "--message-type", "7",
                    "--json");
            IpcProcess.Result received = IpcProcess.run("channel", "recv", name, "--count", "2", "--timeout", "5s");

            assertEquals(0, create.exitCode(), create::toString);
            assertEquals("created channel " + name + ": MPSC, 8.0 KiB of records, messages up to 4.0 KiB, rw------- (0600)\n",
                    create.out());
            try (RingChannel ring = RingChannel.open(name)) {
                assertEquals(8192, ring.capacity());
            }
            assertEquals(0, first.exitCode(), first::toString);
            assertTrue(first.out().startsWith("sent 13 bytes to " + name + " as message 1 of endpoint "), first::toString);
            JsonObject sent = TestObjects.json(second.out());
            assertEquals(7, sent.get("type").getAsInt());
            assertEquals(1, sent.get("sequence").getAsLong(), "each send is a new sender, numbering from 1");
            assertEquals(0, received.exitCode(), received::toString);
            List<String> lines = received.out().lines().toList();
            assertEquals(2, lines.size(), received::toString);
            assertTrue(lines.get(0).matches("type 1, source \\d+, sequence 1: EURUSD 1\\.0842"), received::toString);
            assertTrue(lines.get(1).matches("type 7, source \\d+, sequence 1: GBPUSD 1\\.2710"), received::toString);
        }
    }

    @Test
    @Timeout(90)
    void shouldRefuseASecondReceiverOnSpscInOneLine() {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("channel-busy");
            try (ChildProcess holder = ChildProcess.java(Holder.class, "create", name)) {
                holder.awaitOutput("READY", Duration.ofSeconds(60));

                IpcProcess.Result run = IpcProcess.run("channel", "recv", name, "--timeout", "1s");

                assertEquals(IpcCommand.FAILED, run.exitCode(), run::toString);
                assertEquals(1, run.errLines().size(), run::toString);
                assertTrue(run.err().startsWith("ipc: "), run::toString);
                assertTrue(run.err().contains("receiver"), run::toString);
            }
        }
    }

    @Test
    @Timeout(90)
    void shouldRefuseBadArgumentsAndObjectsOfAnotherKindInOneLine() throws Exception {
        try (TestObjects objects = new TestObjects()) {
            String plain = objects.name("channel-plain");
            String mutex = objects.name("channel-mutex");
            String queue = objects.name("channel-queue");
            String ring = objects.name("channel-small");
            String missing = objects.name("channel-missing");
            SharedMemory.create(plain, 4096).close();
            IpcMutex.create(mutex).close();
            MessageQueue.create(queue, QueueOptions.of(1, 8)).close();
            assertEquals(0, IpcProcess.run("channel", "create", ring, "--capacity", "1K").exitCode());

            expect(IpcCommand.FAILED, plain + " is not a usable ring channel: it is shared memory, not panama-ipc's",
                    "channel", "send", plain, "x");
            expect(IpcCommand.FAILED, mutex + " is not a usable ring channel: it is a panama-ipc mutex",
                    "channel", "recv", mutex);
            expect(IpcCommand.FAILED, "no channel is called " + queue + " (" + queue + " is a message queue: ipc mq)",
                    "channel", "send", queue, "x");
            expect(IpcCommand.FAILED, "no channel is called " + missing, "channel", "recv", missing);
            expect(IpcCommand.FAILED, "no message on channel " + ring + " within 200 ms", "channel", "recv", ring,
                    "--timeout", "200ms");
            expect(IpcCommand.FAILED, "takes at most 480", "channel", "send", ring, "x".repeat(600));
            expect(IpcCommand.USAGE, "'LIFO' is not a channel type", "channel", "create", missing, "--type", "LIFO");
            expect(IpcCommand.USAGE, "capacity=1000 must be a power of two", "channel", "create", missing,
                    "--capacity", "1000");
            expect(IpcCommand.USAGE, "'5 minutes' is not a duration", "channel", "recv", ring, "--timeout", "5 minutes");
        }
    }

    /**
     * Runs {@code ipc ARGS} in this JVM (a wrong argument needs no process of its own; the tests
     * above run the commands as processes) and expects one line on the error stream.
     */
    private static void expect(int exitCode, String reason, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(exitCode, run.exitCode(), run::toString);
        assertEquals(1, run.err().lines().count(), () -> "one line: " + run);
        assertTrue(run.err().contains(reason), run::toString);
        assertTrue(run.err().startsWith("ipc"), run::toString);
    }

}
