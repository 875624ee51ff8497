package org.panamaipc.demos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.testkit.ChildProcess;

import java.io.File;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ipc demo remote}: two "hosts", each a JVM with its own bridge and media driver, and a check. */
class RemoteDemoTest {

    @Test
    @Timeout(150)
    void shouldCarryEveryJobFromHostAToHostBOnceAndInOrder() {
        try (ChildProcess demo = ChildProcess.java(RemoteDemo.class)) {
            demo.assertSuccess(Duration.ofSeconds(120));
            String output = demo.output();
            assertTrue(output.contains("Check: " + RemoteDemo.JOBS + " jobs went from host A"), output);
            assertTrue(output.contains("each received once and in order"), output);
            assertEquals(1, output.lines().filter(l -> l.startsWith("Check:")).count(), output);
            String[] aeronDirs = new File("/dev/shm").list((dir, name) -> name.startsWith("pipc-aeron-")
                    && output.contains(name));
            assertEquals(0, aeronDirs == null ? 0 : aeronDirs.length, "the hosts' Aeron directories are removed");
        }
    }
}
