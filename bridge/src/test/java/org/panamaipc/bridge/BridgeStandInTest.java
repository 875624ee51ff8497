package org.panamaipc.bridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.panamaipc.children.BridgeHost;
import org.panamaipc.children.BridgeHost.Tick;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.channel;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.freePort;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.host;

/**
 * A stand-in mailbox is the bridge's alone: another process that tries to receive from it is
 * refused, naming the bridge's process, rather than given the remote mailbox's messages; a second
 * bridge importing the same name fails to start, as plainly. (A stand-in that existed before the
 * bridge keeps the options it was made with: BridgeFramesTest forwards from one made as MPMC.)
 */
class BridgeStandInTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldRefuseEveryOtherReceiverOfTheStandIn() throws Exception {
        String standIn = TestNames.unique("bridge-standin");
        String nobody = channel(freePort());               // nothing listens there: the import stays unconnected
        BridgeConfig config = BridgeConfig.builder()
                .importMailbox(standIn, nobody, 18, MailboxOptions.ring().capacity(16).maxMessageLength(64)).build();
        String pid = Long.toString(ProcessHandle.current().pid());
        try (Bridge bridge = Bridge.start(config);
             Mailbox<Tick> sender = Mailbox.open(standIn, BridgeHost.TICKS)) {
            assertTrue(sender.trySend(new Tick(0, 0, 1)) > 0);

            try (ChildProcess other = host("take-from", standIn)) {
                other.assertSuccess(Duration.ofSeconds(60));
                String out = other.output();
                assertTrue(out.contains("REFUSED") && out.contains(standIn) && out.contains("pid " + pid),
                        "another process is refused, told which holds it: " + out);
            }
            IllegalStateException second = assertThrows(IllegalStateException.class, () -> Bridge.start(config));
            assertTrue(second.getMessage().contains(standIn) && second.getMessage().contains("pid " + pid),
                    second.getMessage());

            assertNull(bridge.failure(), "the first bridge runs on");
            assertTrue(bridge.counters().contains("forwarded=0"), bridge.counters());
            assertTrue(sender.trySend(new Tick(0, 0, 2)) > 0, "and its stand-in takes messages");
        } finally {
            Mailbox.unlinkIfExists(standIn);
        }
    }
}
