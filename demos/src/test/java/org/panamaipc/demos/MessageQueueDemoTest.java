package org.panamaipc.demos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.testkit.ChildProcess;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo runs end to end in its own JVM (which starts another), and tells the story it promises. */
class MessageQueueDemoTest {

    @Test
    @Timeout(120)
    void shouldShowPrioritisedMessagesBetweenTwoJvms() {
        try (ChildProcess demo = ChildProcess.java(MessageQueueDemo.class)) {
            demo.assertSuccess(Duration.ofSeconds(90));
            String output = demo.output();
            List<String> received = output.lines().filter(l -> l.contains("] received priority")).toList();
            assertEquals(6, received.size(), output);
            assertTrue(received.get(0).endsWith("priority 20: fire alarm test at 14:00"), output);
            assertTrue(received.get(1).endsWith("priority  9: customer refund #1138"), output);
            assertTrue(received.get(2).endsWith("priority  5: restock shelf 4"), output);
            assertTrue(received.get(3).endsWith("priority  5: restock shelf 7"), output);
            assertTrue(received.get(4).endsWith("priority  0: nightly report"), output);
            assertTrue(received.get(5).endsWith("priority  0: archive logs"), output);
            assertTrue(output.contains("woke up: priority  1: shutdown"), output);
            assertTrue(output.contains("child exited with 0"), output);
            assertTrue(output.contains("unlinked the queues\n"), output);
        }
    }
}
