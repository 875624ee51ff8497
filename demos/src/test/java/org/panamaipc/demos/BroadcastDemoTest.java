package org.panamaipc.demos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.testkit.ChildProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broadcast demo runs end to end in its own JVM (which starts three subscriber JVMs), and proves what it says. */
class BroadcastDemoTest {

    @Test
    @Timeout(150)
    void shouldAccountForEveryTickInEverySubscriberJvm() throws Exception {
        try (ChildProcess demo = ChildProcess.java(BroadcastDemo.class)) {
            demo.assertSuccess(Duration.ofSeconds(120));
            String output = demo.output();
            assertEquals(3, output.lines().filter(l -> l.contains("] joined; the first tick I can get is")).count(), output);
            assertEquals(3, output.lines().filter(l -> l.matches(".*received \\d+ ticks and lost \\d+.*: (\\d+) \\+ (\\d+) = .*"))
                    .count(), "each subscriber's received and lost add up: " + output);
            assertTrue(output.contains("[subscriber A pid"), output);
            assertTrue(output.contains("received " + BroadcastDemo.TICKS + " ticks and lost 0"), "A got them all: " + output);
            assertTrue(output.lines().anyMatch(l -> l.startsWith("[subscriber C") && l.contains("lapped: lost ticks")),
                    "the slow one was lapped: " + output);
            assertTrue(output.contains("without ever waiting (found the ring full 0 times)"), output);
            assertTrue(output.contains("Check: 3 subscriber JVMs joined while 800 ticks flowed;"), output);
            try (Stream<Path> left = Files.list(Path.of("/dev/shm"))) {
                assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith("pipc-demo-" + demo.pid())).count(),
                        "the demo removed its broadcast");
            }
        }
    }
}
