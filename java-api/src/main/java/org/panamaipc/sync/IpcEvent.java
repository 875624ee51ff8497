package org.panamaipc.sync;

import org.panamaipc.internal.Lifecycle;
import org.panamaipc.internal.Namespace;
import org.panamaipc.internal.Sleepers;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;

import static org.panamaipc.sync.EventDescriptor.*;

/**
 * An event that threads of any process can wait for, set and reset. Waiting comes in the three
 * forms of every wait: {@link #tryAwait()} returns at once, {@link #await()} waits as long as it
 * takes, {@link #await(Duration)} waits at most that long. Its {@link Type} says how it resets.
 *
 * <ul>
 * <li><b>Manual reset</b>: once {@link #set()}, every {@link #await} returns at once until
 *     {@link #reset()}; set wakes all waiters.</li>
 * <li><b>Auto reset</b>: {@link #set()} lets exactly one {@link #await} through, which resets the
 *     event; set wakes one waiter. A set with no one waiting stays set until one awaits.</li>
 * </ul>
 *
 * {@snippet lang=java :
 * // process A
 * try (IpcEvent ready = IpcEvent.create("/feed.ready", IpcEvent.Type.MANUAL_RESET)) {
 *     loadFeed();
 *     ready.set();
 * }
 * // process B
 * try (IpcEvent ready = IpcEvent.open("/feed.ready")) {
 *     if (!ready.await(Duration.ofSeconds(30))) {
 *         throw new IllegalStateException("feed not loaded in 30 s");
 *     }
 * }
 * }
 *
 * <p>An event lives in a segment of its own ({@link #create}, {@link #open},
 * {@link #openOrCreate}; removed with {@link #unlink(String)}) or in a region of the caller's
 * shared memory ({@link #initialize}, {@link #wrap}).
 */
public final class IpcEvent extends SharedPrimitive {

    /** How an event resets: its type, chosen when it is created. */
    public enum Type {
        /** Stays set until {@link #reset()}. */
        MANUAL_RESET,
        /** Reset by the one await that it lets through. */
        AUTO_RESET
    }

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final Futex state;
    private final boolean autoReset;

    private static final String WHAT = "event";

    private IpcEvent(IpcSegment segment, MemorySegment region, boolean created) {
        super(WHAT, segment, region, created);
        this.state = Futex.of(region, STATE_OFFSET);
        this.autoReset = region.get(ValueLayout.JAVA_INT, AUTO_RESET_OFFSET) != 0;
    }

    /**
     * Creates a reset event of {@code type} in a new segment {@code name}, with mode {@code 0600}.
     *
     * @throws org.panamaipc.AlreadyExistsException if the name exists
     */
    public static IpcEvent create(String name, Type type) {
        return create(name, type, Lifecycle.DEFAULT_MODE);
    }

    /**
     * Creates a reset event as {@link #create(String, Type)} does, with permission bits
     * {@code mode} (such as {@code 0660}), applied exactly whatever the umask.
     *
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777}, or does not
     *         give the owner read and write ({@code 0600})
     */
    public static IpcEvent create(String name, Type type, int mode) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        IpcSegment segment = createSegment(name, SegmentKind.EVENT, SIZE, mode, WHAT, body -> initialize0(body, type));
        return new IpcEvent(segment, segment.body(), true);
    }

    /**
     * Opens the event segment {@code name}.
     *
     * @throws org.panamaipc.NotFoundException if it does not exist
     * @throws org.panamaipc.shm.InvalidSegmentException if it is not a valid event segment
     */
    public static IpcEvent open(String name) {
        IpcSegment segment = openSegment(name, SegmentKind.EVENT, SIZE);
        return new IpcEvent(segment, regionOf(segment, SIZE), false);
    }

    /**
     * Opens {@code name}, or creates it as a reset event of {@code type} (mode {@code 0600}) if it
     * does not exist; {@link #created()} says which. An existing event keeps its own type: check
     * {@link #type()}.
     */
    public static IpcEvent openOrCreate(String name, Type type) {
        return openOrCreate(name, type, Lifecycle.DEFAULT_MODE);
    }

    /** As {@link #openOrCreate(String, Type)}, creating with permission bits {@code mode} (see {@link #create(String, Type, int)}). */
    public static IpcEvent openOrCreate(String name, Type type, int mode) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        IpcSegment segment = openOrCreateSegment(name, SegmentKind.EVENT, SIZE, mode, WHAT,
                body -> initialize0(body, type));
        return new IpcEvent(segment, regionOf(segment, SIZE), segment.created());
    }

    /**
     * Removes the name {@code name}; processes that have the event open keep it until they close.
     *
     * @throws org.panamaipc.NotFoundException if no object of that name exists
     */
    public static void unlink(String name) {
        Namespace.SHARED_MEMORY.unlink(name, WHAT);
    }

    /** {@return whether the name existed and was removed} As {@link #unlink(String)}, without failing on a missing name. */
    public static boolean unlinkIfExists(String name) {
        return Namespace.SHARED_MEMORY.unlinkIfExists(name, WHAT);
    }

    /** {@return whether a shared-memory object named {@code name} exists now} Whatever it holds. */
    public static boolean exists(String name) {
        return Namespace.SHARED_MEMORY.exists(name, WHAT);
    }

    /** Sets up a reset event of {@code type} in {@code region}, and {@return it} */
    public static IpcEvent initialize(MemorySegment region, Type type) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(type, "type");
        MemorySegment checked = Regions.check(region, SIZE, WHAT);
        initialize0(checked, type);
        return new IpcEvent(null, checked, true);
    }

    /** {@return the event that {@link #initialize} set up in {@code region}} */
    public static IpcEvent wrap(MemorySegment region) {
        return new IpcEvent(null, Regions.check(region, SIZE, WHAT), false);
    }

    private static void initialize0(MemorySegment region, Type type) {
        region.set(ValueLayout.JAVA_INT, AUTO_RESET_OFFSET, type == Type.AUTO_RESET ? 1 : 0);
        INT.setRelease(region, (long) STATE_OFFSET, RESET);
    }

    /** {@return how this event resets} */
    public Type type() {
        return autoReset ? Type.AUTO_RESET : Type.MANUAL_RESET;
    }

    /** Sets the event and wakes its waiters: all of them (manual reset) or one (auto reset). */
    public void set() {
        ensureOpen();
        if (state.getAndSet(SET) == RESET && (int) INT.getVolatile(region, (long) WAITERS_OFFSET) > 0) {
            if (autoReset) {
                state.wake(1);
            } else {
                state.wakeAll();
            }
        }
    }

    /** Resets the event. */
    public void reset() {
        ensureOpen();
        state.setRelease(RESET);
    }

    /** {@return whether the event is set now} */
    public boolean isSet() {
        ensureOpen();
        return state.value() == SET;
    }

    /**
     * Returns at once if the event is set (resetting it, in auto-reset mode), and does not wait.
     * {@return whether it was set}
     */
    public boolean tryAwait() {
        ensureOpen();
        return autoReset ? state.compareAndSet(SET, RESET) : state.value() == SET;
    }

    /**
     * Waits until the event is set. In auto-reset mode, resets it.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the event is closed, also by another thread while this one waits
     */
    public void await() throws InterruptedException {
        awaitNanos(Timeouts.FOREVER);
    }

    /**
     * Waits at most {@code timeout} until the event is set. In auto-reset mode, a successful wait
     * resets it. {@return whether the event was set}
     * Zero or negative does not wait (as {@link #tryAwait()}); a duration too long to count in
     * nanoseconds (such as {@code Duration.ofSeconds(Long.MAX_VALUE)}) waits as long as it takes.
     *
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the event is closed, also by another thread while this one waits
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitNanos(Timeouts.toNanos(timeout));
    }

    private boolean awaitNanos(long timeoutNanos) throws InterruptedException {
        if (tryAwait()) {
            return true;
        }
        if (timeoutNanos <= 0) {
            return false;
        }
        long deadline = Timeouts.deadline(timeoutNanos);
        Sleepers.Sleeper waiting = enterWait(state);
        try {
            return awaitCounted(deadline, waiting);
        } finally {
            Sleepers.exit(waiting);
        }
    }

    /** Waits counted among the waiters, so that a release or set knows to wake. */
    private boolean awaitCounted(long deadline, Sleepers.Sleeper waiting) throws InterruptedException {
        INT.getAndAdd(region, (long) WAITERS_OFFSET, 1);
        try {
            while (true) {
                checkWaiting(waiting);
                if (tryAwait()) {
                    return true;
                }
                long remaining = Timeouts.remaining(deadline);
                if (remaining <= 0) {
                    return false;
                }
                state.waitNanos(RESET, remaining);
            }
        } finally {
            INT.getAndAdd(region, (long) WAITERS_OFFSET, -1);
        }
    }

    @Override
    public String toString() {
        if (!isOpen()) {
            return "IpcEvent[" + describe() + ", closed]";
        }
        return "IpcEvent[" + describe() + ", " + type() + ", "
                + (isSet() ? "set" : "reset") + "]";
    }
}
