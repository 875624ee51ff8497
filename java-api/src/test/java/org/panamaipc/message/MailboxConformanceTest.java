package org.panamaipc.message;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.NotFoundException;
import org.panamaipc.codec.Codec;
import org.panamaipc.message.MessageRecords.Job;
import org.panamaipc.process.ProcessId;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamaipc.message.MessageRecords.JOBS;
import static org.panamaipc.message.MessageRecords.JOB_ID;

/**
 * The behaviour every {@link Mailbox} shares, run against each kind on each transport: a mailbox
 * over a ring and over a queue, a port over a ring and over a queue. What differs between
 * transports (priorities, a ring's CLOSED) is tested here too, by transport. Across processes:
 * {@link MailboxAcrossProcessesTest}.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class MailboxConformanceTest {

    /** One implementation: how to make the receiving handle and a second, sending handle of the same mailbox. */
    record Kind(String label, boolean port, MailboxOptions options) {
        <T> Mailbox<T> create(String name, MailboxOptions with, Codec<T> codec) {
            return port ? Port.create(name, with, codec) : Mailbox.create(name, with, codec);
        }

        <T> Mailbox<T> create(String name, Codec<T> codec) {
            return create(name, options, codec);
        }

        <T> Mailbox<T> open(String name, Codec<T> codec) {
            return port ? Port.open(name, codec) : Mailbox.open(name, codec);
        }

        boolean queue() {
            return options.transport() == Transport.QUEUE;
        }

        /** One receiver at a time: a second handle's receive is refused while the first is open. */
        boolean single() {
            return options.singleReceiver();
        }

        /** Without the envelope: no pid, no send time. */
        boolean bare() {
            return !options.enveloped();
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(new Kind("mailbox-ring", false, MailboxOptions.ring().capacity(64)),
                new Kind("mailbox-queue", false, MailboxOptions.queue()),
                new Kind("port-ring", true, MailboxOptions.ring().capacity(64)),
                new Kind("port-queue", true, MailboxOptions.queue()),
                new Kind("mailbox-ring-bare", false, MailboxOptions.ring().capacity(64).withoutEnvelope()),
                new Kind("port-ring-bare", true, MailboxOptions.ring().capacity(64).withoutEnvelope()),
                new Kind("mailbox-ring-single", false, MailboxOptions.ring().capacity(64).withSingleReceiver()));
    }

    private interface Body {
        void run(Mailbox<Job> receiving, Mailbox<Job> sending) throws Exception;
    }

    private static void with(Kind kind, Body body) throws Exception {
        String name = TestNames.unique("mbox-" + kind.label());
        try (Mailbox<Job> receiving = kind.create(name, JOBS);
             Mailbox<Job> sending = kind.open(name, JOBS)) {
            body.run(receiving, sending);
        } finally {
            Mailbox.unlinkIfExists(name);
        }
    }

    private static Job job(long id) {
        return new Job(id, 1, 0, "file-" + id);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shouldCarryValuesInThreeFormsWithTheirHeaders(Kind kind) throws Exception {
        with(kind, (receiving, sending) -> {
            assertEquals(kind.options().transport(), sending.transport(), "open found the transport the create chose");
            assertTrue(receiving.created());
            assertFalse(sending.created());
            assertEquals(32, sending.maxMessageLength(), "the record's size");
            assertEquals(!kind.bare(), sending.enveloped());
            assertEquals(!kind.bare(), receiving.enveloped());
            long before = Header.clockNanos();
            assertEquals(1, sending.trySend(job(1)));
            assertEquals(2, sending.send(job(2)));
            assertEquals(3, sending.send(job(3), Duration.ofSeconds(1)));
            long after = Header.clockNanos();
            assertEquals(job(1), receiving.tryReceive());
            Header header = receiving.lastHeader();
            assertEquals(kind.bare() ? 0 : ProcessId.current().pid(), header.sourcePid());
            assertEquals(1, header.sequence());
            assertEquals(32, header.length());
            assertEquals(0, header.priority());
            assertEquals(Header.NO_REPLY, header.replyTo());
            if (kind.bare()) {
                assertEquals(0, header.sendTime(), "no envelope, no send time");
            } else {
                assertTrue(header.sendTime() >= before && header.sendTime() <= after,
                        "send time " + header.sendTime() + " within " + before + ".." + after);
            }
            int source = header.source();
            assertEquals(job(2), receiving.receive());
            assertEquals(2, receiving.lastHeader().sequence());
            assertEquals(source, receiving.lastHeader().source(), "one sending handle, one source");
            assertEquals(job(3), receiving.receive(Duration.ofSeconds(1)));
            assertEquals(3, receiving.lastHeader().sequence());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shouldSayNothingHappenedWithValues(Kind kind) throws Exception {
        with(kind, (receiving, sending) -> {
            assertNull(receiving.tryReceive());
            assertNull(receiving.receive(Duration.ofMillis(20)));
            assertNull(receiving.receive(Duration.ZERO));
            assertEquals(Mailbox.EMPTY, receiving.poll((h, s, o, l) -> { }, 10), "EMPTY, never 0");
            assertEquals(Mailbox.EMPTY, receiving.receive((h, s, o, l) -> { }, 10, Duration.ofMillis(20)));
            assertEquals(Mailbox.EMPTY, receiving.receive((h, s, o, l) -> { }, 10, Duration.ZERO));
            long sent = 0;
            while (sending.trySend(job(sent + 1)) > 0) {
                sent++;
                assertTrue(sent <= 100_000, "a bounded mailbox fills");
            }
            assertTrue(sent >= kind.options().capacity(), sent + " values fit, at least the capacity");
            assertEquals(Mailbox.FULL, sending.trySend(job(-1)));
            assertEquals(Mailbox.FULL, sending.send(job(-1), Duration.ofMillis(20)));
            assertEquals(Mailbox.FULL, sending.send(job(-1), Duration.ZERO));
            for (long i = 1; i <= sent; i++) {
                assertEquals(job(i), receiving.tryReceive());
            }
            assertNull(receiving.tryReceive());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shouldKeepWaitingForSendersOnceTheLastHasGone(Kind kind) throws Exception {
        String name = TestNames.unique("mbox-left-" + kind.label());
        try (Mailbox<Job> receiving = kind.create(name, JOBS)) {
            try (Mailbox<Job> sending = kind.open(name, JOBS)) {
                sending.send(job(1));
            }
            assertEquals(job(1), receiving.receive(Duration.ofSeconds(1)), "what was sent stays after the sender closed");
            assertEquals(Mailbox.EMPTY, receiving.poll((h, s, o, l) -> { }, 1),
                    "a mailbox is a named link senders come to and leave: its receivers are not told CLOSED");
            assertEquals(Mailbox.EMPTY, receiving.receive((h, s, o, l) -> { }, 1, Duration.ofMillis(20)));
            assertNull(receiving.receive(Duration.ofMillis(20)), "null, not PeerGoneException");
            try (Mailbox<Job> sending = kind.open(name, JOBS)) {
                sending.send(job(2));
            }
            assertEquals(job(2), receiving.receive(Duration.ofSeconds(1)), "a sender that comes later is heard");
        } finally {
            Mailbox.unlinkIfExists(name);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shouldHandRecordsInPlaceUpToTheLimit(Kind kind) throws Exception {
        with(kind, (receiving, sending) -> {
            for (int i = 1; i <= 5; i++) {
                sending.send(job(i));
            }
            List<Long> ids = new ArrayList<>();
            List<Long> sequences = new ArrayList<>();
            RecordHandler handler = (header, segment, offset, length) -> {
                assertEquals(32, length);
                ids.add(JOB_ID.getLong(segment, offset));
                sequences.add(header.sequence());
            };
            assertEquals(2, receiving.poll(handler, 2));
            assertEquals(3, receiving.receive(handler, 10, Duration.ofSeconds(1)));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sequences);
            assertEquals(5, receiving.lastHeader().sequence(), "the handler's header is the last header");
            sending.send(job(6));
            assertEquals(1, receiving.receive(handler, 1));
            assertEquals(6L, ids.getLast());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shouldRefuseAValueLongerThanTheMaximumAndSendNothing(Kind kind) throws Exception {
        String name = TestNames.unique("mbox-long-" + kind.label());
        try (Mailbox<String> receiving = kind.create(name, kind.options().maxMessageLength(16), Codec.utf8());
             Mailbox<String> sending = kind.open(name, Codec.utf8())) {
            assertEquals(16, sending.maxMessageLength());
            MessageTooLongException e = assertThrows(MessageTooLongException.class,
                    () -> sending.trySend("seventeen bytes!!"));
            assertEquals("EMSGSIZE", e.errnoName());
            assertEquals(17, e.length());
            assertEquals(16, e.maxLength());
            assertNull(receiving.tryReceive(), "nothing was sent");
            assertEquals(1, sending.send("sixteen bytes!!!"));
            assertEquals("sixteen bytes!!!", receiving.receive(Duration.ofSeconds(1)));
            assertEquals(16, receiving.lastHeader().length());
        } finally {
            Mailbox.unlinkIfExists(name);
        }
        // a record longer than the mailbox's maximum: refused at the send
        String small = TestNames.unique("mbox-small-" + kind.label());
        try (Mailbox<Job> mailbox = kind.create(small, kind.options().maxMessageLength(16), JOBS)) {
            assertThrows(MessageTooLongException.class, () -> mailbox.trySend(job(1)));
        } finally {
            Mailbox.unlinkIfExists(small);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shouldSendNothingWhenTheCodecThrows(Kind kind) throws Exception {
        with(kind, (receiving, sending) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sending.trySend(new Job(1, 1, 1, "a name much too long for sixteen bytes")));
            assertTrue(e.getMessage().contains("file"), e.getMessage());
            assertNull(receiving.tryReceive(), "the claim was given up");
            assertTrue(sending.trySend(job(2)) > 0);
            assertEquals(job(2), receiving.receive(Duration.ofSeconds(1)));
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shouldNameTheNullParameter(Kind kind) throws Exception {
        with(kind, (receiving, sending) -> {
            assertEquals("value", assertThrows(NullPointerException.class, () -> sending.trySend(null)).getMessage());
            assertEquals("timeout", assertThrows(NullPointerException.class, () -> sending.send(job(1), null)).getMessage());
            assertEquals("timeout", assertThrows(NullPointerException.class, () -> receiving.receive((Duration) null)).getMessage());
            assertEquals("handler", assertThrows(NullPointerException.class, () -> receiving.poll(null, 1)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> receiving.poll((h, s, o, l) -> { }, 0));
            assertNull(receiving.tryReceive(), "nothing was sent");
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shouldEndAWaitingReceiveOnInterrupt(Kind kind) throws Exception {
        with(kind, (receiving, sending) -> {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    receiving.receive(Duration.ofSeconds(30));
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            Thread.sleep(50);
            waiter.interrupt();
            assertTrue(outcome.get(10, TimeUnit.SECONDS) instanceof InterruptedException);
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shouldTakePrioritiesOnAQueueOnly(Kind kind) throws Exception {
        with(kind, (receiving, sending) -> {
            if (kind.queue()) {
                sending.send(job(1), 0);
                sending.send(job(2), 9);
                sending.send(job(3), 5, Duration.ofSeconds(1));
                assertEquals(job(2), receiving.receive());
                assertEquals(9, receiving.lastHeader().priority());
                assertEquals(job(3), receiving.receive());
                assertEquals(job(1), receiving.receive());
                assertThrows(IllegalArgumentException.class, () -> sending.trySend(job(4), -1));
            } else {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sending.trySend(job(1), 3));
                assertTrue(e.getMessage().contains("queue()"), e.getMessage());
                assertNull(receiving.tryReceive());
            }
        });
    }

    /** A message some other writer put into the transport, without an envelope, is refused and consumed. */
    @ParameterizedTest
    @MethodSource("kinds")
    void shouldRefuseAMessageWithoutAnEnvelope(Kind kind) throws Exception {
        with(kind, (receiving, sending) -> {
            if (kind.queue()) {
                try (org.panamaipc.mq.MessageQueue raw = org.panamaipc.mq.MessageQueue.open(receiving.name() + ".queue")) {
                    raw.send(new byte[40 + 32], 0);
                }
            } else {
                try (org.panamaipc.channel.RingChannel raw = org.panamaipc.channel.RingChannel.open(receiving.name() + ".ring");
                     org.panamaipc.channel.Sender writer = raw.sender()) {
                    writer.send(0, new byte[24 + 32]); // without the envelope: a record of another length
                }
            }
            org.panamaipc.codec.MalformedMessageException e = assertThrows(
                    org.panamaipc.codec.MalformedMessageException.class, receiving::tryReceive);
            assertTrue(e.getMessage().contains(kind.bare() ? "longest value" : "envelope"), e.getMessage());
            sending.send(job(1));
            assertEquals(job(1), receiving.receive(Duration.ofSeconds(1)), "the stranger's message was consumed");
        });
    }

    /** A control segment whose flags say "no envelope" for a message queue, which cannot be, is refused on open. */
    @org.junit.jupiter.api.Test
    void shouldRefuseAQueueMailboxWhoseFlagsSayItHasNoEnvelope() throws Exception {
        assertRefusedWithFlags(MailboxOptions.queue(), MailboxDescriptor.FLAG_BARE, "envelope");
    }

    /** Flags this version does not know mean a writer it does not know: refused on open. */
    @org.junit.jupiter.api.Test
    void shouldRefuseAMailboxWithFlagsItDoesNotKnow() throws Exception {
        assertRefusedWithFlags(MailboxOptions.ring(), 0x100, "flags");
    }

    /** Creates a mailbox, adds {@code flags} to its control segment's as a hostile writer would, and expects open to refuse it. */
    private static void assertRefusedWithFlags(MailboxOptions options, int flags, String named) {
        String name = TestNames.unique("mbox-flags");
        try (Mailbox<Job> created = Mailbox.create(name, options, JOBS);
             org.panamaipc.shm.IpcSegment control = org.panamaipc.shm.IpcSegment.open(name,
                     org.panamaipc.shm.SegmentKind.MAILBOX, MailboxDescriptor.SIZE)) {
            java.lang.foreign.MemorySegment body = control.body();
            int before = body.get(java.lang.foreign.ValueLayout.JAVA_INT, MailboxDescriptor.FLAGS_OFFSET);
            body.set(java.lang.foreign.ValueLayout.JAVA_INT, MailboxDescriptor.FLAGS_OFFSET, before | flags);
            org.panamaipc.shm.InvalidSegmentException e = assertThrows(org.panamaipc.shm.InvalidSegmentException.class,
                    () -> Mailbox.open(name, JOBS));
            assertTrue(e.getMessage().contains(named), e.getMessage());
        } finally {
            Mailbox.unlinkIfExists(name);
        }
    }

    /** A record longer than a bare mailbox's longest value is no value of it: refused and consumed. */
    @org.junit.jupiter.api.Test
    void shouldRefuseARecordLongerThanABareMailboxsLongestValue() throws Exception {
        String name = TestNames.unique("mbox-bare-long");
        try (Mailbox<String> mailbox = Mailbox.create(name, MailboxOptions.ring().maxMessageLength(16).withoutEnvelope(),
                Codec.utf8());
             org.panamaipc.channel.RingChannel ring = org.panamaipc.channel.RingChannel.open(name + ".ring");
             org.panamaipc.channel.Sender raw = ring.sender()) {
            raw.send(0, new byte[17]);
            org.panamaipc.codec.MalformedMessageException e = assertThrows(
                    org.panamaipc.codec.MalformedMessageException.class, mailbox::tryReceive);
            assertTrue(e.getMessage().contains("longest value"), e.getMessage());
            mailbox.send("sixteen bytes ok");
            assertEquals("sixteen bytes ok", mailbox.receive(Duration.ofSeconds(1)));
            assertFalse(mailbox.enveloped());
        } finally {
            Mailbox.unlinkIfExists(name);
        }
    }

    /** Another handle (another process does the same) learns from the control segment that the values go bare. */
    @org.junit.jupiter.api.Test
    void shouldSendBareValuesFromEveryHandleOfABareMailbox() throws Exception {
        String name = TestNames.unique("mbox-bare-open");
        try (Mailbox<Job> created = Mailbox.create(name, MailboxOptions.ring().withoutEnvelope(), JOBS);
             Mailbox<Job> opened = Mailbox.open(name, JOBS);
             org.panamaipc.channel.RingChannel ring = org.panamaipc.channel.RingChannel.open(name + ".ring");
             org.panamaipc.channel.Receiver raw = ring.receiver(org.panamaipc.channel.WaitStrategy.busySpin(), false)) {
            assertFalse(opened.enveloped(), "the opener follows the flag");
            try (Mailbox<Job> again = Mailbox.openOrCreate(name, MailboxOptions.ring(), JOBS)) {
                assertFalse(again.enveloped(), "an existing mailbox keeps its own setting");
            }
            assertEquals(1, opened.trySend(job(1)));
            int[] length = {-1};
            assertEquals(1, raw.poll((header, segment, offset, n) -> length[0] = n, 1));
            assertEquals(32, length[0], "the record holds the 32-byte value alone, no envelope");
        } finally {
            Mailbox.unlinkIfExists(name);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shouldCloseTwiceAndRefuseUseAfterClose(Kind kind) throws Exception {
        with(kind, (receiving, sending) -> {
            sending.close();
            sending.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> sending.trySend(job(1)));
            assertTrue(e.getMessage().contains("closed") && e.getMessage().contains(sending.name()), e.getMessage());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shouldGiveEachMessageToOneReceiverOfTwoHandles(Kind kind) throws Exception {
        if (kind.port()) {
            return; // a port has one receiver, its owner (PortTest)
        }
        with(kind, (receiving, sending) -> {
            try (Mailbox<Job> second = kind.open(receiving.name(), JOBS)) {
                if (kind.single()) {
                    sending.send(job(1));
                    sending.send(job(2));
                    assertEquals(1, receiving.tryReceive().id());
                    IllegalStateException held = assertThrows(IllegalStateException.class, second::tryReceive);
                    assertTrue(held.getMessage().contains(receiving.name()), held.getMessage());
                    receiving.close();                                      // frees it
                    assertEquals(2, second.tryReceive().id(), "the next handle takes the rest");
                    return;
                }
                int count = kind.queue() ? 10 : 60;
                for (int i = 1; i <= count; i++) {
                    sending.send(job(i));
                }
                Set<Long> seen = new HashSet<>();
                Job job;
                boolean turn = false;
                while ((job = (turn ? second : receiving).tryReceive()) != null
                        || (job = (turn ? receiving : second).tryReceive()) != null) {
                    assertTrue(seen.add(job.id()), "taken once: " + job);
                    turn = !turn;
                }
                assertEquals(count, seen.size());
            }
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shouldBeFoundByNameAndRemovedWithItsTransport(Kind kind) throws Exception {
        String name = TestNames.unique("mbox-life-" + kind.label());
        try {
            assertFalse(Mailbox.exists(name));
            assertThrows(NotFoundException.class, () -> kind.open(name, JOBS));
            try (Mailbox<Job> created = kind.create(name, JOBS)) {
                assertTrue(Mailbox.exists(name));
                String transport = name + (kind.queue() ? ".queue" : ".ring");
                java.nio.file.Path file = java.nio.file.Path.of(kind.queue() ? "/dev/mqueue" : "/dev/shm", transport.substring(1));
                assertTrue(java.nio.file.Files.exists(file), file + " holds the messages");
                created.unlink();
                assertFalse(Mailbox.exists(name));
                assertFalse(java.nio.file.Files.exists(file), "unlink removed " + file + " too");
            }
        } finally {
            Mailbox.unlinkIfExists(name);
        }
    }
}
