package org.panamaipc.endpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.children.MessagingChild;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direct communication between real processes: two JVMs that know each other only by endpoint
 * name talk, each replying to the other's source; a third that registers a name one of them holds
 * is refused with the holder's pid.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(180)
class EndpointAcrossProcessesTest {

    private static final Duration CHILD_DEADLINE = Duration.ofSeconds(120);

    @Test
    void shouldTalkByNameOnlyAndRefuseAThirdRegisteringAHeldName() throws Exception {
        String registryName = TestNames.unique("reg-x");
        long rounds = 10_000;
        try (EndpointRegistry registry = EndpointRegistry.create(registryName);
             ChildProcess bob = ChildProcess.java(MessagingChild.class, "endpoint-peer", registryName, "bob", "alice",
                     Long.toString(rounds), "false")) {
            bob.awaitOutput("REGISTERED bob", CHILD_DEADLINE);
            try (ChildProcess mallory = ChildProcess.java(MessagingChild.class, "register", registryName, "bob")) {
                mallory.assertSuccess(CHILD_DEADLINE);
                assertTrue(mallory.output().contains("REFUSED holder=" + bob.pid()), mallory.output());
                assertTrue(mallory.output().contains("process " + bob.pid() + " holds it and is alive"), mallory.output());
            }
            try (ChildProcess alice = ChildProcess.java(MessagingChild.class, "endpoint-peer", registryName, "alice", "bob",
                    Long.toString(rounds), "true")) {
                alice.assertSuccess(CHILD_DEADLINE);
                bob.assertSuccess(CHILD_DEADLINE);
                assertTrue(alice.output().contains("DONE"), alice.output());
                assertTrue(bob.output().contains("DONE"), bob.output());
            }
            assertEquals(java.util.List.of(), registry.names(), "both freed their names");
        } finally {
            EndpointRegistry.unlinkIfExists(registryName);
        }
    }
}
