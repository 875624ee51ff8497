package org.panamaipc.unbounded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.children.UnboundedChild;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamaipc.unbounded.UnboundedLinkTest.parts;
import static org.panamaipc.unbounded.UnboundedLinkTest.spills;

/**
 * An unbounded link between real JVMs ({@link UnboundedChild}): a producer sends ten times what
 * the ring holds with no consumer running and exits; a consumer started afterwards gets every
 * message in order (numbers, bytes and CRC-32 checked) and leaves no spill segment behind; a
 * consumer killed with SIGKILL part-way is followed by one that goes on exactly where it stopped;
 * a producer killed with spill segments outstanding leaves them to unlink, which removes
 * everything.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(240)
class UnboundedAcrossProcessesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    /** A 64 KiB ring, 256 KiB spill segments. */
    private static final UnboundedOptions OPTIONS = UnboundedOptions.of(512).ringCapacity(64 * 1024)
            .spillSegmentSize(256 * 1024);

    /** {@return how many messages of {@link UnboundedChild} make {@code bytes} of payload} */
    private static long messagesFor(long bytes) {
        long total = 0;
        long i = 1;
        while (total < bytes) {
            total += UnboundedChild.length(i++);
        }
        return i - 1;
    }

    @Test
    void shouldDeliverTenRingsSentWithNoConsumerRunningInOrderAndFreeTheSpill() throws Exception {
        String name = TestNames.unique("ub-ten");
        long count = messagesFor(10 * OPTIONS.ringCapacity());
        try (UnboundedLink link = UnboundedLink.create(name, OPTIONS)) {
            try (ChildProcess producer = ChildProcess.java(UnboundedChild.class, "produce", name, "1",
                    Long.toString(count))) {
                producer.assertSuccess(DEADLINE);
                assertTrue(producer.output().contains("SENT " + count), producer.output());
            }
            List<String> spilled = spills(name);
            assertTrue(spilled.size() >= 2, "the producer is gone; its messages wait in " + spilled);
            assertTrue(link.spilled() > count * 8 / 10, "most of the ten rings spilled: " + link.spilled() + " of " + count);
            try (ChildProcess consumer = ChildProcess.java(UnboundedChild.class, "consume", name, "1",
                    Long.toString(count))) {
                consumer.assertSuccess(DEADLINE);
                assertTrue(consumer.output().contains("GOT " + count + " crc " + UnboundedChild.crc(1, count)),
                        consumer.output());
            }
            assertEquals(List.of(), spills(name), "every spill segment was removed as it was consumed");
            assertEquals(count, link.received());
            link.unlink();
            assertEquals(List.of(), parts(name));
            assertFalse(UnboundedLink.exists(name));
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    @Test
    void shouldGoOnWhereAKilledConsumerStopped() throws Exception {
        String name = TestNames.unique("ub-kill-rx");
        long count = messagesFor(6 * OPTIONS.ringCapacity());
        long taken = count / 2 + 17;
        try (UnboundedLink link = UnboundedLink.create(name, OPTIONS)) {
            try (ChildProcess producer = ChildProcess.java(UnboundedChild.class, "produce", name, "1",
                    Long.toString(count))) {
                producer.assertSuccess(DEADLINE);
            }
            try (ChildProcess first = ChildProcess.java(UnboundedChild.class, "consume-and-hang", name, "1",
                    Long.toString(taken))) {
                first.awaitOutput("TOOK " + taken, DEADLINE);
                assertTrue(first.output().contains("GOT " + taken + " crc " + UnboundedChild.crc(1, taken)), first.output());
                first.kill(); // SIGKILL, attached to the ring and holding a spill segment mapped
                first.waitFor(DEADLINE);
            }
            long rest = count - taken;
            try (ChildProcess second = ChildProcess.java(UnboundedChild.class, "consume", name,
                    Long.toString(taken + 1), Long.toString(rest))) {
                second.assertSuccess(DEADLINE);
                assertTrue(second.output().contains("GOT " + rest + " crc " + UnboundedChild.crc(taken + 1, rest)),
                        second.output());
            }
            assertEquals(List.of(), spills(name));
            link.unlink();
            assertEquals(List.of(), parts(name));
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    @Test
    void shouldLeaveAKilledProducersSpillToUnlinkWhichRemovesEverything() throws Exception {
        String name = TestNames.unique("ub-kill-tx");
        long count = messagesFor(5 * OPTIONS.ringCapacity());
        try (UnboundedLink link = UnboundedLink.create(name, OPTIONS)) {
            try (ChildProcess producer = ChildProcess.java(UnboundedChild.class, "produce-and-hang", name, "1",
                    Long.toString(count))) {
                producer.awaitOutput("HANGING", DEADLINE);
                producer.kill();
                producer.waitFor(DEADLINE);
            }
            List<String> outstanding = spills(name);
            assertTrue(outstanding.size() >= 2, "the dead producer's messages wait in " + outstanding);
            // what it sent survives it: a consumer could take it all; here nobody does, and unlink removes it
            assertEquals(count, link.sent());
            link.unlink();
            assertEquals(List.of(), parts(name), "control, ring and spill segments all gone");
            assertFalse(UnboundedLink.exists(name));
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }
}
