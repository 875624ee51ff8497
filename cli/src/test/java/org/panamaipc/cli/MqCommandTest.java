package org.panamaipc.cli;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ipc mq} run as a process on real queues, one of them a C program's. */
@ExtendWith(NoLeakedObjects.class)
class MqCommandTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    @Timeout(60)
    void shouldSendWithPrioritiesAndReceiveHighestFirst() throws Exception {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("mq-prio");

            IpcProcess.Result first = IpcProcess.run("mq", "send", name, "routine", "--create", "--max-messages", "4",
                    "--max-length", "128");
            IpcProcess.Result second = IpcProcess.run("mq", "send", name, "urgent", "--priority", "9");
            IpcProcess.Result text = IpcProcess.run("mq", "recv", name);
            IpcProcess.Result json = IpcProcess.run("mq", "recv", name, "--json", "--timeout", "1s");

            assertEquals(0, first.exitCode(), first::toString);
            assertEquals("created queue " + name + " (4 messages of up to 128 B); sent 7 bytes at priority 0 to " + name + "\n",
                    first.out());
            assertEquals(0, second.exitCode(), second::toString);
            assertEquals("sent 6 bytes at priority 9 to " + name + "\n", second.out());
            assertEquals(0, text.exitCode(), text::toString);
            assertEquals("priority 9: urgent\n", text.out());
            assertEquals(0, json.exitCode(), json::toString);
            JsonObject message = TestObjects.json(json.out());
            assertEquals(0, message.get("priority").getAsInt());
            assertEquals("routine", message.get("text").getAsString());
            assertEquals(7, message.get("length").getAsInt());
        }
    }

    @Test
    @Timeout(90)
    void shouldTalkToAQueueOfACProgramBothWays() throws Exception {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("mq-c");
            try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(8, 256))) {
                try (ChildProcess c = ChildProcess.nativePeer("mq_peer", "-t", "20", "send", name, "5:from C", "2:again")) {
                    c.assertSuccess(DEADLINE);
                }
                IpcProcess.Result received = IpcProcess.run("mq", "recv", name, "--count", "2", "--timeout", "5s");
                IpcProcess.Result sent = IpcProcess.run("mq", "send", name, "to C", "--priority", "3");
                try (ChildProcess c = ChildProcess.nativePeer("mq_peer", "-t", "20", "receive", name, "1")) {
                    c.assertSuccess(DEADLINE);
                    assertTrue(c.output().contains("received priority=3 length=4 payload=to C"), c::output);
                }

                assertEquals(0, received.exitCode(), received::toString);
                assertEquals("priority 5: from C\npriority 2: again\n", received.out());
                assertEquals(0, sent.exitCode(), sent::toString);
                assertEquals(0, queue.messageCount());
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldShowControlCharactersEscaped() throws Exception {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("mq-escape");
            try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 64))) {
                queue.send(new Message("two\nlines\u001b[2J".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1).payload(), 1);
                queue.send(new byte[] {(byte) 0xff, 'a'}, 0);

                IpcProcess.Result run = IpcProcess.run("mq", "recv", name, "--count", "2");

                assertEquals(0, run.exitCode(), run::toString);
                assertEquals("priority 1: two\\nlines\\x1b[2J\npriority 0: \\xffa\n", run.out());
            }
        }
    }

    @Test
    @Timeout(90)
    void shouldRefuseBadArgumentsAndMissingQueuesInOneLine() {
        try (TestObjects objects = new TestObjects()) {
            String missing = objects.name("mq-missing");
            String shm = objects.name("mq-shm");
            String small = objects.name("mq-small");
            SharedMemory.create(shm, 4096).close();
            MessageQueue.create(small, QueueOptions.of(1, 4)).close();

            IpcProcess.Result process = IpcProcess.run("mq", "send", missing, "x", "--priority", "99999");
            assertEquals(IpcCommand.USAGE, process.exitCode(), process::toString);
            assertEquals(List.of("ipc mq send: --priority: 99999 is outside 0..32767 (see 'ipc mq send --help')"),
                    process.errLines(), process::toString);


            expect(IpcCommand.USAGE, "'high' is not an int", "mq", "send", missing, "x", "--priority", "high");
            expect(IpcCommand.USAGE, "--count: 0 must be at least 1", "mq", "recv", missing, "--count", "0");
            expect(IpcCommand.FAILED, "does not exist (ENOENT: No such file or directory); add --create to create it",
                    "mq", "send", missing, "x");
            expect(IpcCommand.FAILED, "(" + shm + " is shared memory: ipc stat " + shm + ")", "mq", "recv", shm);
            expect(IpcCommand.FAILED, "no message on " + small + " within 200 ms", "mq", "recv", small, "--timeout", "200ms");
            expect(IpcCommand.FAILED, "longer than its maximum of 4 bytes", "mq", "send", small, "too long");
            expect(IpcCommand.USAGE, "give a subcommand", "mq");
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
