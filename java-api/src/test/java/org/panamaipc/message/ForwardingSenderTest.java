package org.panamaipc.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.codec.Codec;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A forwarded send delivers the value with the header given (what a bridge does with a message
 * from another host), on both transports, beside the mailbox's own sends.
 */
class ForwardingSenderTest {

    @ParameterizedTest
    @ValueSource(strings = {"ring", "queue"})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldDeliverTheValueWithTheHeaderGiven(String transport) throws Exception {
        String name = TestNames.unique("fwd-" + transport);
        MailboxOptions options = (transport.equals("ring") ? MailboxOptions.ring() : MailboxOptions.queue().capacity(8))
                .maxMessageLength(64);
        try (Mailbox<byte[]> mailbox = Mailbox.create(name, options, Codec.bytes());
             ForwardingSender forward = ForwardingSender.of(mailbox)) {
            byte[] value = "from another host".getBytes(StandardCharsets.UTF_8);
            MemorySegment source = MemorySegment.ofArray(new byte[value.length + 3]);
            MemorySegment.copy(MemorySegment.ofArray(value), 0, source, 3, value.length);
            assertTrue(forward.trySend(7, 3, 424242, 99, 123_456_789L, source, 3, value.length) >= 0);
            assertTrue(mailbox.trySend("local".getBytes(StandardCharsets.UTF_8)) >= 0);

            assertArrayEquals(value, mailbox.receive(Duration.ofSeconds(5)));
            Header h = mailbox.lastHeader();
            assertEquals(7, h.type());
            assertEquals(3, h.source());
            assertEquals(424242, h.sourcePid());
            assertEquals(99, h.sequence());
            assertEquals(123_456_789L, h.sendTime());
            assertEquals(Header.NO_REPLY, h.replyTo());
            assertEquals(value.length, h.length());

            assertArrayEquals("local".getBytes(StandardCharsets.UTF_8), mailbox.receive(Duration.ofSeconds(5)));
            assertEquals(ProcessHandleHolder.PID, mailbox.lastHeader().sourcePid(), "a local send still names this process");
            assertEquals(0, mailbox.lastHeader().type());
        } finally {
            Mailbox.unlinkIfExists(name);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldForwardValuesAsLongAndAsManyAsLocalOnesAndSayFullWhenFull() throws Exception {
        String name = TestNames.unique("fwd-limits");
        try (Mailbox<byte[]> mailbox = Mailbox.create(name, MailboxOptions.ring().capacity(2).maxMessageLength(64), Codec.bytes());
             ForwardingSender forward = ForwardingSender.of(mailbox)) {
            assertEquals(64, forward.maxValueLength());
            MemorySegment value = MemorySegment.ofArray(new byte[65]);
            assertThrows(MessageTooLongException.class, () -> forward.trySend(0, 1, 2, 3, 4, value, 0, 65));
            long sent = 0;
            int count = 0;
            while (sent >= 0 && count < 1000) {
                sent = forward.trySend(0, 1, 2, ++count, 4, value, 0, 64);
            }
            assertEquals(Mailbox.FULL, sent, "a full ring says FULL");
            assertTrue(count - 1 >= 2, "the capacity holds for forwarded values of the longest length: " + (count - 1));
            for (int i = 1; i < count; i++) {
                assertEquals(64, mailbox.receive(Duration.ofSeconds(5)).length);
                assertEquals(i, mailbox.lastHeader().sequence(), "in order");
            }
        } finally {
            Mailbox.unlinkIfExists(name);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldForwardTheValueAndTypeAloneIntoAMailboxWithoutTheEnvelope() throws Exception {
        String name = TestNames.unique("fwd-bare");
        try (Mailbox<byte[]> mailbox = Mailbox.create(name, MailboxOptions.ring().maxMessageLength(64).withoutEnvelope(),
                Codec.bytes());
             ForwardingSender forward = ForwardingSender.of(mailbox)) {
            byte[] value = "bare".getBytes(StandardCharsets.UTF_8);
            assertTrue(forward.trySend(7, 3, 424242, 99, 123_456_789L, MemorySegment.ofArray(value), 0, value.length) >= 0);
            assertArrayEquals(value, mailbox.receive(Duration.ofSeconds(5)));
            Header h = mailbox.lastHeader();
            assertEquals(7, h.type());
            assertEquals(value.length, h.length());
            assertEquals(0, h.sourcePid(), "no envelope for the original sender's pid");
            assertEquals(0, h.sendTime());
            assertEquals(1, h.sequence(), "the forwarding endpoint's own sequence in the ring");
            assertEquals(64, forward.maxValueLength());
            assertThrows(MessageTooLongException.class,
                    () -> forward.trySend(0, 1, 2, 3, 4, MemorySegment.ofArray(new byte[65]), 0, 65));
        } finally {
            Mailbox.unlinkIfExists(name);
        }
    }

    @Test
    void shouldRefuseAQueueWithoutTheEnvelope() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MailboxOptions.queue().withoutEnvelope());
        assertTrue(e.getMessage().contains("QUEUE"), e.getMessage());
        assertTrue(MailboxOptions.ring().enveloped() && !MailboxOptions.ring().withoutEnvelope().enveloped());
        assertTrue(!MailboxOptions.ring().withoutEnvelope().capacity(8).enveloped(), "kept by the other options");
    }

    /** The pid of this process, as a mailbox's sends name it. */
    private static final class ProcessHandleHolder {
        static final int PID = (int) ProcessHandle.current().pid();
    }
}
