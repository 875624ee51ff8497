package org.panamaipc.attack;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One case of the bad-input matrix: an id ({@code kind:Type.method(params)[#detail]}), the
 * signature of the entry point it attacks, and a body that calls it and checks the outcome against
 * the documented behaviour (throwing {@link AssertionError} if it differs). Each case has its own
 * {@link Fixture} and a deadline: a call that blocks where it should not is a failure, not a hang.
 */
record MatrixCase(String id, String signature, Body body) {

    /** The deadline of one case. */
    static final Duration DEADLINE = Duration.ofSeconds(30);

    /** What a case does. */
    @FunctionalInterface
    interface Body {
        void run(Fixture fixture) throws Throwable;
    }

    /** {@return null if the case behaved as documented, else what happened} */
    String run() {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Fixture fixture = new Fixture();
        Thread thread = Thread.ofPlatform().name("matrix " + id).daemon().start(() -> {
            try {
                body.run(fixture);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try {
            thread.join(DEADLINE);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(5));
                return "still running after " + DEADLINE + " (a call that should not block did, or blocked past its deadline)";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            if (thread.isAlive()) {
                fixture.unlinkNames(); // the stuck thread may still use what is open: leave that, remove the names
            } else {
                fixture.close();
            }
        }
        Throwable t = failure.get();
        if (t == null) {
            return null;
        }
        return t instanceof AssertionError ? t.getMessage() : "the case itself failed: " + Expect.describe(t);
    }
}
