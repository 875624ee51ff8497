package org.panamaipc.unbounded;

import org.panamaipc.AlreadyExistsException;
import org.panamaipc.NotFoundException;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.panamaipc.shm.SegmentHeaderDescriptor.HEADER_SIZE;
import static org.panamaipc.unbounded.UnboundedDescriptor.*;

/**
 * The control segment of a link as its endpoints use it: the configuration read once and checked,
 * the two positions, and the spill segments mapped one at a time on each side. See
 * {@link UnboundedDescriptor} for the protocol.
 */
final class LinkMemory {

    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    static final Path SHM = Path.of("/dev/shm");
    private static final String SEND = "send to unbounded link";
    private static final String RECEIVE = "receive from unbounded link";

    final String name;
    final MemorySegment body;
    final long ringCapacity;
    final int maxMessageLength;
    final long segmentSize;
    final long memoryCap;
    final int mode;
    private final long recordsCapacity;

    LinkMemory(String name, MemorySegment body) {
        this.name = name;
        this.body = body;
        if (body.byteSize() < BODY_SIZE) {
            throw corrupt("its body of " + body.byteSize() + " bytes is shorter than " + BODY_SIZE);
        }
        this.ringCapacity = body.get(ValueLayout.JAVA_LONG, RING_CAPACITY_OFFSET);
        this.maxMessageLength = body.get(ValueLayout.JAVA_INT, MAX_MESSAGE_LENGTH_OFFSET);
        this.mode = body.get(ValueLayout.JAVA_INT, MODE_OFFSET);
        this.segmentSize = body.get(ValueLayout.JAVA_LONG, SPILL_SEGMENT_SIZE_OFFSET);
        this.memoryCap = body.get(ValueLayout.JAVA_LONG, MEMORY_CAP_OFFSET);
        String problem = checkConfiguration(ringCapacity, maxMessageLength, segmentSize, memoryCap);
        if (problem == null && (mode & ~0777) != 0) {
            problem = "its mode " + Integer.toOctalString(mode) + " has bits outside 0777";
        }
        if (problem != null) {
            throw corrupt(problem);
        }
        this.recordsCapacity = recordsCapacity(segmentSize);
    }

    static void initialize(MemorySegment body, UnboundedOptions options) {
        body.set(ValueLayout.JAVA_LONG, RING_CAPACITY_OFFSET, options.ringCapacity());
        body.set(ValueLayout.JAVA_INT, MAX_MESSAGE_LENGTH_OFFSET, options.maxMessageLength());
        body.set(ValueLayout.JAVA_INT, MODE_OFFSET, options.mode());
        body.set(ValueLayout.JAVA_LONG, SPILL_SEGMENT_SIZE_OFFSET, options.spillSegmentSize());
        body.set(ValueLayout.JAVA_LONG, MEMORY_CAP_OFFSET, options.memoryCap());
        body.set(ValueLayout.JAVA_LONG, WRITE_POSITION_OFFSET, FIRST_POSITION);
        body.set(ValueLayout.JAVA_LONG, READ_POSITION_OFFSET, FIRST_POSITION);
    }

    InvalidSegmentException corrupt(String detail) {
        return new InvalidSegmentException(name, InvalidSegmentException.Reason.CORRUPT, detail);
    }

    /**
     * {@return the write position} A volatile load, not only an acquire: the receiver's look at the
     * spill after {@link #announceWaiting()} must not be ordered before that store (see
     * {@link UnboundedDescriptor}, Waking).
     */
    long writePosition() {
        return (long) LONG.getVolatile(body, (long) WRITE_POSITION_OFFSET);
    }

    long readPosition() {
        return (long) LONG.getAcquire(body, (long) READ_POSITION_OFFSET);
    }

    boolean drained() {
        return readPosition() == writePosition();
    }

    long counter(int offset) {
        return (long) LONG.getOpaque(body, (long) offset);
    }

    void count(int offset, long value) {
        LONG.setOpaque(body, (long) offset, value);
    }

    /** {@return how many spill segments may exist now: from the read position's to the write position's} */
    long segmentsInUse() {
        long write = writePosition();
        long read = readPosition();
        long segments = segmentOf(write) - segmentOf(read) + (offsetOf(write) > 0 ? 1 : 0);
        return Math.max(0, segments);
    }

    /** {@return how many spilled messages the receivers have taken} */
    long spilledTaken() {
        return counter(SPILL_TAKEN_OFFSET);
    }

    // waking (UnboundedDescriptor, Waking): a Dekker pair of volatile accesses on each side

    /**
     * The receiver is about to wait on the ring: a volatile store, before its last look at the
     * spill (a volatile load of the write position). Either that look finds what the sender
     * appended, or the sender's {@link #takeWaiting()}, after its append, finds this.
     */
    void announceWaiting() {
        LONG.setVolatile(body, (long) RECEIVER_WAITING_OFFSET, 1L);
    }

    /** The receiver has stopped waiting: no doorbell is needed until it announces itself again. */
    void clearWaiting() {
        LONG.setOpaque(body, (long) RECEIVER_WAITING_OFFSET, 0L);
    }

    /**
     * After an append (whose compare-and-set is volatile): {@return whether the receiver said it
     * waits on the ring} If so, the word is taken (set to 0), so that one doorbell answers one wait;
     * any value but 0 counts, so that a word a broken process left cannot make every append ring.
     */
    boolean takeWaiting() {
        long waiting = (long) LONG.getVolatile(body, (long) RECEIVER_WAITING_OFFSET);
        return waiting != 0 && LONG.compareAndSet(body, (long) RECEIVER_WAITING_OFFSET, waiting, 0L);
    }

    // the sender's side

    /** The spill segment the sender has mapped, and its index (0: none). */
    private IpcSegment writing;
    private long writingIndex;

    /**
     * Appends a message to the spill, in order after everything there. Nothing is written if the
     * cap refuses a new segment.
     *
     * @throws MemoryCapExceededException if a new segment is needed and the cap does not allow it
     */
    void append(int type, MemorySegment source, long offset, int length) {
        long needed = recordLength(length);
        while (true) {
            long write = writePosition();
            long index = segmentOf(write);
            long at = offsetOf(write);
            MemorySegment records = writingSegment(index, at, write);
            if (records == null) {
                continue; // sealed and removed by the receiver since we read the position
            }
            if (at + needed > recordsCapacity) {
                // no room left here: end the segment, move on (a receiver's seal may have moved it already)
                LONG.setRelease(writing.body(), (long) SPILL_END_OFFSET, at);
                LONG.compareAndSet(body, (long) WRITE_POSITION_OFFSET, write, position(index + 1, 0));
                continue;
            }
            long record = RECORDS_OFFSET + at;
            records.set(ValueLayout.JAVA_INT, record + RECORD_LENGTH_OFFSET, length);
            records.set(ValueLayout.JAVA_INT, record + RECORD_TYPE_OFFSET, type);
            MemorySegment.copy(source, offset, records, record + RECORD_HEADER_LENGTH, length);
            if (LONG.compareAndSet(body, (long) WRITE_POSITION_OFFSET, write, position(index, at + needed))) {
                return;
            }
            // the receiver sealed this segment meanwhile: write the record again in the next
        }
    }

    /**
     * {@return the body of spill segment {@code index}, mapped by the sender} Creates it when the
     * write position is at its start (nothing was published in it; a leftover of that name goes
     * first), within the cap; opens it when a previous sender left records in it.
     */
    private MemorySegment writingSegment(long index, long at, long write) {
        if (writingIndex == index && writing != null) {
            return writing.body();
        }
        closeWriting();
        String spill = spillName(name, index);
        long read = readPosition();
        checkSpan(segmentOf(read), index);
        if (at == 0) {
            long segments = index - segmentOf(read) + 1;
            if (segments * segmentSize > memoryCap) {
                throw new MemoryCapExceededException(name, memoryCap, segmentSize, segments - 1,
                        counter(SPILLED_OFFSET) - spilledTaken());
            }
            IpcSegment.unlinkIfExists(spill);
            try {
                writing = IpcSegment.create(spill, SegmentKind.SPILL, segmentSize - HEADER_SIZE,
                        mode, b -> {
                            b.set(ValueLayout.JAVA_LONG, SPILL_INDEX_OFFSET, index);
                            b.set(ValueLayout.JAVA_LONG, SPILL_END_OFFSET, OPEN);
                        });
            } catch (AlreadyExistsException e) {
                throw new IllegalStateException("unbounded link " + name + ": spill segment " + spill
                        + " appeared while this sender created it; is a second sender writing?", e);
            }
            count(SEGMENTS_CREATED_OFFSET, counter(SEGMENTS_CREATED_OFFSET) + 1);
        } else {
            try {
                writing = openSpill(spill, index, SEND);
            } catch (NotFoundException e) {
                if (writePosition() != write) {
                    return null;
                }
                throw corrupt("its spill segment " + spill + " holds messages but is gone");
            }
        }
        writingIndex = index;
        return writing.body();
    }

    void closeWriting() {
        if (writing != null) {
            writing.close();
            writing = null;
            writingIndex = 0;
        }
    }

    // the receiver's side

    private IpcSegment reading;
    private long readingIndex;

    /**
     * Takes the next spilled message into {@code destination} at {@code offset}, if there is one
     * before {@code write}, a write position read before the caller's last look at the ring.
     * {@return its length, or -1 if there is none; the type is in {@code typeOut[0]}}
     */
    int take(MemorySegment destination, long offset, int[] typeOut, long write) {
        while (true) {
            long read = readPosition();
            if (read == write) {
                if (offsetOf(write) > 0) {
                    seal(write);
                }
                return -1;
            }
            long index = segmentOf(read);
            long at = offsetOf(read);
            checkSpan(index, segmentOf(write));
            long limit;
            MemorySegment records = null;
            if (segmentOf(write) == index) {
                limit = offsetOf(write);
            } else if (segmentOf(write) < index) {
                throw corrupt("its read position is in spill segment " + index + ", beyond the write position's "
                        + segmentOf(write));
            } else {
                records = readingSegment(index);
                long end = records == null ? OPEN : (long) LONG.getAcquire(records, (long) SPILL_END_OFFSET);
                limit = end == OPEN ? at : end; // OPEN: sealed at the read position
            }
            if (at < limit) {
                if (records == null) {
                    records = readingSegment(index);
                    if (records == null) {
                        throw corrupt("its spill segment " + spillName(name, index) + " holds unread messages but is gone");
                    }
                }
                int length = takeRecord(records, index, at, limit, destination, offset, typeOut);
                long now = writePosition();
                if (readPosition() == now && offsetOf(now) > 0) {
                    seal(now); // that was the last spilled message: its segment goes now, not at the next receive
                }
                return length;
            }
            if (segmentOf(write) > index) {
                finish(index);
                continue;
            }
            return -1;
        }
    }

    /**
     * The sender makes segments one after another and never more than the cap allows beyond the
     * reader's: positions further apart were written by someone else, and would have the receiver
     * walk (and unlink) segment after segment for ever.
     */
    private void checkSpan(long readIndex, long writeIndex) {
        long span = writeIndex - readIndex;
        if (readIndex < 1 || span < 0 || span > memoryCap / segmentSize + 1) {
            throw corrupt("its read position is in spill segment " + readIndex + " and its write position in segment "
                    + writeIndex + ", which the memory cap of " + memoryCap + " bytes does not allow");
        }
    }

    private int takeRecord(MemorySegment records, long index, long at, long limit, MemorySegment destination,
                           long offset, int[] typeOut) {
        long record = RECORDS_OFFSET + at;
        if (limit > recordsCapacity || limit - at < RECORD_HEADER_LENGTH) {
            throw corrupt("spill segment " + index + " ends at " + limit + " within its records of " + recordsCapacity
                    + " bytes, at a record at " + at);
        }
        int length = records.get(ValueLayout.JAVA_INT, record + RECORD_LENGTH_OFFSET);
        if (length < 0 || length > maxMessageLength || recordLength(length) > limit - at) {
            throw corrupt("the spilled record at " + at + " of segment " + index + " has length " + length
                    + " (max message length " + maxMessageLength + ", " + (limit - at) + " bytes published)");
        }
        if (length > destination.byteSize() - offset) {
            throw new IllegalArgumentException("message of length=" + length + " does not fit the destination's "
                    + (destination.byteSize() - offset) + " bytes from offset=" + offset + "; it stays to be received");
        }
        typeOut[0] = records.get(ValueLayout.JAVA_INT, record + RECORD_TYPE_OFFSET);
        MemorySegment.copy(records, record + RECORD_HEADER_LENGTH, destination, offset, length);
        LONG.setRelease(body, (long) READ_POSITION_OFFSET, position(index, at + recordLength(length)));
        count(SPILL_TAKEN_OFFSET, counter(SPILL_TAKEN_OFFSET) + 1);
        return length;
    }

    /** The read position reached the end of a finished segment: move past it, then remove it. */
    private void finish(long index) {
        LONG.setRelease(body, (long) READ_POSITION_OFFSET, position(index + 1, 0));
        closeReading();
        if (IpcSegment.unlinkIfExists(spillName(name, index))) {
            count(SEGMENTS_REMOVED_OFFSET, counter(SEGMENTS_REMOVED_OFFSET) + 1);
        }
    }

    /** Everything spilled is taken: end the segment here, unless the sender appends first, and remove it. */
    private void seal(long write) {
        long index = segmentOf(write);
        if (LONG.compareAndSet(body, (long) WRITE_POSITION_OFFSET, write, position(index + 1, 0))) {
            finish(index);
        }
    }

    /** {@return the body of spill segment {@code index}, mapped by the receiver, or null if it is gone} */
    private MemorySegment readingSegment(long index) {
        if (readingIndex == index && reading != null) {
            return reading.body();
        }
        closeReading();
        try {
            reading = openSpill(spillName(name, index), index, RECEIVE);
        } catch (NotFoundException e) {
            return null;
        }
        readingIndex = index;
        return reading.body();
    }

    void closeReading() {
        if (reading != null) {
            reading.close();
            reading = null;
            readingIndex = 0;
        }
    }

    private IpcSegment openSpill(String spill, long index, String action) {
        IpcSegment segment = IpcSegment.open(spill, SegmentKind.SPILL, RECORDS_OFFSET);
        long size = segment.body().byteSize();
        long recorded = segment.body().get(ValueLayout.JAVA_LONG, SPILL_INDEX_OFFSET);
        if (size != segmentSize - HEADER_SIZE || recorded != index) {
            segment.close();
            throw new InvalidSegmentException(action, spill, InvalidSegmentException.Reason.CORRUPT,
                    "it is spill segment " + recorded + " with a body of " + size + " bytes, not segment " + index
                            + " of " + (segmentSize - HEADER_SIZE));
        }
        return segment;
    }

    // removing everything

    /**
     * Removes the ring and every spill segment of link {@code name} that exists, found by their
     * names in {@code /dev/shm}. {@return how many objects it removed}
     */
    static int removeParts(String name) {
        int removed = IpcSegment.unlinkIfExists(ringName(name)) ? 1 : 0;
        String prefix = spillName(name, 0).substring(1, spillName(name, 0).length() - 1);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(SHM, glob(prefix) + "*")) {
            for (Path entry : entries) {
                String suffix = entry.getFileName().toString().substring(prefix.length());
                if (!suffix.isEmpty() && suffix.chars().allMatch(Character::isDigit)
                        && IpcSegment.unlinkIfExists("/" + entry.getFileName())) {
                    removed++;
                }
            }
        } catch (NoSuchFileException e) {
            return removed;
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + SHM + " for the spill segments of " + name, e);
        }
        return removed;
    }

    private static String glob(String literal) {
        StringBuilder sb = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("*?[]{}\\".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
