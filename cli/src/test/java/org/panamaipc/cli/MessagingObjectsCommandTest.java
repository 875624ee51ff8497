package org.panamaipc.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.codec.Codec;
import org.panamaipc.endpoint.EndpointRegistry;
import org.panamaipc.endpoint.RegistryDescriptor;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxDescriptor;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ipc ls}, {@code stat} and {@code rm} on the objects of message passing (a mailbox, a
 * port, an endpoint registry) that another JVM holds, while it runs and after it was killed.
 */
@ExtendWith(NoLeakedObjects.class)
class MessagingObjectsCommandTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    @Timeout(180)
    void shouldShowMailboxesPortsAndRegistriesWithTheirTransportsOwnersAndNames() {
        try (TestObjects objects = new TestObjects()) {
            String base = objects.name("msg");
            String mailbox = base + "-mbox";
            String port = base + "-port";
            String registry = base + "-reg";
            List<String> all = List.of(mailbox, mailbox + ".ring", port, port + ".queue", registry,
                    registry + ".printer", registry + ".printer.ring");
            try (ChildProcess holder = ChildProcess.java(Holder.class, "messaging", base)) {
                holder.awaitOutput("READY", DEADLINE);
                long pid = holder.pid();

                IpcProcess.Result ls = IpcProcess.run("ls", TestObjects.glob());
                assertEquals(0, ls.exitCode(), ls::toString);
                String mailboxRow = row(ls, mailbox);
                assertTrue(mailboxRow.contains("mailbox ring"), mailboxRow);
                assertTrue(mailboxRow.contains("messages in " + mailbox + ".ring, capacity 16, each up to 1.0 KiB"), mailboxRow);
                String ringRow = row(ls, mailbox + ".ring");
                assertTrue(ringRow.contains("channel MPMC") && ringRow.contains("messages of mailbox " + mailbox), ringRow);
                String portRow = row(ls, port);
                assertTrue(portRow.contains("port queue") && portRow.contains("owned by " + pid), portRow);
                if (Inspector.mqueueMounted()) {
                    assertTrue(row(ls, port + ".queue").contains("messages of port " + port), ls::toString);
                }
                String registryRow = row(ls, registry);
                assertTrue(registryRow.contains("registry") && registryRow.contains("1 of 8 names: printer " + pid)
                        && registryRow.contains(" live "), registryRow);
                assertTrue(row(ls, registry + ".printer").contains("port ring"), ls::toString);

                JsonObject json = TestObjects.json(IpcProcess.run("ls", TestObjects.glob(), "--json").out());
                JsonObject names = TestObjects.find(json, registry);
                assertNotNull(names, json::toString);
                assertEquals("registry", names.get("kind").getAsString());
                JsonArray held = names.getAsJsonObject("details").getAsJsonArray("names");
                assertEquals(1, held.size(), names::toString);
                assertEquals("printer", held.get(0).getAsJsonObject().get("name").getAsString());
                assertEquals(pid, held.get(0).getAsJsonObject().get("pid").getAsLong());
                assertTrue(held.get(0).getAsJsonObject().get("alive").getAsBoolean());
                JsonObject portJson = TestObjects.find(json, port).getAsJsonObject("details");
                assertEquals("queue", portJson.get("transport").getAsString());
                assertTrue(portJson.get("ownerAlive").getAsBoolean(), portJson::toString);

                IpcProcess.Result stat = IpcProcess.run("stat", registry);
                assertEquals(0, stat.exitCode(), stat::toString);
                assertTrue(stat.out().contains("panama-ipc registry"), stat::toString);
                assertTrue(stat.out().contains("1 of 8 entries held"), stat::toString);
                assertTrue(stat.out().lines().anyMatch(l -> l.contains("printer") && l.contains(" " + pid + " ")
                        && l.contains("alive")), stat::toString);
                IpcProcess.Result portStat = IpcProcess.run("stat", port);
                assertTrue(portStat.out().contains("panama-ipc port queue"), portStat::toString);
                assertTrue(portStat.out().lines().anyMatch(l -> l.strip().startsWith("owner ") && l.contains("owned by " + pid)),
                        portStat::toString);

                holder.kill(); // SIGKILL: nothing closes, the kernel marks the port's owner lock

                IpcProcess.Result after = IpcProcess.run("ls", TestObjects.glob());
                String deadPort = row(after, port);
                assertTrue(deadPort.contains("owner " + pid + " dead") && deadPort.contains(" stale "), deadPort);
                assertTrue(row(after, registry).contains("printer " + pid + " dead"), after::toString);

                IpcProcess.Result rm = IpcProcess.run("rm", mailbox);
                assertEquals(0, rm.exitCode(), rm::toString);
                assertTrue(rm.out().contains("removed mailbox ring " + mailbox), rm::toString);
                assertTrue(rm.out().contains("removed its ring " + mailbox + ".ring"), rm::toString);
                assertFalse(SharedMemory.exists(mailbox + ".ring"), "the mailbox went with its ring");

                IpcProcess.Result stale = IpcProcess.run("rm", "--stale", "--match", port.substring(1) + "*");
                assertEquals(0, stale.exitCode(), stale::toString);
                assertTrue(stale.out().contains("removed port queue " + port), stale::toString);
                assertTrue(stale.out().contains("removed its message queue " + port + ".queue"), stale::toString);
                assertFalse(MessageQueue.exists(port + ".queue"), "a stale port went with its queue");
            } finally {
                for (String name : all) {
                    SharedMemory.unlinkIfExists(name);
                    MessageQueue.unlinkIfExists(name);
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldListARegistryOrMailboxThatCannotBeRightAsCorrupt() {
        try (TestObjects objects = new TestObjects()) {
            String registry = objects.name("msg-bad-reg");
            String mailbox = objects.name("msg-bad-mbox");
            try {
                EndpointRegistry.create(registry, 4).close();
                Mailbox.create(mailbox, MailboxOptions.ring().capacity(4), Codec.bytes()).close();
                try (SharedMemory raw = SharedMemory.open(registry)) { // a hostile process
                    raw.segment().set(ValueLayout.JAVA_INT, SegmentHeaderDescriptor.HEADER_SIZE
                            + RegistryDescriptor.entryOffset(2) + RegistryDescriptor.ENTRY_STATE_OFFSET, 7);
                }
                try (SharedMemory raw = SharedMemory.open(mailbox)) {
                    raw.segment().set(ValueLayout.JAVA_INT, SegmentHeaderDescriptor.HEADER_SIZE
                            + MailboxDescriptor.TRANSPORT_OFFSET, 9);
                }
                IpcProcess.Result ls = IpcProcess.run("ls", TestObjects.glob());
                assertEquals(0, ls.exitCode(), ls::toString);
                assertTrue(row(ls, registry).contains("corrupt") && row(ls, registry).contains("entry 2: its state is 7"),
                        ls::toString);
                assertTrue(row(ls, mailbox).contains("corrupt") && row(ls, mailbox).contains("its transport is 9"),
                        ls::toString);
            } finally {
                SharedMemory.unlinkIfExists(mailbox + ".ring");
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldShowAMailboxWithoutTheEnvelopeAndCallUnknownFlagsCorrupt() {
        try (TestObjects objects = new TestObjects()) {
            String bare = objects.name("msg-bare-mbox");
            String flagged = objects.name("msg-flag-mbox");
            try {
                Mailbox.create(bare, MailboxOptions.ring().capacity(4).withoutEnvelope(), Codec.bytes()).close();
                Mailbox.create(flagged, MailboxOptions.ring().capacity(4), Codec.bytes()).close();
                try (SharedMemory raw = SharedMemory.open(flagged)) { // a writer of a layout this version does not know
                    raw.segment().set(ValueLayout.JAVA_INT, SegmentHeaderDescriptor.HEADER_SIZE
                            + MailboxDescriptor.FLAGS_OFFSET, 0x100);
                }
                IpcProcess.Result stat = IpcProcess.run("stat", bare);
                assertEquals(0, stat.exitCode(), stat::toString);
                assertTrue(stat.out().contains("values without the envelope"), stat::toString);
                JsonObject json = TestObjects.json(IpcProcess.run("ls", TestObjects.glob(), "--json").out());
                assertFalse(TestObjects.find(json, bare).getAsJsonObject("details").get("envelope").getAsBoolean(),
                        json::toString);
                IpcProcess.Result ls = IpcProcess.run("ls", TestObjects.glob());
                assertTrue(row(ls, flagged).contains("corrupt") && row(ls, flagged).contains("flags 0x100"), ls::toString);
                assertFalse(row(ls, bare).contains("corrupt"), ls::toString);
            } finally {
                SharedMemory.unlinkIfExists(bare + ".ring");
                SharedMemory.unlinkIfExists(flagged + ".ring");
            }
        }
    }

    private static String row(IpcProcess.Result ls, String name) {
        return ls.out().lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + name + ": " + ls));
    }
}
