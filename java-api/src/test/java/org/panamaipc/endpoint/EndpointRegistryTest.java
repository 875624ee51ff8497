package org.panamaipc.endpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.InvalidNameException;
import org.panamaipc.NotFoundException;
import org.panamaipc.PeerGoneException;
import org.panamaipc.children.MessagingChild;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.Length;
import org.panamaipc.message.Header;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.MessageRecords;
import org.panamaipc.message.MessageRecords.Job;
import org.panamaipc.message.Port;
import org.panamaipc.process.ProcessId;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamaipc.message.MessageRecords.JOBS;

/** The endpoint registry and its endpoints in one process, plus the refusals of bad input. */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class EndpointRegistryTest {

    private interface Body {
        void run(EndpointRegistry registry) throws Exception;
    }

    private static void withRegistry(int entries, Body body) throws Exception {
        String name = TestNames.unique("reg");
        try (EndpointRegistry registry = EndpointRegistry.create(name, entries)) {
            body.run(registry);
        } finally {
            EndpointRegistry.unlinkIfExists(name);
        }
    }

    private static Job job(long id, String from) {
        return new Job(id, 0, 0, from);
    }

    @Test
    void shouldRefuseToRegisterAnEndpointWithoutTheEnvelope() throws Exception {
        String name = TestNames.unique("reg-bare");
        try (EndpointRegistry registry = EndpointRegistry.create(name, 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> registry.register("alice", MailboxOptions.ring().withoutEnvelope(), JOBS));
            assertTrue(e.getMessage().contains("reply address"), e.getMessage());
            try (Endpoint<Job> alice = registry.register("alice", JOBS)) {
                assertEquals("alice", alice.name(), "the refusal held nothing");
            }
        } finally {
            EndpointRegistry.unlinkIfExists(name);
        }
    }

    @Test
    void shouldSendByNameAndReplyToTheSource() throws Exception {
        withRegistry(8, registry -> {
            try (Endpoint<Job> alice = registry.register("alice", JOBS);
                 Endpoint<Job> bob = registry.register("bob", MailboxOptions.queue(), JOBS)) {
                assertEquals(List.of("alice", "bob"), registry.names());
                assertEquals(ProcessId.current(), registry.holder("alice"));
                assertEquals(registry.name() + ".alice", alice.port().name());
                assertTrue(alice.send("bob", job(1, "alice")) > 0);
                assertEquals(job(1, "alice"), bob.receive(Duration.ofSeconds(1)));
                Header header = bob.lastHeader();
                assertEquals(alice.address(), header.replyTo(), "the message names its source");
                assertEquals("alice", bob.nameOf(header.replyTo()));
                assertTrue(bob.reply(header.replyTo(), job(2, "bob")) > 0);
                assertEquals(job(2, "bob"), alice.receive(Duration.ofSeconds(1)));
                assertEquals("bob", alice.nameOf(alice.lastHeader().replyTo()));
                assertTrue(alice.tryReply(alice.lastHeader().replyTo(), job(3, "alice")) > 0, "a reply replies too");
                assertEquals(3, bob.receive(Duration.ofSeconds(1)).id());
                for (Endpoint<Job> each : List.of(alice, bob)) {
                    assertEquals(Endpoint.EMPTY, each.poll((h, s, o, l) -> { }, 4), "EMPTY, never 0");
                    assertEquals(Endpoint.EMPTY, each.receive((h, s, o, l) -> { }, 4, Duration.ofMillis(10)));
                }
            }
            assertEquals(List.of(), registry.names(), "closing frees the names");
        });
    }

    @Test
    void shouldSendToANameWithoutHavingOne() throws Exception {
        withRegistry(4, registry -> {
            try (Endpoint<Job> printer = registry.register("printer", JOBS);
                 Port<Job> client = registry.lookup("printer", JOBS)) {
                client.send(job(1, "anonymous"));
                assertEquals(job(1, "anonymous"), printer.receive(Duration.ofSeconds(1)));
                assertEquals(Header.NO_REPLY, printer.lastHeader().replyTo());
                assertThrows(IllegalArgumentException.class, () -> printer.tryReply(Header.NO_REPLY, job(2, "x")));
            }
            NotFoundException e = assertThrows(NotFoundException.class, () -> registry.lookup("printer", JOBS));
            assertTrue(e.getMessage().contains("printer"), e.getMessage());
        });
    }

    @Test
    void shouldRefuseAReplyToAnEndpointThatHasGoneEvenIfItsEntryIsTakenAgain() throws Exception {
        withRegistry(1, registry -> {
            long oldAddress;
            try (Endpoint<Job> first = registry.register("first", JOBS)) {
                oldAddress = first.address();
            }
            try (Endpoint<Job> second = registry.register("second", JOBS)) {
                assertEquals(EnvelopeEntry.of(oldAddress), EnvelopeEntry.of(second.address()), "the same entry, taken again");
                assertFalse(oldAddress == second.address(), "a new registration has a new address");
                assertEquals(Endpoint.CLOSED, second.tryReply(oldAddress, job(1, "x")));
                assertThrows(PeerGoneException.class, () -> second.reply(oldAddress, job(1, "x")));
                assertNull(second.nameOf(oldAddress));
                assertNull(second.tryReceive(), "nothing was misdelivered");
            }
        });
    }

    @Test
    void shouldRefuseAHeldNameNamingTheHolder() throws Exception {
        withRegistry(4, registry -> {
            try (Endpoint<Job> printer = registry.register("printer", JOBS)) {
                NameTakenException e = assertThrows(NameTakenException.class, () -> registry.register("printer", JOBS));
                assertEquals(ProcessId.current().pid(), e.holderPid());
                assertEquals("EEXIST", e.errnoName());
                assertTrue(e.getMessage().contains("process " + ProcessId.current().pid() + " holds it"), e.getMessage());
                assertEquals(List.of("printer"), registry.names());
            }
        });
    }

    @Test
    void shouldRefuseARegistrationWhenFullWithASpecificException() throws Exception {
        withRegistry(2, registry -> {
            try (Endpoint<Job> a = registry.register("a", JOBS);
                 Endpoint<Job> b = registry.register("b", JOBS)) {
                RegistryFullException e = assertThrows(RegistryFullException.class, () -> registry.register("c", JOBS));
                assertEquals("registry entries", e.limit());
                assertEquals("2", e.currentValue());
                assertFalse(Mailbox.exists(registry.portName("c")), "no port is left behind");
            }
            try (Endpoint<Job> c = registry.register("c", JOBS)) {
                assertEquals("c", c.name(), "closing made room");
            }
        });
    }

    @Test
    void shouldFreeTheEntryOfAHolderThatDied() throws Exception {
        withRegistry(1, registry -> {
            try (ChildProcess holder = ChildProcess.java(MessagingChild.class, "register", registry.name(), "printer")) {
                holder.awaitOutput("REGISTERED", Duration.ofSeconds(60));
                assertEquals(holder.pid(), registry.holder("printer").pid());
                assertThrows(RegistryFullException.class, () -> registry.register("other", JOBS));
                holder.kill();
            }
            try (Endpoint<Job> printer = registry.register("printer", JOBS)) {
                assertEquals(ProcessId.current(), registry.holder("printer"), "the dead holder's entry and port were taken over");
            }
        });
    }

    @Test
    void shouldRefuseBadNamesAndRecordsThatCannotBeLaidOut() throws Exception {
        withRegistry(2, registry -> {
            InvalidNameException tooLong = assertThrows(InvalidNameException.class,
                    () -> registry.register("x".repeat(64), JOBS));
            assertTrue(tooLong.getMessage().contains("at most 63 bytes"), tooLong.getMessage());
            assertThrows(InvalidNameException.class, () -> registry.register("a/b", JOBS));
            assertThrows(InvalidNameException.class, () -> registry.register("", JOBS));
            assertEquals(List.of(), registry.names());
        });
        InvalidNameException mailboxName = assertThrows(InvalidNameException.class,
                () -> Mailbox.create("/" + "m".repeat(Mailbox.MAX_NAME_BYTES + 1), MailboxOptions.ring(), JOBS));
        assertTrue(mailboxName.getMessage().contains("a mailbox or port name may have"), mailboxName.getMessage());
        assertThrows(InvalidNameException.class,
                () -> EndpointRegistry.create("/" + "r".repeat(EndpointRegistry.MAX_REGISTRY_NAME_BYTES + 1)));
        IllegalArgumentException layout = assertThrows(IllegalArgumentException.class,
                () -> Codec.ofRecord(Unlaid.class));
        assertTrue(layout.getMessage().contains("names"), layout.getMessage());
        IllegalArgumentException unsized = assertThrows(IllegalArgumentException.class,
                () -> Mailbox.create(TestNames.unique("unsized"), MailboxOptions.ring(), Codec.ofRecord(Unsized.class)));
        assertTrue(unsized.getMessage().contains("missing"), unsized.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EndpointRegistry.create(TestNames.unique("reg0"), 0));
    }

    /** A record that cannot be laid out: a list has no fixed size. */
    record Unlaid(long id, List<String> names) {
    }

    /** A record with an array missing its length. */
    record Unsized(@Length(2) int[] ok, long[] missing) {
    }

    @Test
    void shouldFreeTheNamesOfManyEndpointsOfOneProcess() throws Exception {
        withRegistry(16, registry -> {
            List<Endpoint<Job>> endpoints = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    endpoints.add(registry.register("worker-" + i, JOBS));
                }
                assertEquals(16, registry.names().size());
            } finally {
                endpoints.forEach(Endpoint::close);
            }
            assertEquals(List.of(), registry.names());
        });
    }

    /** The entry part of a reply address, for comparing. */
    private record EnvelopeEntry(int entry) {
        static EnvelopeEntry of(long address) {
            return new EnvelopeEntry(org.panamaipc.message.EnvelopeDescriptor.replyEntry(address));
        }
    }
}
