package org.panamaipc.cli;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.sync.IpcSemaphore;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ipc stat} run as a process on real objects. */
@ExtendWith(NoLeakedObjects.class)
class StatCommandTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    @Timeout(120)
    void shouldShowTheCountersOfARingMovingWhileAnotherJvmWritesIt() {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("stat-flow");
            try (ChildProcess writer = ChildProcess.java(Holder.class, "write", name)) {
                writer.awaitOutput("READY", DEADLINE);

                IpcProcess.Result json = IpcProcess.run("stat", name, "--watch", "--count", "3", "--interval", "300ms",
                        "--json");
                IpcProcess.Result text = IpcProcess.run("stat", name, "--watch", "--count", "2", "--interval", "300ms");

                assertEquals(0, json.exitCode(), json::toString);
                List<JsonObject> looks = TestObjects.jsonLines(json.out());
                assertEquals(3, looks.size(), json::toString);
                long previous = -1;
                for (JsonObject look : looks) {
                    long sent = look.getAsJsonObject("stats").get("messagesSent").getAsLong();
                    assertTrue(sent > previous, "messagesSent moves: " + json);
                    previous = sent;
                    assertEquals(2, look.getAsJsonArray("endpoints").size(), json::toString);
                }
                for (JsonObject look : looks.subList(1, 3)) {
                    JsonObject rates = look.getAsJsonObject("rates");
                    assertTrue(rates.get("messagesSentPerSecond").getAsDouble() > 0, json::toString);
                    assertTrue(rates.get("messagesReceivedPerSecond").getAsDouble() > 0, json::toString);
                }
                assertEquals(0, text.exitCode(), text::toString);
                assertTrue(text.out().contains("(refresh 2)"), text::toString);
                assertTrue(text.out().lines().anyMatch(l -> l.startsWith("  rates ") && l.contains(" msg/s")), text::toString);
                assertTrue(text.out().lines().anyMatch(l -> l.contains(" sender ") && l.contains(" alive ")), text::toString);
                assertTrue(text.out().lines().anyMatch(l -> l.contains(" receiver ") && l.contains(" alive ")), text::toString);
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldEndTheWatchOnCtrlCWithoutAStackTrace() throws Exception {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("stat-ctrl-c");
            try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(2, 16));
                 IpcProcess watch = IpcProcess.startInterruptible("stat", name, "--watch", "--interval", "200ms")) {
                long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (!watch.output().contains("(refresh 2)")) {
                    assertTrue(watch.process().isAlive(), () -> "the watch ended by itself: " + watch.finish());
                    assertTrue(System.nanoTime() < deadline, "no second refresh within " + DEADLINE);
                    Thread.sleep(20);
                }
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(watch.pid())).start();
                assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -INT failed");

                IpcProcess.Result result = watch.finish();

                assertEquals(130, result.exitCode(), "128 + SIGINT, as a shell reports Ctrl-C: " + result);
                assertEquals("", result.err(), result::toString);
                assertTrue(result.out().contains(name + ": POSIX message queue"), result::toString);
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldShowAQueueAndASemaphore() throws Exception {
        try (TestObjects objects = new TestObjects()) {
            String queue = objects.name("stat-queue");
            String semaphore = objects.name("stat-semaphore");
            try (MessageQueue q = MessageQueue.create(queue, QueueOptions.of(3, 100));
                 IpcSemaphore s = IpcSemaphore.create(semaphore, 3)) {
                q.send("hi".getBytes(), 4);
                s.acquire();

                IpcProcess.Result queueStat = IpcProcess.run("stat", queue.substring(1));
                IpcProcess.Result semaphoreStat = IpcProcess.run("stat", semaphore, "--json");

                assertEquals(0, queueStat.exitCode(), queueStat::toString);
                assertTrue(queueStat.out().startsWith(queue + ": POSIX message queue"), queueStat::toString);
                assertTrue(queueStat.out().contains("  messages  1 of 3, each up to 100 B"), queueStat::toString);
                assertTrue(queueStat.out().contains("pids " + ProcessHandle.current().pid() + " have it open"),
                        queueStat::toString);
                assertEquals(0, semaphoreStat.exitCode(), semaphoreStat::toString);
                JsonObject json = TestObjects.json(semaphoreStat.out());
                assertEquals("semaphore", json.get("kind").getAsString());
                assertEquals(2, json.getAsJsonObject("details").get("permits").getAsInt(), semaphoreStat::toString);
                assertEquals(3, json.getAsJsonObject("details").get("initialPermits").getAsInt());
                s.release();
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldFailInOneLineForAMissingObjectAndRefuseABadCount() {
        try (TestObjects objects = new TestObjects()) {
            String missing = objects.name("stat-missing");

            IpcProcess.Result run = IpcProcess.run("stat", missing);
            IpcProcess.Result badCount = IpcProcess.run("stat", missing, "--watch", "--count", "0");
            IpcProcess.Result badInterval = IpcProcess.run("stat", missing, "--watch", "--interval", "soon");

            assertEquals(IpcCommand.FAILED, run.exitCode(), run::toString);
            assertEquals(List.of("ipc: no shared memory or message queue is called " + missing), run.errLines());
            assertFalse(run.err().contains("Exception"), run::toString);
            assertEquals(IpcCommand.USAGE, badCount.exitCode(), badCount::toString);
            assertEquals(1, badCount.errLines().size(), badCount::toString);
            assertEquals(IpcCommand.USAGE, badInterval.exitCode(), badInterval::toString);
            assertTrue(badInterval.err().contains("'soon' is not a duration"), badInterval::toString);
            assertEquals(1, badInterval.errLines().size(), badInterval::toString);
        }
    }
}
