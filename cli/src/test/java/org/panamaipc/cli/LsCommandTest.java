package org.panamaipc.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.channel.ChannelDescriptor;
import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ipc ls} run as a process on real objects. */
@ExtendWith(NoLeakedObjects.class)
class LsCommandTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    @Timeout(120)
    void shouldListARingWithItsCreatorAndEndpointsInAnotherJvm() {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("ls-ring");
            try (ChildProcess holder = ChildProcess.java(Holder.class, "create", name)) {
                holder.awaitOutput("READY", DEADLINE);

                IpcProcess.Result text = IpcProcess.run("ls", TestObjects.glob());
                IpcProcess.Result json = IpcProcess.run("ls", TestObjects.glob(), "--json");

                assertEquals(0, text.exitCode(), text::toString);
                String row = text.out().lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow(
                        () -> new AssertionError("no row for " + name + ": " + text));
                assertTrue(row.contains("channel SPSC"), row);
                assertTrue(row.contains(holder.pid() + " sender, " + holder.pid() + " receiver"), row);
                assertTrue(row.contains(" live "), row);
                assertTrue(text.out().startsWith("NAME "), text::toString);
                assertEquals("", text.err(), text::toString);

                assertEquals(0, json.exitCode(), json::toString);
                JsonObject ring = TestObjects.find(TestObjects.json(json.out()), name);
                assertNotNull(ring, json::toString);
                assertEquals("channel", ring.get("kind").getAsString());
                assertEquals("ok", ring.get("status").getAsString());
                assertEquals(holder.pid(), ring.getAsJsonObject("creator").get("pid").getAsLong());
                assertTrue(ring.getAsJsonObject("creator").get("alive").getAsBoolean());
                assertEquals("SPSC", ring.getAsJsonObject("channel").get("type").getAsString());
                assertEquals(64 * 1024, ring.getAsJsonObject("channel").get("capacity").getAsLong());
                JsonArray endpoints = ring.getAsJsonArray("endpoints");
                assertEquals(2, endpoints.size(), json::toString);
                for (var endpoint : endpoints) {
                    assertEquals(holder.pid(), endpoint.getAsJsonObject().get("pid").getAsLong());
                    assertTrue(endpoint.getAsJsonObject().get("alive").getAsBoolean());
                }
                assertTrue(ring.getAsJsonArray("holders").toString().contains(Long.toString(holder.pid())), json::toString);
                assertFalse(ring.get("stale").getAsBoolean());
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldListQueuesAndPrimitivesAndLeaveOtherProgramsMemoryToAll() throws InterruptedException {
        try (TestObjects objects = new TestObjects()) {
            String queue = objects.name("ls-queue");
            String mutex = objects.name("ls-mutex");
            String foreign = objects.name("ls-foreign");
            try (MessageQueue q = MessageQueue.create(queue, QueueOptions.of(4, 64));
                 IpcMutex m = IpcMutex.create(mutex);
                 SharedMemory plain = SharedMemory.create(foreign, 4096)) {
                q.trySend(new byte[] {1, 2, 3}, 1);
                m.lock();
                try {
                    IpcProcess.Result ours = IpcProcess.run("ls", TestObjects.glob(), "--json");
                    IpcProcess.Result all = IpcProcess.run("ls", TestObjects.glob(), "--all");

                    assertEquals(0, ours.exitCode(), ours::toString);
                    JsonObject ls = TestObjects.json(ours.out());
                    assertNull(TestObjects.find(ls, foreign), "another program's memory only with --all: " + ours);
                    assertTrue(ls.get("otherSegments").getAsInt() >= 1, ours::toString);
                    JsonObject lock = TestObjects.find(ls, mutex);
                    assertEquals("mutex", lock.get("kind").getAsString());
                    assertTrue(lock.getAsJsonObject("details").get("locked").getAsBoolean());
                    assertEquals(ProcessHandle.current().pid(), lock.getAsJsonObject("details").get("owner").getAsLong());
                    if (Inspector.mqueueMounted()) {
                        JsonObject listed = TestObjects.find(ls, queue);
                        assertEquals("queue", listed.get("kind").getAsString());
                        assertEquals(1, listed.get("messages").getAsInt());
                        assertEquals(4, listed.get("maxMessages").getAsInt());
                        assertEquals(3, listed.get("queuedBytes").getAsInt());
                        assertTrue(listed.getAsJsonArray("holders").toString()
                                .contains(Long.toString(ProcessHandle.current().pid())), ours::toString);
                    }

                    assertEquals(0, all.exitCode(), all::toString);
                    assertTrue(all.out().lines().anyMatch(l -> l.startsWith(foreign + " ") && l.contains("not panama-ipc")),
                            all::toString);
                    assertTrue(all.out().lines().anyMatch(l -> l.startsWith(mutex + " ")
                            && l.contains("locked by " + ProcessHandle.current().pid())), all::toString);
                } finally {
                    m.unlock();
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldListCorruptAndTruncatedSegmentsAsSuchAndNotFail() {
        try (TestObjects objects = new TestObjects()) {
            String corrupt = objects.name("ls-corrupt");
            String truncated = objects.name("ls-truncated");
            try (RingChannel ring = RingChannel.create(corrupt, ChannelOptions.of(ChannelType.SPSC).capacity(4096))) {
                // a hostile process writes an endpoint slot count no channel can have
                try (SharedMemory raw = SharedMemory.open(corrupt)) {
                    raw.segment().set(ValueLayout.JAVA_INT,
                            SegmentHeaderDescriptor.HEADER_SIZE + ChannelDescriptor.ENDPOINT_SLOTS_OFFSET, 1_000_000);
                }
            }
            try (SharedMemory raw = SharedMemory.create(truncated, 256)) {
                // our magic and a channel's kind, then a header that claims more than there is
                raw.segment().set(ValueLayout.JAVA_LONG, SegmentHeaderDescriptor.MAGIC_OFFSET, SegmentHeaderDescriptor.MAGIC);
                raw.segment().set(ValueLayout.JAVA_INT, SegmentHeaderDescriptor.KIND_OFFSET, 5);
                raw.segment().set(ValueLayout.JAVA_INT, SegmentHeaderDescriptor.LAYOUT_VERSION_OFFSET, 2);
                raw.segment().set(ValueLayout.JAVA_LONG, SegmentHeaderDescriptor.HEADER_SIZE_OFFSET,
                        SegmentHeaderDescriptor.HEADER_SIZE);
                raw.segment().set(ValueLayout.JAVA_LONG, SegmentHeaderDescriptor.TOTAL_SIZE_OFFSET, 1 << 30);
                raw.segment().set(ValueLayout.JAVA_INT, SegmentHeaderDescriptor.CREATOR_PID_OFFSET,
                        (int) ProcessHandle.current().pid());
                raw.segment().set(ValueLayout.JAVA_INT, SegmentHeaderDescriptor.READY_OFFSET, SegmentHeaderDescriptor.READY);
            }

            IpcProcess.Result text = IpcProcess.run("ls", TestObjects.glob());
            IpcProcess.Result json = IpcProcess.run("ls", TestObjects.glob(), "--json");
            IpcProcess.Result stat = IpcProcess.run("stat", corrupt);

            assertEquals(0, text.exitCode(), text::toString);
            assertTrue(text.out().lines().anyMatch(l -> l.startsWith(corrupt + " ") && l.contains("corrupt")
                    && l.contains("endpoint slot count 1000000")), text::toString);
            assertTrue(text.out().lines().anyMatch(l -> l.startsWith(truncated + " ") && l.contains("corrupt")
                    && l.contains("1073741824")), text::toString);
            assertEquals("", text.err(), text::toString);
            JsonObject ls = TestObjects.json(json.out());
            assertEquals("corrupt", TestObjects.find(ls, corrupt).get("status").getAsString());
            assertFalse(TestObjects.find(ls, corrupt).get("stale").getAsBoolean(), "a corrupt segment is never stale");
            assertEquals("corrupt", TestObjects.find(ls, truncated).get("status").getAsString());
            assertEquals(0, stat.exitCode(), stat::toString);
            assertTrue(stat.out().startsWith(corrupt + ": a corrupt panama-ipc segment"), stat::toString);
            assertTrue(stat.out().contains("problem"), stat::toString);
        }
    }

    @Test
    @Timeout(60)
    void shouldSayQueuesAreNotListedWhenTheMqueueFileSystemIsNotMounted() {
        IpcProcess.Result run = IpcProcess.runWith(List.of("-D" + Inspector.MQUEUE_PROPERTY + "=/nonexistent/mqueue"),
                "ls", TestObjects.glob());
        IpcProcess.Result json = IpcProcess.runWith(List.of("-D" + Inspector.MQUEUE_PROPERTY + "=/nonexistent/mqueue"),
                "ls", TestObjects.glob(), "--json");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Queues are not listed: /nonexistent/mqueue is not mounted"), run::toString);
        assertFalse(TestObjects.json(json.out()).get("queuesListed").getAsBoolean(), json::toString);
    }

    @Test
    @Timeout(60)
    void shouldSaySoWhenNothingMatches() {
        IpcProcess.Result run = IpcProcess.run("ls", TestObjects.glob() + "-nothing-*");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("No panama-ipc objects match "), run::toString);
    }
}
