package org.panamaipc.sync;

import org.panamaipc.internal.Sleepers;
import org.panamaipc.internal.Timeouts;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;

import static org.panamaipc.sync.EventDescriptor.*;

/**
 * An event that threads of any process can wait for, set and reset.
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
 * try (IpcEvent ready = IpcEvent.create("/feed.ready", IpcEvent.Mode.MANUAL_RESET)) {
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
 */
public final class IpcEvent extends SharedPrimitive {

    /** How an event resets. */
    public enum Mode {
        /** Stays set until {@link #reset()}. */
        MANUAL_RESET,
        /** Reset by the one await that it lets through. */
        AUTO_RESET
    }

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final Futex state;
    private final boolean autoReset;

    private IpcEvent(IpcSegment segment, MemorySegment region) {
        super("event", segment, region);
        this.state = Futex.of(region, STATE_OFFSET);
        this.autoReset = region.get(ValueLayout.JAVA_INT, AUTO_RESET_OFFSET) != 0;
    }

    /** Creates a reset event in a new segment {@code name} (mode {@code 0600}). */
    public static IpcEvent create(String name, Mode mode) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        IpcSegment segment = IpcSegment.create(name, SegmentKind.EVENT, SIZE, SharedMemory.DEFAULT_MODE,
                body -> initialize0(body, mode));
        return new IpcEvent(segment, segment.body());
    }

    /** Opens the event segment {@code name}. */
    public static IpcEvent open(String name) {
        IpcSegment segment = IpcSegment.open(name, SegmentKind.EVENT, SIZE);
        return new IpcEvent(segment, regionOf(segment, SIZE));
    }

    /** Sets up a reset event in {@code region}, and {@return it} */
    public static IpcEvent initialize(MemorySegment region, Mode mode) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(mode, "mode");
        MemorySegment checked = Regions.check(region, SIZE, "event");
        initialize0(checked, mode);
        return new IpcEvent(null, checked);
    }

    /** {@return the event that {@link #initialize} set up in {@code region}} */
    public static IpcEvent wrap(MemorySegment region) {
        return new IpcEvent(null, Regions.check(region, SIZE, "event"));
    }

    private static void initialize0(MemorySegment region, Mode mode) {
        region.set(ValueLayout.JAVA_INT, AUTO_RESET_OFFSET, mode == Mode.AUTO_RESET ? 1 : 0);
        INT.setRelease(region, (long) STATE_OFFSET, RESET);
    }

    /** {@return how this event resets} */
    public Mode mode() {
        return autoReset ? Mode.AUTO_RESET : Mode.MANUAL_RESET;
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
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitNanos(Timeouts.toNanos(timeout));
    }

    private boolean awaitNanos(long timeoutNanos) throws InterruptedException {
        if (tryAwait()) {
            return true;
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
                waiting.ensureOpen();
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
        return "IpcEvent[" + describe() + ", " + mode() + ", "
                + (isSet() ? "set" : "reset") + "]";
    }
}
