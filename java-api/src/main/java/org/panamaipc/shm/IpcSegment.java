package org.panamaipc.shm;

import org.panamaipc.IpcInterruptedException;
import org.panamaipc.IpcTimeoutException;
import org.panamaipc.internal.Lifecycle;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.process.ProcessId;
import org.panamaipc.sync.Futex;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static org.panamaipc.shm.SegmentHeaderDescriptor.*;

/**
 * A panama-ipc shared-memory object: a {@link SharedMemory} that starts with the header described
 * by {@link SegmentHeaderDescriptor}, followed by a body of one {@link SegmentKind}. It is the
 * base every named structure of panama-ipc (mutex, semaphore, channel, ...) is built on.
 *
 * <p>{@link #create} writes the header and lets the caller initialise the body before it marks the
 * segment ready; {@link #open} waits, up to a deadline, for its creator to size the object and
 * mark it ready, and then validates every header field, so a segment being created is waited for,
 * and one created by another program, or damaged, is refused with an
 * {@link InvalidSegmentException} rather than used. {@link #openOrCreate} does whichever is needed,
 * race-free, and {@link #created()} says which; the name goes with {@link #unlink(String)} or
 * {@link #unlink()}, never with {@link #close()}. Every named object of panama-ipc that lives in
 * shared memory (primitives, rings) is built on these calls.
 */
public final class IpcSegment implements AutoCloseable {

    /** How long {@link #open(String, SegmentKind, long)} waits by default for a creator to finish. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(5);

    private static final long CREATOR_CHECK_NANOS = 20_000_000L;
    /** The first and the longest pause while waiting for a creator to size the object. */
    private static final long FIRST_SIZE_PAUSE_NANOS = 50_000L;
    private static final long LONGEST_SIZE_PAUSE_NANOS = 10_000_000L;

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
     * with permission bits {@code mode} (applied exactly), lets {@code initializer} set up the body
     * (zero-filled on entry), and then marks it ready. If anything fails, the object is removed.
     *
     * @throws org.panamaipc.AlreadyExistsException if the name exists
     * @throws IllegalArgumentException if {@code bodySize} is not positive or {@code mode} has bits
     *         outside {@code 0777}
     */
    public static IpcSegment create(String name, SegmentKind kind, long bodySize, int mode,
                                    Consumer<MemorySegment> initializer) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(initializer, "initializer");
        checkBodySize(bodySize);
        // a body no system can hold asks for all there is, never a size that wraps to negative
        long total = bodySize > Long.MAX_VALUE - HEADER_SIZE ? Long.MAX_VALUE : HEADER_SIZE + bodySize;
        SharedMemory memory = SharedMemory.create(name, total, mode);
        try {
            return setUp(memory, kind, initializer);
        } catch (RuntimeException | Error e) {
            memory.close();
            SharedMemory.unlinkIfExists(name);
            throw e;
        }
    }

    /**
     * Lays out a segment of {@code kind} in {@code memory}, which it fills whole: the header, then
     * a body of {@code memory.size()} minus the header's bytes, zero-filled and then set up by
     * {@code initializer}; then marks it ready. For memory without a name
     * ({@link SharedMemory#anonymous}) that is handed to other processes as a descriptor, which
     * check it with {@link #open(SharedMemory, SegmentKind, long)}. Whatever the memory held is
     * overwritten. The segment takes the memory over: closing it closes the memory, and so does a
     * failure here.
     *
     * @throws IllegalArgumentException if the memory has no room for a body after the header
     * @throws IllegalStateException if the memory is closed or mapped read-only
     * @throws NullPointerException if an argument is null
     */
    public static IpcSegment layOut(SharedMemory memory, SegmentKind kind, Consumer<MemorySegment> initializer) {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(initializer, "initializer");
        try {
            if (memory.access() != org.panamaipc.Access.READ_WRITE) {
                throw new IllegalStateException("shared memory " + memory.name() + " is mapped " + memory.access()
                        + ": a segment cannot be laid out in it");
            }
            checkBodySize(memory.size() - HEADER_SIZE);
            memory.segment().fill((byte) 0); // the ready word first of all: nobody may take it for ready
            return setUp(memory, kind, initializer);
        } catch (RuntimeException | Error e) {
            memory.close();
            throw e;
        }
    }

    /** Writes the header over the whole of {@code memory}, runs the initializer, and marks the segment ready. */
    private static IpcSegment setUp(SharedMemory memory, SegmentKind kind, Consumer<MemorySegment> initializer) {
        MemorySegment all = memory.segment();
        long totalSize = all.byteSize();
        ProcessId me = ProcessId.current();
        all.set(ValueLayout.JAVA_INT, KIND_OFFSET, kind.code());
        all.set(ValueLayout.JAVA_INT, LAYOUT_VERSION_OFFSET, kind.layoutVersion());
        all.set(ValueLayout.JAVA_LONG, TOTAL_SIZE_OFFSET, totalSize);
        all.set(ValueLayout.JAVA_LONG, HEADER_SIZE_OFFSET, HEADER_SIZE);
        all.set(ValueLayout.JAVA_LONG, BODY_SIZE_OFFSET, totalSize - HEADER_SIZE);
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
    }

    /**
     * Checks the segment in {@code memory} as {@link #open(String, SegmentKind, long)} checks a
     * named one: waits up to {@link #DEFAULT_READY_TIMEOUT} for a creator that has begun to lay it
     * out to mark it ready (memory in which nothing was begun is refused at once), then validates
     * every header field; {@return the segment} For memory received from another process
     * as a descriptor (see {@link #layOut}). The segment takes the memory over: closing it closes
     * the memory, and so does a failure here.
     *
     * @throws InvalidSegmentException if the memory does not hold a valid segment of {@code kind}
     *         with a body of at least {@code minBodySize} bytes, or its creator died before marking
     *         it ready
     * @throws IpcTimeoutException if its creator, still alive, did not mark it ready in time
     * @throws IpcInterruptedException if the thread is interrupted while waiting for the creator
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code minBodySize} is negative
     */
    public static IpcSegment open(SharedMemory memory, SegmentKind kind, long minBodySize) {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(kind, "kind");
        checkMinBodySize(minBodySize);
        try {
            MemorySegment all = memory.segment();
            if (all.byteSize() >= HEADER_SIZE && all.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET) == 0
                    && all.get(ValueLayout.JAVA_INT, CREATOR_PID_OFFSET) == 0) {
                // no creator has begun to lay anything out; memory handed over is laid out before
                throw new InvalidSegmentException(memory.name(), InvalidSegmentException.Reason.NOT_READY,
                        "nothing is laid out in it: its magic and creator are 0");
            }
            awaitReady(memory, DEFAULT_READY_TIMEOUT, Timeouts.deadline(Timeouts.toNanos(DEFAULT_READY_TIMEOUT)));
            validate(memory.name(), all, kind, minBodySize);
            return new IpcSegment(memory, kind);
        } catch (RuntimeException | Error e) {
            memory.close();
            throw e;
        }
    }

    /**
     * Opens the object {@code name}, which must hold {@code kind} with a body of at least
     * {@code minBodySize} bytes, waiting up to {@link #DEFAULT_READY_TIMEOUT} for its creator to
     * size it and mark it ready.
     *
     * @throws org.panamaipc.NotFoundException if the name does not exist
     * @throws InvalidSegmentException if the object is not a valid segment of that kind, or its
     *         creator died before marking it ready
     * @throws IpcTimeoutException if its creator, still alive, did not mark it ready in time
     * @throws IpcInterruptedException if the thread is interrupted while waiting for the creator
     *         (its interrupt status is set again)
     * @throws IllegalArgumentException if {@code minBodySize} is negative
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
        checkMinBodySize(minBodySize);
        long deadline = Timeouts.deadline(timeoutNanos);
        SharedMemory memory = openSized(name, readyTimeout, deadline);
        try {
            awaitReady(memory, readyTimeout, deadline);
            validate(name, memory.segment(), kind, minBodySize);
            return new IpcSegment(memory, kind);
        } catch (RuntimeException | Error e) {
            memory.close();
            throw e;
        }
    }

    /**
     * Opens {@code name} if it exists, or else creates it as {@link #create} does; {@link #created()}
     * tells which happened. Race-free: when another process removes the name between this call's
     * create and open, it tries again (a few times). An existing segment is opened as
     * {@link #open(String, SegmentKind, long)} opens it, with {@code minBodySize}; it keeps its own
     * body size.
     *
     * @throws IllegalArgumentException if {@code bodySize} is less than {@code minBodySize}, or
     *         {@code minBodySize} is negative
     */
    public static IpcSegment openOrCreate(String name, SegmentKind kind, long bodySize, int mode,
                                          Consumer<MemorySegment> initializer, long minBodySize) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(initializer, "initializer");
        checkBodySize(bodySize);
        checkMinBodySize(minBodySize);
        Lifecycle.checkMode(mode);
        if (bodySize < minBodySize) {
            throw new IllegalArgumentException("bodySize=" + bodySize + " is less than minBodySize=" + minBodySize);
        }
        return Lifecycle.openOrCreate(() -> create(name, kind, bodySize, mode, initializer),
                () -> open(name, kind, minBodySize));
    }

    /**
     * Removes the name {@code name} (see {@link SharedMemory#unlink(String)}).
     *
     * @throws org.panamaipc.NotFoundException if no object of that name exists
     */
    public static void unlink(String name) {
        SharedMemory.unlink(name);
    }

    /** {@return whether the name existed and was removed} As {@link #unlink(String)}, without failing on a missing name. */
    public static boolean unlinkIfExists(String name) {
        return SharedMemory.unlinkIfExists(name);
    }

    /** {@return whether a shared-memory object named {@code name} exists now} Whatever it holds. */
    public static boolean exists(String name) {
        return SharedMemory.exists(name);
    }

    private static void checkBodySize(long bodySize) {
        if (bodySize <= 0) {
            throw new IllegalArgumentException("bodySize=" + bodySize + " must be positive");
        }
    }

    private static void checkMinBodySize(long minBodySize) {
        if (minBodySize < 0) {
            throw new IllegalArgumentException("minBodySize=" + minBodySize + " must not be negative");
        }
    }

    /**
     * Opens the object once its creator has sized it: between {@code shm_open} and sizing, the
     * object is empty (an {@code openOrCreate} that lost the race to create meets it so).
     */
    private static SharedMemory openSized(String name, Duration timeout, long deadline) {
        long pause = FIRST_SIZE_PAUSE_NANOS;
        while (true) {
            try {
                return SharedMemory.open(name);
            } catch (InvalidSegmentException e) {
                if (e.reason() != InvalidSegmentException.Reason.EMPTY) {
                    throw e;
                }
                long remaining = Timeouts.remaining(deadline);
                if (remaining <= 0) {
                    throw new IpcTimeoutException("open shared memory", name, "its size was still 0 after "
                            + timeout + ": its creator has not sized it (or died before), or it is not a panama-ipc"
                            + " object", 0, null, null);
                }
                LockSupport.parkNanos(Math.min(pause, remaining));
                pause = Math.min(2 * pause, LONGEST_SIZE_PAUSE_NANOS);
                if (Thread.interrupted()) {
                    throw interrupted(name);
                }
            }
        }
    }

    private static IpcInterruptedException interrupted(String name) {
        Thread.currentThread().interrupt();
        return new IpcInterruptedException("wait for shared memory", name, "the thread was interrupted", 0, null, null);
    }

    private static void awaitReady(SharedMemory memory, Duration timeout, long deadline) {
        String name = memory.name();
        MemorySegment all = memory.segment();
        if (all.byteSize() < HEADER_SIZE) {
            throw new InvalidSegmentException(name, InvalidSegmentException.Reason.TRUNCATED,
                    "its size " + all.byteSize() + " is smaller than the " + HEADER_SIZE + "-byte header");
        }
        Futex ready = Futex.of(all, READY_OFFSET);
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
                throw new IpcTimeoutException("open shared memory", name, "it was not marked ready within " + timeout
                        + (magic == 0 ? " (its magic is still 0: not created by panama-ipc, or its creator is stuck)"
                                : " (its creator, pid " + creator + ", is alive)"), 0, null, null);
            }
            try {
                ready.waitNanos(0, Math.min(remaining, CREATOR_CHECK_NANOS));
            } catch (InterruptedException e) {
                throw interrupted(name);
            }
        }
    }

    /**
     * Checks the header of a ready segment. Public for tools that inspect segments.
     *
     * @throws InvalidSegmentException naming the field, the expected and the found value
     * @throws IllegalArgumentException if {@code minBodySize} is negative
     */
    public static void validate(String name, MemorySegment all, SegmentKind kind, long minBodySize) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(all, "all");
        Objects.requireNonNull(kind, "kind");
        checkMinBodySize(minBodySize);
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

    /** {@return whether this segment was created by the call that returned it (rather than opened)} */
    public boolean created() {
        return memory.created();
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

    /** Removes the object's name; see {@link SharedMemory#unlink()}. The mapping stays usable. */
    public void unlink() {
        memory.unlink();
    }

    /**
     * Unmaps the segment, as {@link SharedMemory#close()} does: threads of this process that wait
     * on its memory wake and throw {@link IllegalStateException} naming it, and the call returns
     * once they have left. The name stays. Calling it again does nothing.
     */
    @Override
    public void close() {
        memory.close();
    }

    @Override
    public String toString() {
        return "IpcSegment[" + memory.name() + ", " + kind + "]";
    }
}
