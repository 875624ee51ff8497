package org.panamaipc.unbounded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.SegmentHeaderDescriptor;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An unbounded link whose control or spill segments another process overwrote: the configuration
 * is refused at open, and a corrupt spilled record or position is an
 * {@link InvalidSegmentException}, or normal operation, never a crash, a hang or a message made up.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class UnboundedCorruptionTest {

    private static final long BODY = SegmentHeaderDescriptor.HEADER_SIZE;

    @Test
    void shouldRefuseAControlSegmentWithAConfigurationThatCannotBeRight() {
        String name = TestNames.unique("ub-bad-config");
        try {
            UnboundedLink.create(name, UnboundedLinkTest.SMALL).close();
            try (SharedMemory shm = SharedMemory.open(name)) {
                shm.segment().set(ValueLayout.JAVA_LONG, BODY + UnboundedDescriptor.SPILL_SEGMENT_SIZE_OFFSET, 100);
            }
            InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> UnboundedLink.open(name));
            assertTrue(e.getMessage().contains("spill segment size 100"), e.getMessage());
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    @Test
    void shouldReportACorruptSpilledRecordAndNeverDeliverIt() throws Exception {
        String name = TestNames.unique("ub-bad-record");
        try (UnboundedLink link = UnboundedLink.create(name, UnboundedLinkTest.SMALL);
             UnboundedSender sender = link.sender();
             UnboundedReceiver receiver = link.receiver()) {
            for (int i = 0; i < 40; i++) {
                sender.send(0, new byte[100]);
            }
            try (SharedMemory spill = SharedMemory.open(UnboundedDescriptor.spillName(name, 1))) {
                // the first spilled record claims more than was published
                spill.segment().set(ValueLayout.JAVA_INT, BODY + UnboundedDescriptor.RECORDS_OFFSET, 4000);
            }
            MemorySegment buffer = MemorySegment.ofArray(new byte[512]);
            InvalidSegmentException e = assertThrows(InvalidSegmentException.class, () -> {
                for (int i = 0; i < 40; i++) {
                    receiver.tryReceive(buffer, 0);
                }
            });
            assertTrue(e.getMessage().contains("has length 4000"), e.getMessage());
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    /**
     * A write position a billion segments past the reader's would have the receiver walk, and try
     * to unlink, segment after segment for hours: refused at once instead.
     */
    @Test
    void shouldRefuseAWritePositionFurtherThanTheCapAllows() throws Exception {
        String name = TestNames.unique("ub-bad-span");
        try (UnboundedLink link = UnboundedLink.create(name, UnboundedLinkTest.SMALL);
             UnboundedSender sender = link.sender();
             UnboundedReceiver receiver = link.receiver()) {
            for (int i = 0; i < 40; i++) {
                sender.send(0, new byte[100]);
            }
            try (SharedMemory control = SharedMemory.open(name)) {
                control.segment().set(ValueLayout.JAVA_LONG, BODY + UnboundedDescriptor.WRITE_POSITION_OFFSET,
                        UnboundedDescriptor.position(1L << 30, 0));
            }
            MemorySegment buffer = MemorySegment.ofArray(new byte[512]);
            InvalidSegmentException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> assertThrows(InvalidSegmentException.class, () -> {
                        for (int i = 0; i < 40; i++) {
                            receiver.tryReceive(buffer, 0);
                        }
                    }));
            assertTrue(e.getMessage().contains("write position in segment 1073741824"), e.getMessage());
        } finally {
            UnboundedLink.unlinkIfExists(name);
        }
    }

    @Test
    void shouldSurviveRandomPositionsAndRecordWordsWithAnExceptionOrWork() throws Exception {
        SplittableRandom random = new SplittableRandom(13);
        for (int trial = 0; trial < 60; trial++) {
            String name = TestNames.unique("ub-fuzz");
            try (UnboundedLink link = UnboundedLink.create(name, UnboundedLinkTest.SMALL);
                 UnboundedSender sender = link.sender();
                 UnboundedReceiver receiver = link.receiver()) {
                for (int i = 0; i < 60; i++) {
                    sender.send(0, new byte[1 + random.nextInt(250)]);
                }
                long offset = random.nextBoolean()
                        ? BODY + (random.nextBoolean() ? UnboundedDescriptor.READ_POSITION_OFFSET
                        : UnboundedDescriptor.WRITE_POSITION_OFFSET)
                        : -1;
                long value = switch (random.nextInt(4)) {
                    case 0 -> random.nextLong();
                    case 1 -> UnboundedDescriptor.position(random.nextInt(4), random.nextInt(5000));
                    case 2 -> -1L;
                    default -> 0L;
                };
                if (offset >= 0) {
                    try (SharedMemory control = SharedMemory.open(name)) {
                        control.segment().set(ValueLayout.JAVA_LONG, offset, value);
                    }
                } else {
                    try (SharedMemory spill = SharedMemory.open(UnboundedDescriptor.spillName(name, 1))) {
                        long at = BODY + UnboundedDescriptor.RECORDS_OFFSET + 8L * random.nextInt(400);
                        spill.segment().set(ValueLayout.JAVA_INT, at, (int) value);
                    }
                }
                MemorySegment buffer = MemorySegment.ofArray(new byte[512]);
                try {
                    for (int i = 0; i < 80; i++) {
                        receiver.tryReceive(buffer, 0);
                        sender.trySend(0, new byte[10]);
                    }
                } catch (InvalidSegmentException | MemoryCapExceededException | IllegalArgumentException expected) {
                    // refused, as documented: a corrupt record or position, or a record too long for the buffer
                }
            } finally {
                UnboundedLink.unlinkIfExists(name);
            }
        }
    }
}
