package org.panamaipc.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.panamaipc.AlreadyExistsException;
import org.panamaipc.NotFoundException;
import org.panamaipc.children.MessagingChild;
import org.panamaipc.message.MessageRecords.Job;
import org.panamaipc.process.ProcessId;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamaipc.message.MessageRecords.JOBS;

/**
 * What a port adds to a mailbox: an owner that is its only receiver, and that takes the port
 * with it when it closes or dies, SIGKILL included.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class PortTest {

    private static final Duration CHILD_DEADLINE = Duration.ofSeconds(60);

    private static MailboxOptions options(Transport transport) {
        return transport == Transport.RING ? MailboxOptions.ring().capacity(16) : MailboxOptions.queue();
    }

    private static Job job(long id) {
        return new Job(id, 1, 0, "job-" + id);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void shouldLetOnlyTheOwnerReceive(Transport transport) throws Exception {
        String name = TestNames.unique("port-own-" + transport);
        try (Port<Job> owner = Port.create(name, options(transport), JOBS);
             Port<Job> client = Port.open(name, JOBS)) {
            assertTrue(owner.isOwner());
            assertFalse(client.isOwner());
            assertEquals(ProcessId.current(), client.owner());
            assertTrue(client.ownerPresent());
            IllegalStateException e = assertThrows(IllegalStateException.class, client::tryReceive);
            assertTrue(e.getMessage().contains("only its owner receives"), e.getMessage());
            assertTrue(client.trySend(job(1)) > 0);
            assertEquals(job(1), owner.receive(Duration.ofSeconds(1)));
        } finally {
            Port.unlinkIfExists(name);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void shouldFailASendAtOnceAfterTheOwnerClosedAndFreeTheName(Transport transport) throws Exception {
        String name = TestNames.unique("port-close-" + transport);
        try {
            Port<Job> owner = Port.create(name, options(transport), JOBS);
            try (Port<Job> client = Port.open(name, JOBS)) {
                while (client.trySend(job(1)) > 0) {
                    // fill it: a send after the owner has gone must not wait for room
                }
                owner.close();
                assertFalse(Mailbox.exists(name), "the owner's close removed the port");
                assertFalse(client.ownerPresent());
                assertEquals(Mailbox.CLOSED, client.trySend(job(2)));
                assertEquals(Mailbox.CLOSED, client.send(job(2), Duration.ofSeconds(30)));
                PortGoneException e = assertThrows(PortGoneException.class, () -> client.send(job(2)));
                assertTrue(e.closedByOwner());
                assertEquals(ProcessId.current().pid(), e.ownerPid());
                assertEquals(name, e.port());
                assertTrue(e.getMessage().contains("has closed it"), e.getMessage());
            }
            assertThrows(NotFoundException.class, () -> Port.open(name, JOBS));
            try (Port<Job> again = Port.create(name, options(transport), JOBS)) {
                assertTrue(again.isOwner(), "the name can be taken again");
            }
        } finally {
            Port.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseASecondOwnerWhileTheFirstLives() throws Exception {
        String name = TestNames.unique("port-held");
        try (Port<Job> owner = Port.create(name, MailboxOptions.ring(), JOBS)) {
            AlreadyExistsException e = assertThrows(AlreadyExistsException.class,
                    () -> Port.create(name, MailboxOptions.ring(), JOBS));
            assertTrue(e.getMessage().contains("owned by process " + ProcessId.current().pid()), e.getMessage());
            try (Port<Job> client = Port.openOrCreate(name, MailboxOptions.ring(), JOBS)) {
                assertFalse(client.created());
                assertFalse(client.isOwner());
            }
            assertThrows(IllegalArgumentException.class, () -> Mailbox.open(name, JOBS), "a port is not opened as a mailbox");
        } finally {
            Port.unlinkIfExists(name);
        }
    }

    /**
     * The owner's JVM is killed with SIGKILL: the next send fails at once with the specific
     * exception (without waiting for room: the port is full), and the name can be taken again,
     * whoever comes first.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void shouldFailTheNextSendAtOnceWhenTheOwnerIsKilled(Transport transport) throws Exception {
        String name = TestNames.unique("port-kill-" + transport);
        try (ChildProcess owner = ChildProcess.java(MessagingChild.class, "port-owner", name,
                transport == Transport.RING ? "ring" : "queue")) {
            owner.awaitOutput("READY", CHILD_DEADLINE);
            try (Port<Job> client = Port.open(name, JOBS)) {
                assertEquals(owner.pid(), client.owner().pid());
                assertTrue(client.send(job(1), Duration.ofSeconds(5)) > 0);
                owner.awaitOutput("GOT 1", CHILD_DEADLINE);
                owner.kill();
                assertFalse(owner.process().isAlive());
                assertFalse(client.ownerPresent(), "the kernel marked the owner lock");
                long start = System.nanoTime();
                PortGoneException e = assertThrows(PortGoneException.class, () -> client.send(job(2)));
                long micros = (System.nanoTime() - start) / 1000;
                assertFalse(e.closedByOwner());
                assertEquals((int) owner.pid(), e.ownerPid());
                assertTrue(e.getMessage().contains("process " + owner.pid() + ", has died"), e.getMessage());
                assertEquals(Mailbox.CLOSED, client.trySend(job(3)));
                System.out.printf("port over %s: the send after SIGKILL failed in %d us%n", transport, micros);
            }
            assertTrue(Mailbox.exists(name), "a dead owner leaves its port until someone takes the name");
            try (Port<Job> again = Port.create(name, options(transport), JOBS)) {
                assertTrue(again.isOwner(), "the name is taken over from the dead owner");
                try (Port<Job> client = Port.open(name, JOBS)) {
                    client.send(job(4));
                }
                assertEquals(job(4), again.receive(Duration.ofSeconds(5)));
            }
            assertFalse(Files.exists(Path.of("/dev/shm", name.substring(1))));
        } finally {
            Port.unlinkIfExists(name);
        }
    }
}
