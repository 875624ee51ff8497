package org.panamaipc.shm;

import org.panamaipc.IpcInterruptedException;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.process.ProcessId;
import org.panamaipc.sync.Futex;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

import static org.panamaipc.shm.SegmentHeaderDescriptor.*;

/**
 * A panama-ipc shared-memory object: a {@link SharedMemory} that starts with the header described
 * by {@link SegmentHeaderDescriptor}, followed by a body of one {@link SegmentKind}. It is the
 * base every named structure of panama-ipc (mutex, semaphore, channel, ...) is built on.
 *
 * <p>{@link #create} writes the header and lets the caller initialise the body before it marks the
 * segment ready; {@link #open} waits, up to a deadline, for that mark and then validates every
 * header field, so a segment being created, created by another program, or damaged is refused
 * with an {@link InvalidSegmentException} rather than used.
 */
public final class IpcSegment implements AutoCloseable {

    /** How long {@link #open(String, SegmentKind, long)} waits by default for a creator to finish. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(5);

    private static final long CREATOR_CHECK_NANOS = 20_000_000L;

    private final SharedMemory memory;
    private final SegmentKind kind;
    private final MemorySegment body;

    private IpcSegment(SharedMemory memory, SegmentKind kind) {
        this.memory = memory;
        this.kind = kind;
        MemorySegment all = memory.segment();
        this.body = all.asSlice(HEADER_SIZE, all.get(ValueLayout.JAVA_LONG, BODY_SIZE_OFFSET));
    }

    /**
     * Creates the object {@code name} holding a body of {@code bodySize} bytes of {@code kind},
     * lets {@code initializer} set up the body (zero-filled on entry), and then marks it ready.
     *
     * @throws org.panamaipc.AlreadyExistsException if the name exists
     */
    public static IpcSegment create(String name, SegmentKind kind, long bodySize, int mode,
                                    Consumer<MemorySegment> initializer) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(initializer, "initializer");
        if (bodySize <= 0) {
            throw new IllegalArgumentException("bodySize=" + bodySize + " must be positive");
        }
        SharedMemory memory = SharedMemory.create(name, HEADER_SIZE + bodySize, mode);
        try {
            MemorySegment all = memory.segment();
            ProcessId me = ProcessId.current();
            all.set(ValueLayout.JAVA_INT, KIND_OFFSET, kind.code());
            all.set(ValueLayout.JAVA_INT, LAYOUT_VERSION_OFFSET, kind.layoutVersion());
            all.set(ValueLayout.JAVA_LONG, TOTAL_SIZE_OFFSET, HEADER_SIZE + bodySize);
            all.set(ValueLayout.JAVA_LONG, HEADER_SIZE_OFFSET, HEADER_SIZE);
            all.set(ValueLayout.JAVA_LONG, BODY_SIZE_OFFSET, bodySize);
            all.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, 0);
            all.set(ValueLayout.JAVA_INT, CREATOR_PID_OFFSET, me.pid());
            all.set(ValueLayout.JAVA_LONG, CREATOR_START_TIME_OFFSET, me.startTime());
            all.set(ValueLayout.JAVA_LONG, CREATION_TIME_OFFSET, System.currentTimeMillis());
            all.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
            IpcSegment segment = new IpcSegment(memory, kind);
            initializer.accept(segment.body);
            Futex ready = Futex.of(all, READY_OFFSET);
            ready.setRelease(READY); // last: everything above is visible to whoever sees READY
            ready.wakeAll();
            return segment;
        } catch (RuntimeException | Error e) {
            memory.close();
            SharedMemory.unlinkIfExists(name);
            throw e;
        }
    }

    /**
     * Opens the object {@code name}, which must hold {@code kind} with a body of at least
     * {@code minBodySize} bytes, waiting up to {@link #DEFAULT_READY_TIMEOUT} for its creator to
     * finish.
     *
     * @throws org.panamaipc.NotFoundException if the name does not exist
     * @throws InvalidSegmentException if the object is not a valid, ready segment of that kind
     * @throws IpcInterruptedException if the thread is interrupted while waiting for the creator
     *         (its interrupt status is set again)
     */
    public static IpcSegment open(String name, SegmentKind kind, long minBodySize) {
        return open(name, kind, minBodySize, DEFAULT_READY_TIMEOUT);
    }

    /**
     * As {@link #open(String, SegmentKind, long)}, waiting at most {@code readyTimeout} for the
     * creator: zero or negative does not wait, and a duration too long to count in nanoseconds
     * (such as {@code Duration.ofSeconds(Long.MAX_VALUE)}) waits as long as the creator lives.
     *
     * @throws NullPointerException if an argument is null
     */
    public static IpcSegment open(String name, SegmentKind kind, long minBodySize, Duration readyTimeout) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        long timeoutNanos = Timeouts.toNanos(Objects.requireNonNull(readyTimeout, "readyTimeout"));
        SharedMemory memory = SharedMemory.open(name);
        try {
            awaitReady(memory, readyTimeout, timeoutNanos);
            validate(name, memory.segment(), kind, minBodySize);
            return new IpcSegment(memory, kind);
        } catch (RuntimeException | Error e) {
            memory.close();
            throw e;
        }
    }

    private static void awaitReady(SharedMemory memory, Duration timeout, long timeoutNanos) {
        String name = memory.name();
        MemorySegment all = memory.segment();
        if (all.byteSize() < HEADER_SIZE) {
            throw new InvalidSegmentException(name, InvalidSegmentException.Reason.TRUNCATED,
                    "its size " + all.byteSize() + " is smaller than the " + HEADER_SIZE + "-byte header");
        }
        Futex ready = Futex.of(all, READY_OFFSET);
        long deadline = Timeouts.deadline(timeoutNanos);
        while (true) {
            int state = ready.value();
            if (state == READY) {
                return;
            }
            if (state != 0) {
                throw new InvalidSegmentException(name, InvalidSegmentException.Reason.CORRUPT,
                        "its ready word holds " + hex(state) + ", expected 0 or " + hex(READY));
            }
            long magic = all.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET);
            if (magic != 0 && magic != MAGIC) {
                throw badMagic(name, magic);
            }
            int creator = all.get(ValueLayout.JAVA_INT, CREATOR_PID_OFFSET);
            long creatorStart = all.get(ValueLayout.JAVA_LONG, CREATOR_START_TIME_OFFSET);
            if (creator != 0 && !ProcessId.isAlive(creator, creatorStart)) {
                throw new InvalidSegmentException(name, InvalidSegmentException.Reason.NOT_READY,
                        "its creator, pid " + creator + ", died before marking it ready");
            }
            long remaining = Timeouts.remaining(deadline);
            if (remaining <= 0) {
                throw new InvalidSegmentException(name, InvalidSegmentException.Reason.NOT_READY,
                        "it was not marked ready within " + timeout + (magic == 0
                                ? " (its magic is still 0: not created by panama-ipc, or its creator is stuck)"
                                : ""));
            }
            try {
                ready.waitNanos(0, Math.min(remaining, CREATOR_CHECK_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IpcInterruptedException("wait for shared memory", name,
                        "the thread was interrupted", 0, null, null);
            }
        }
    }

    /**
     * Checks the header of a ready segment. Public for tools that inspect segments ({@code ipc stat}).
     *
     * @throws InvalidSegmentException naming the field, the expected and the found value
     */
    public static void validate(String name, MemorySegment all, SegmentKind kind, long minBodySize) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(all, "all");
        Objects.requireNonNull(kind, "kind");
        long size = all.byteSize();
        if (size < HEADER_SIZE) {
            throw new InvalidSegmentException(name, InvalidSegmentException.Reason.TRUNCATED,
                    "its size " + size + " is smaller than the " + HEADER_SIZE + "-byte header");
        }
        long magic = all.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw badMagic(name, magic);
        }
        int code = all.get(ValueLayout.JAVA_INT, KIND_OFFSET);
        SegmentKind found = SegmentKind.ofCode(code);
        if (found != kind) {
            throw new InvalidSegmentException(name, InvalidSegmentException.Reason.WRONG_KIND,
                    "it holds " + (found != null ? found + " (kind " + code + ")" : "unknown kind " + code)
                            + ", expected " + kind + " (kind " + kind.code() + ")");
        }
        int version = all.get(ValueLayout.JAVA_INT, LAYOUT_VERSION_OFFSET);
        if (version != kind.layoutVersion()) {
            throw new InvalidSegmentException(name, InvalidSegmentException.Reason.WRONG_VERSION,
                    "its " + kind + " layout version is " + version + ", this code reads version "
                            + kind.layoutVersion());
        }
        long headerSize = all.get(ValueLayout.JAVA_LONG, HEADER_SIZE_OFFSET);
        if (headerSize != HEADER_SIZE) {
            throw new InvalidSegmentException(name, InvalidSegmentException.Reason.CORRUPT,
                    "its header size field is " + headerSize + ", expected " + HEADER_SIZE);
        }
        long totalSize = all.get(ValueLayout.JAVA_LONG, TOTAL_SIZE_OFFSET);
        if (totalSize > size) {
            throw new InvalidSegmentException(name, InvalidSegmentException.Reason.TRUNCATED,
                    "its header says " + totalSize + " bytes but the object has only " + size);
        }
        if (totalSize != size) {
            throw new InvalidSegmentException(name, InvalidSegmentException.Reason.CORRUPT,
                    "its header says " + totalSize + " bytes but the object has " + size);
        }
        long bodySize = all.get(ValueLayout.JAVA_LONG, BODY_SIZE_OFFSET);
        if (bodySize != totalSize - headerSize) {
            throw new InvalidSegmentException(name, InvalidSegmentException.Reason.CORRUPT,
                    "its body size field is " + bodySize + ", expected total - header = " + (totalSize - headerSize));
        }
        if (bodySize < minBodySize) {
            throw new InvalidSegmentException(name, InvalidSegmentException.Reason.TRUNCATED,
                    "its body is " + bodySize + " bytes, a " + kind + " needs at least " + minBodySize);
        }
        int flags = all.get(ValueLayout.JAVA_INT, FLAGS_OFFSET);
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new InvalidSegmentException(name, InvalidSegmentException.Reason.CORRUPT,
                    "its flags " + hex(flags) + " hold bits this version does not know");
        }
    }

    private static InvalidSegmentException badMagic(String name, long magic) {
        return new InvalidSegmentException(name, InvalidSegmentException.Reason.BAD_MAGIC,
                "its magic is 0x" + Long.toHexString(magic) + ", expected 0x" + Long.toHexString(MAGIC)
                        + " (\"PNMA_IPC\"): it is not a panama-ipc segment");
    }

    private static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }

    /** {@return the body: the bytes after the header, as long as the header says} */
    public MemorySegment body() {
        return body;
    }

    /** {@return the underlying shared memory, header included} */
    public SharedMemory memory() {
        return memory;
    }

    /** {@return the object's name} */
    public String name() {
        return memory.name();
    }

    /** {@return what the segment holds} */
    public SegmentKind kind() {
        return kind;
    }

    /** {@return the process that created the segment} */
    public ProcessId creator() {
        MemorySegment all = memory.segment();
        return new ProcessId(all.get(ValueLayout.JAVA_INT, CREATOR_PID_OFFSET),
                all.get(ValueLayout.JAVA_LONG, CREATOR_START_TIME_OFFSET));
    }

    /** {@return when the segment was created, in milliseconds since the epoch} */
    public long creationTimeMillis() {
        return memory.segment().get(ValueLayout.JAVA_LONG, CREATION_TIME_OFFSET);
    }

    /** Removes the object's name; see {@link SharedMemory#unlink()}. */
    public void unlink() {
        memory.unlink();
    }

    /** Unmaps the segment. */
    @Override
    public void close() {
        memory.close();
    }

    @Override
    public String toString() {
        return "IpcSegment[" + memory.name() + ", " + kind + "]";
    }
}
