package org.panamaipc.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.children.MessagingChild;
import org.panamaipc.message.MessageRecords.Job;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mailbox of one receiver at a time ({@link MailboxOptions#withSingleReceiver()}), across real
 * processes: while a receiver JVM holds it, every other handle's receive is refused, naming the
 * holder's pid; once that JVM is killed with SIGKILL, another handle takes what is left, each
 * message once and in order. The rest of the mailbox contract runs in {@link MailboxConformanceTest}.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class SingleReceiverMailboxTest {

    private static final Duration CHILD_DEADLINE = Duration.ofSeconds(60);

    @Test
    void shouldRefuseASecondReceiverWhileTheFirstLivesAndServeTheNextOnceItIsKilled() throws Exception {
        String name = TestNames.unique("mbox-single");
        MailboxOptions options = MailboxOptions.ring().capacity(64).withSingleReceiver();
        try (Mailbox<Job> mailbox = Mailbox.create(name, options, MessageRecords.JOBS);
             ChildProcess holder = ChildProcess.java(MessagingChild.class, "mailbox-hold", name)) {
            mailbox.send(new Job(1, 1, 0, "first"));
            holder.awaitOutput("HELD 1 " + holder.pid(), CHILD_DEADLINE);
            for (long id = 2; id <= 11; id++) {
                assertTrue(mailbox.trySend(new Job(id, 1, 0, "job-" + id)) >= 1, "sent " + id);
            }

            IllegalStateException refused = assertThrows(IllegalStateException.class, mailbox::tryReceive);
            assertTrue(refused.getMessage().contains(name) && refused.getMessage().contains(Long.toString(holder.pid())),
                    "names the mailbox and the holder: " + refused.getMessage());
            assertThrows(IllegalStateException.class, mailbox::attachReceiver, "attaching alone is refused too");
            try (Mailbox<Job> other = Mailbox.open(name, MessageRecords.JOBS, WaitStrategy.yielding())) {
                assertThrows(IllegalStateException.class, () -> other.receive(Duration.ofMillis(10)));
            }

            holder.kill();                               // SIGKILL, and waits for it to end
            mailbox.attachReceiver();                    // the dead holder's slot is retired: ours now
            for (long id = 2; id <= 11; id++) {
                Job job = mailbox.receive(Duration.ofSeconds(10));
                assertEquals(id, job == null ? -1 : job.id(), "after the holder died, in order");
            }
            assertNull(mailbox.tryReceive(), "each message once: the dead holder took job 1 only");
        } finally {
            Mailbox.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseToAttachAReceiverToAClosedHandleOrAPortsClient() {
        String name = TestNames.unique("mbox-attach");
        try (Port<Job> port = Port.create(name, MailboxOptions.ring().capacity(8), MessageRecords.JOBS);
             Mailbox<Job> client = Port.open(name, MessageRecords.JOBS)) {
            port.attachReceiver();                       // the owner: attached already, nothing happens
            IllegalStateException notOwner = assertThrows(IllegalStateException.class, client::attachReceiver);
            assertTrue(notOwner.getMessage().contains("only its owner receives"), notOwner.getMessage());
            client.close();
            IllegalStateException closed = assertThrows(IllegalStateException.class, client::attachReceiver);
            assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        } finally {
            Port.unlinkIfExists(name);
        }
    }

    @Test
    void shouldBeRefusedForAQueueAndKeptByTheOtherOptions() {
        IllegalArgumentException queue = assertThrows(IllegalArgumentException.class,
                () -> MailboxOptions.queue().withSingleReceiver());
        assertTrue(queue.getMessage().contains("QUEUE"), queue.getMessage());

        MailboxOptions single = MailboxOptions.ring().withSingleReceiver().capacity(8).maxMessageLength(100)
                .mode(0660).waitStrategy(WaitStrategy.yielding()).withoutEnvelope();
        assertTrue(single.singleReceiver(), "every with-method keeps it");
        assertFalse(MailboxOptions.ring().singleReceiver(), "many receivers unless asked");
        assertFalse(new MailboxOptions(Transport.RING, 8, 0, 0600, WaitStrategy.blocking(), true).singleReceiver(),
                "the earlier constructor: many receivers");
    }
}
