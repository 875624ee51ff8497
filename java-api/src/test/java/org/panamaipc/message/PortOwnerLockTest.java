package org.panamaipc.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The owner lock of a port is released before its memory is unmapped, whatever the shared owner
 * state says: a lock left held in unmapped memory made the next port operation of the process
 * write into that memory through glibc's robust list (a SIGSEGV in pthread_mutex_unlock, seen
 * under load in RpcTest).
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(120)
class PortOwnerLockTest {

    @Test
    void shouldCloseAPortWhoseOwnerStateWasChangedBehindItsBackWithoutCrashing() {
        String first = TestNames.unique("owner-lock-a");
        String second = TestNames.unique("owner-lock-b");
        try (ChildProcess child = ChildProcess.java(OwnerLockChild.class, first, second)) {
            int exit = child.waitFor(Duration.ofSeconds(60));
            assertTrue(exit == 0 && child.output().contains("survived"),
                    "the child JVM exited with " + exit + ":\n" + child.output());
        } finally {
            Port.unlinkIfExists(first);
            Port.unlinkIfExists(second);
        }
    }
}
