package org.panamaipc.children;

import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.Futex;

import java.time.Duration;

/**
 * Child JVM for futex tests: {@code wait NAME OFFSET} waits on the futex word (expecting 0) for
 * at most 30 s and prints the result; exit 0 if it was woken, 3 otherwise.
 */
public final class FutexChild {

    private FutexChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        String name = args[1];
        long offset = Long.parseLong(args[2]);
        try (SharedMemory shm = SharedMemory.open(name)) {
            Futex futex = Futex.of(shm.segment(), offset);
            System.out.println("waiting");
            Futex.WaitResult result = futex.wait(0, Duration.ofSeconds(30));
            System.out.println("result " + result + " value " + futex.value());
            System.exit(result == Futex.WaitResult.WOKEN ? 0 : 3);
        }
    }
}
