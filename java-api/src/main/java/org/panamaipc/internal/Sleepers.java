package org.panamaipc.internal;

import org.panamaipc.bindings.futex_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The threads of this process that wait on mapped shared memory, by the memory's scope, so that
 * unmapping it ({@code SharedMemory.close}, {@code grow}, {@code remap}) can first wake them and
 * wait until they have left. Without this, a thread asleep in a futex wait holds the mapping (FFM
 * refuses to close an arena that a native call uses), and a thread woken in the middle of its
 * loop would touch memory that is gone.
 *
 * <p>A waiting operation {@linkplain #enter enters} with the futex word it sleeps on, calls
 * {@link Sleeper#ensureOpen()} before each sleep and after each wake, and {@linkplain #exit exits}
 * when it is done with the memory, also when it throws; between the two the memory stays mapped.
 * The unmapper ({@link #close}) marks the scope closing with a message naming the object, wakes
 * every sleeper in that scope (again every {@link #RETRY_NANOS}, since a wake can land in the
 * instant before a sleeper enters the kernel), waits until the last one has left, and only then
 * closes the arena. A sleeper that enters while its scope is closing is marked at once. A sleeper
 * marked closing throws {@link IllegalStateException} with that message at its next check.
 *
 * <p>An object that waits on memory it does not own (a primitive in a caller's region) enters
 * with itself as the {@code owner}, and its {@code close()} ends the waits in it alone with
 * {@link #closeOwner}, the same way but without unmapping anything. Such an object marks itself
 * closed before it calls {@code closeOwner}, and its waits check that mark after they enter: then
 * either the closer finds the sleeper, or the sleeper sees the mark.
 */
public final class Sleepers {

    /** How often the unmapper wakes the sleepers again while it waits for them to leave. */
    private static final long RETRY_NANOS = 100_000L;

    private static final Object LOCK = new Object();
    private static final List<Sleeper> SLEEPERS = new ArrayList<>();
    private static final Map<MemorySegment.Scope, String> CLOSING = new HashMap<>();
    private static final Map<Object, String> CLOSING_OWNERS = new HashMap<>();

    private Sleepers() {
    }

    /** One thread's wait on one piece of mapped memory. */
    public static final class Sleeper {
        private final MemorySegment word;
        private final Object owner;
        private volatile String closedMessage;

        private Sleeper(MemorySegment word, Object owner) {
            this.word = word;
            this.owner = owner;
        }

        /**
         * Throws if the memory is being unmapped.
         *
         * @throws IllegalStateException naming the object whose memory is being unmapped
         */
        public void ensureOpen() {
            String message = closedMessage;
            if (message != null) {
                throw new IllegalStateException(message);
            }
        }
    }

    /**
     * Registers the calling thread as waiting on {@code word} (a futex word in mapped memory), and
     * {@return the registration} to check and to {@linkplain #exit exit}.
     */
    public static Sleeper enter(MemorySegment word) {
        return enter(word, null);
    }

    /**
     * Registers the calling thread as waiting on {@code word} in {@code owner}, the object whose
     * {@code close()} ends the wait with {@link #closeOwner}, and {@return the registration}
     */
    public static Sleeper enter(MemorySegment word, Object owner) {
        Sleeper sleeper = new Sleeper(word, owner);
        synchronized (LOCK) {
            String closing = CLOSING.get(word.scope());
            sleeper.closedMessage = closing != null || owner == null ? closing : CLOSING_OWNERS.get(owner);
            SLEEPERS.add(sleeper);
        }
        return sleeper;
    }

    /** Ends what {@link #enter} began: the thread no longer touches the memory. */
    public static void exit(Sleeper sleeper) {
        synchronized (LOCK) {
            for (int i = SLEEPERS.size() - 1; i >= 0; i--) {
                if (SLEEPERS.get(i) == sleeper) {
                    SLEEPERS.remove(i);
                    return;
                }
            }
        }
    }

    /**
     * Closes {@code arena} (which unmaps its memory) once no thread waits on its memory: marks every
     * sleeper in it with {@code message}, wakes them, and waits for them to leave, at most
     * {@code timeoutNanos}. {@return whether the arena is closed} If not (a native call that is not
     * one of these waits still holds the memory after the timeout), the arena stays open and usable.
     */
    public static boolean close(Arena arena, String message, long timeoutNanos) {
        MemorySegment.Scope scope = arena.scope();
        synchronized (LOCK) {
            CLOSING.put(scope, message);
        }
        try {
            return endWaits(sleeper -> sleeper.word.scope().equals(scope), message, timeoutNanos, () -> {
                try {
                    arena.close();
                    return true;
                } catch (IllegalStateException inUse) {
                    return false; // a short native call on the memory (a wake, say): try again
                }
            });
        } finally {
            synchronized (LOCK) {
                CLOSING.remove(scope);
            }
        }
    }

    /**
     * Ends the waits of {@code owner} (those that {@linkplain #enter(MemorySegment, Object) entered}
     * with it): marks them with {@code message}, wakes them, and waits for them to leave, at most
     * {@code timeoutNanos}. Unmaps nothing. {@return whether they have all left}
     */
    public static boolean closeOwner(Object owner, String message, long timeoutNanos) {
        synchronized (LOCK) {
            CLOSING_OWNERS.put(owner, message);
        }
        try {
            return endWaits(sleeper -> sleeper.owner == owner, message, timeoutNanos, () -> true);
        } finally {
            synchronized (LOCK) {
                CLOSING_OWNERS.remove(owner);
            }
        }
    }

    /**
     * Marks and wakes the sleepers that {@code selected} picks until none is left and {@code done}
     * says yes, waking them again every {@link #RETRY_NANOS} (a wake can land in the instant before
     * a sleeper enters the kernel). {@return whether it got there within {@code timeoutNanos}}
     */
    private static boolean endWaits(Predicate<Sleeper> selected, String message,
                                    long timeoutNanos, BooleanSupplier done) {
        long deadline = Timeouts.deadline(timeoutNanos);
        List<MemorySegment> words = new ArrayList<>();
        while (true) {
            words.clear();
            synchronized (LOCK) {
                for (Sleeper sleeper : SLEEPERS) {
                    if (selected.test(sleeper)) {
                        sleeper.closedMessage = message;
                        words.add(sleeper.word);
                    }
                }
            }
            if (words.isEmpty() && done.getAsBoolean()) {
                return true;
            }
            for (MemorySegment word : words) {
                try {
                    futex_h.futex_wake(word, Integer.MAX_VALUE);
                } catch (IllegalStateException unmapped) {
                    // its memory was unmapped meanwhile (by its own close): no one sleeps on it now
                }
            }
            if (Timeouts.remaining(deadline) <= 0) {
                return false;
            }
            LockSupport.parkNanos(RETRY_NANOS);
        }
    }
}
