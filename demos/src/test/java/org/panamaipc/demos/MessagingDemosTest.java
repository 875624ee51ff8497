package org.panamaipc.demos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.testkit.ChildProcess;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The message-passing demos run end to end in their own JVMs and end with their check. */
class MessagingDemosTest {

    @Test
    @Timeout(150)
    void shouldServePrintJobsOfThreeClientJvmsByName() {
        try (ChildProcess demo = ChildProcess.java(PrintServerDemo.class)) {
            demo.assertSuccess(Duration.ofSeconds(120));
            String output = demo.output();
            assertTrue(output.contains("Check: 12 jobs from 3 client JVMs printed once each"), output);
            assertEquals(12, output.lines().filter(l -> l.contains("[printer pid") && l.contains("printing client-")).count(), output);
            assertEquals(12, output.lines().filter(l -> l.contains("printed by printer")).count(), output);
        }
    }

    @Test
    @Timeout(150)
    void shouldHaveEachJobOfASharedMailboxDoneOnce() {
        try (ChildProcess demo = ChildProcess.java(MailboxDemo.class)) {
            demo.assertSuccess(Duration.ofSeconds(120));
            String output = demo.output();
            assertTrue(output.contains("Check: 30 jobs, each done exactly once by one of 3 worker JVMs"), output);
            assertEquals(30, output.lines().filter(l -> l.contains("[worker ") && l.contains(" waited ")).count(), output);
        }
    }

    @Test
    @Timeout(200)
    void shouldAnswerThreeClientJvmsAndFailAPendingCallWhenTheServerIsKilled() {
        try (ChildProcess demo = ChildProcess.java(RpcDemo.class)) {
            demo.assertSuccess(Duration.ofSeconds(180));
            String output = demo.output();
            assertTrue(output.contains("Check: 6000 calls from 3 client JVMs each answered and matched"), output);
            assertEquals(3, output.lines().filter(l -> l.contains("2000 calls answered and matched")).count(), output);
            assertEquals(3, output.lines().filter(l -> l.contains("IllegalArgumentException came back: no such symbol: NOPE")).count(), output);
            assertTrue(output.contains("has died"), output);
        }
    }
}
