package org.panamaipc.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.bindings.children.ChildSupport;
import org.panamaipc.bindings.children.FutexWaiter;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.panamaipc.bindings.children.ChildSupport.INT;
import static org.panamaipc.bindings.children.ChildSupport.checkCall;
import static org.panamaipc.bindings.children.FutexWaiter.*;

/**
 * The shared futex between two JVMs through the raw bindings: a child JVM ({@link FutexWaiter})
 * sleeps in {@code FUTEX_WAIT_BITSET} on a word of a shared memory object, and the parent wakes it.
 */
@ExtendWith(NoLeakedObjects.class)
class FutexAcrossProcessesTest {

    /** Longer than the child's own deadline, so the child's diagnostics come first. */
    private static final Duration CHILD_EXIT = ChildSupport.CHILD_DEADLINE.plusSeconds(15);

    /** How long the parent keeps looking for the child asleep on the word. */
    private static final Duration WAKE_DEADLINE = ChildSupport.CHILD_DEADLINE;

    private static final Duration PAUSE = Duration.ofMillis(1);

    /**
     * The word stays 0 throughout, so the child can only leave its wait by a wake or its deadline.
     * {@code FUTEX_WAKE} returns how many waiters it woke, and only the child waits on this word:
     * a return of 1 proves that the child was asleep in the kernel and that this call woke it. No
     * sleep is used as synchronisation; the pause only keeps the loop from spinning hard.
     */
    @Test
    @Timeout(90)
    void shouldWakeAWaiterThatSleepsInAnotherJvm() throws InterruptedException {
        try (SharedSegment shm = SharedSegment.create(TestNames.unique("futex"), pageSize())) {
            MemorySegment word = shm.mapping().asSlice(WORD_OFFSET, Integer.BYTES);
            INT.setRelease(word, 0L, 0);

            try (ChildProcess child = ChildProcess.java(FutexWaiter.class, shm.name(), EXPECT_WAKE)) {
                long deadline = System.nanoTime() + WAKE_DEADLINE.toNanos();
                int attempts = 0;
                while (true) {
                    attempts++;
                    long woken = checkCall("futex_wake", futex_h.futex_wake(word, 1));
                    if (woken == 1) {
                        break;
                    }
                    assertEquals(0, woken, "futex_wake(word, 1)");
                    if (!child.process().isAlive()) {
                        fail(child + " exited with " + child.process().exitValue()
                                + " before anyone woke it. Its output:\n" + child.output());
                    }
                    if (System.nanoTime() - deadline > 0) {
                        fail(child + " was not asleep on the word after " + WAKE_DEADLINE + " (" + attempts
                                + " futex_wake calls). Its output:\n" + child.output());
                    }
                    Thread.sleep(PAUSE);
                }
                child.assertSuccess(CHILD_EXIT);
                assertTrue(child.output().contains("result rc=0 errno=- word=0"), child::output);
                assertEquals(0, (int) INT.getAcquire(word, 0L), "the word");
                assertEquals(0, futex_h.futex_wake(word, 1), "futex_wake once the only waiter is gone");
            }
        }
    }

    /**
     * The parent changes the word to 1, then wakes once. Whether the child was asleep by then is a
     * race, but the futex contract decides the outcome from the wake's return value: if it woke
     * one waiter, the child's wait returned 0; if it woke nobody, the child had not yet checked the
     * word and will find 1 there, so its wait fails with EAGAIN. Either way, no wake is lost.
     */
    @Test
    @Timeout(90)
    void shouldEitherWakeTheWaiterOrLetItSeeTheChangedWord() {
        try (SharedSegment shm = SharedSegment.create(TestNames.unique("futex-set"), pageSize())) {
            MemorySegment word = shm.mapping().asSlice(WORD_OFFSET, Integer.BYTES);
            INT.setRelease(word, 0L, 0);

            try (ChildProcess child = ChildProcess.java(FutexWaiter.class, shm.name(), EXPECT_WAKE_OR_EAGAIN)) {
                child.awaitOutput(WAITING, WAKE_DEADLINE);
                INT.setRelease(word, 0L, 1);
                long woken = checkCall("futex_wake", futex_h.futex_wake(word, 1));
                child.assertSuccess(CHILD_EXIT);
                String expected = woken == 1 ? "result rc=0 errno=- word=1" : "result rc=-1 errno=EAGAIN word=1";
                assertTrue(child.output().contains(expected),
                        "futex_wake returned " + woken + ", so the child should print \"" + expected
                                + "\". Its output:\n" + child.output());
            }
        }
    }

    private static long pageSize() {
        return checkCall("sysconf(_SC_PAGESIZE)", unistd_h.sysconf(unistd_h._SC_PAGESIZE()));
    }
}
