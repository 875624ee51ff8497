package org.panamaipc.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.unbounded.UnboundedLink;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ipc ls}, {@code stat} and {@code rm} on a broadcast and a rendezvous that another JVM
 * holds: their kind, endpoints with pids, what they carried, and once that JVM is killed, stale.
 */
@ExtendWith(NoLeakedObjects.class)
class PatternsListingTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    @Timeout(120)
    void shouldShowABroadcastWithItsPublisherSubscribersAndLosses() {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("ls-bc");
            try (ChildProcess holder = ChildProcess.java(Holder.class, "broadcast", name)) {
                holder.awaitOutput("READY", DEADLINE);
                long pid = holder.pid();

                IpcProcess.Result ls = IpcProcess.run("ls", TestObjects.glob());
                assertEquals(0, ls.exitCode(), ls::toString);
                String row = row(ls, name);
                assertTrue(row.contains("broadcast"), row);
                assertTrue(row.contains(pid + " publisher, " + pid + " subscriber, " + pid + " subscriber"), row);
                assertTrue(row.contains("LOSSY, 20 published, 2 subscribers, 12 lost"), row);
                assertTrue(row.contains(" live "), row);

                IpcProcess.Result stat = IpcProcess.run("stat", name);
                assertEquals(0, stat.exitCode(), stat::toString);
                assertTrue(stat.out().contains("panama-ipc broadcast"), stat::toString);
                assertTrue(stat.out().contains("LOSSY, 8 records"), stat::toString);
                assertTrue(stat.out().contains("received 8, lost 12, behind 0"), stat::toString);
                assertTrue(stat.out().contains("received 0, lost 0, behind 20"), stat::toString);

                JsonObject json = TestObjects.find(TestObjects.json(IpcProcess.run("ls", TestObjects.glob(), "--json").out()),
                        name);
                assertNotNull(json);
                assertEquals("broadcast", json.get("kind").getAsString());
                assertEquals(20, json.getAsJsonObject("details").get("published").getAsLong());
                JsonArray endpoints = json.getAsJsonArray("endpoints");
                assertEquals(3, endpoints.size(), json::toString);
                assertEquals("publisher", endpoints.get(0).getAsJsonObject().get("role").getAsString());

                holder.kill();
                holder.waitFor(DEADLINE);
                String dead = row(IpcProcess.run("ls", TestObjects.glob()), name);
                assertTrue(dead.contains(pid + " publisher dead"), dead);
                assertTrue(dead.contains(" stale "), dead);
                IpcProcess.Result rm = IpcProcess.run("rm", "--stale", "--match", TestObjects.glob());
                assertEquals(0, rm.exitCode(), rm::toString);
                assertFalse(Inspector.segmentExists(name), rm::toString);
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldShowARendezvousWithItsSendersAndReceivers() {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("ls-rv");
            try (ChildProcess holder = ChildProcess.java(Holder.class, "rendezvous", name)) {
                holder.awaitOutput("READY", DEADLINE);
                long pid = holder.pid();

                String row = row(IpcProcess.run("ls", TestObjects.glob()), name);
                assertTrue(row.contains("rendezvous"), row);
                assertTrue(row.contains(pid + " sender, " + pid + " receiver"), row);
                assertTrue(row.contains("1 sender, 1 receiver, 3 taken"), row);

                IpcProcess.Result stat = IpcProcess.run("stat", name, "--json");
                assertEquals(0, stat.exitCode(), stat::toString);
                JsonObject json = TestObjects.json(stat.out());
                assertEquals("rendezvous", json.get("kind").getAsString());
                assertEquals(3, json.getAsJsonObject("details").get("taken").getAsLong());
                assertEquals(64, json.getAsJsonObject("details").get("maxMessageLength").getAsLong());
                assertEquals(2, json.getAsJsonArray("endpoints").size(), json::toString);

                IpcProcess.Result text = IpcProcess.run("stat", name);
                assertTrue(text.out().contains("capacity zero, messages up to 64 B"), text::toString);
                assertTrue(text.out().contains("taken 3, withdrawn 0"), text::toString);
                assertTrue(text.out().contains("3 taken; 0 senders offering now"), text::toString);
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldShowAnUnboundedLinkWithItsPartsAndRemoveThemAllByItsName() {
        try (TestObjects objects = new TestObjects()) {
            String name = objects.name("ls-ub");
            try (ChildProcess holder = ChildProcess.java(Holder.class, "unbounded", name)) {
                holder.awaitOutput("READY", DEADLINE);

                IpcProcess.Result ls = IpcProcess.run("ls", TestObjects.glob());
                assertEquals(0, ls.exitCode(), ls::toString);
                String row = row(ls, name);
                assertTrue(row.contains("unbounded"), row);
                assertTrue(row.contains("sent 100, received 0"), row);
                assertTrue(row(ls, name + ".ring").contains("the ring of " + name), ls::toString);
                assertTrue(row(ls, name + ".spill.1").contains("spill segment 1 of " + name), ls::toString);

                IpcProcess.Result stat = IpcProcess.run("stat", name);
                assertTrue(stat.out().contains("unbounded: a ring of 1.0 KiB, then spill segments of 4.0 KiB"), stat::toString);
                assertTrue(stat.out().contains("sent 100, received 0, waiting 100"), stat::toString);

                holder.kill();
                holder.waitFor(DEADLINE);
                IpcProcess.Result dead = IpcProcess.run("ls", TestObjects.glob());
                assertTrue(row(dead, name).contains(" stale "), dead::toString);
                assertFalse(row(dead, name + ".spill.1").contains(" stale "),
                        "a part goes with its link, not on its own: " + dead);

                IpcProcess.Result rm = IpcProcess.run("rm", name);
                assertEquals(0, rm.exitCode(), rm::toString);
                assertFalse(Inspector.segmentExists(name));
                assertFalse(Inspector.segmentExists(name + ".ring"), rm::toString);
                assertFalse(Inspector.segmentExists(name + ".spill.1"), rm::toString);
            } finally {
                UnboundedLink.unlinkIfExists(name); // its parts too, whatever failed
            }
        }
    }

    private static String row(IpcProcess.Result ls, String name) {
        return ls.out().lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + name + ": " + ls));
    }
}
