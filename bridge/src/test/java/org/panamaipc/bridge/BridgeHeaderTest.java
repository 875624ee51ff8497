package org.panamaipc.bridge;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.panamaipc.children.BridgeHost;
import org.panamaipc.children.BridgeHost.Tick;
import org.panamaipc.message.Header;
import org.panamaipc.message.Mailbox;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.channel;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.cleanUp;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.freePort;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.host;

/**
 * The header crosses with the message: the receiver on the other "host" (a child JVM with its own
 * bridge and driver) sees the original sender's pid, sequence, send time and type in
 * {@code lastHeader()}, not the delivering bridge's, whichever transport its mailbox runs on.
 */
class BridgeHeaderTest {

    static final int COUNT = 5;

    @ParameterizedTest
    @ValueSource(strings = {"ring", "queue"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldDeliverWithTheOriginalSendersHeader(String transport) throws Exception {
        String remote = TestNames.unique("bridge-header");
        String standIn = TestNames.unique("bridge-header-standin");
        String listen = channel(freePort());
        try (ChildProcess host = host("mailbox-headers", listen, "14", remote, Integer.toString(COUNT), transport)) {
            try {
                host.awaitOutput("READY", Duration.ofSeconds(30));
                long[] before = new long[COUNT + 1];
                long[] after = new long[COUNT + 1];
                try (Bridge bridge = Bridge.start(BridgeConfig.builder()
                        .importMailbox(standIn, listen, 14, MailboxOptions.ring().maxMessageLength(64))
                        .build());
                     Mailbox<Tick> mailbox = Mailbox.open(standIn, BridgeHost.TICKS)) {
                    for (int i = 1; i <= COUNT; i++) {
                        before[i] = Header.clockNanos();
                        assertTrue(mailbox.send(new Tick(0, 0, i), Duration.ofSeconds(30)) > 0);
                        after[i] = Header.clockNanos();
                    }
                    host.awaitOutput("RESULT", Duration.ofSeconds(60));
                }
                List<Map<String, Long>> headers = host.output().lines().filter(l -> l.startsWith("HEADER "))
                        .map(BridgeHeaderTest::fields).toList();
                assertEquals(COUNT, headers.size(), host.output());
                long pid = ProcessHandle.current().pid();
                long source = headers.getFirst().get("source");
                for (int i = 1; i <= COUNT; i++) {
                    Map<String, Long> h = headers.get(i - 1);
                    assertEquals(i, h.get("tick"), "order");
                    assertEquals(pid, h.get("pid"), "the receiver's header names the sender's pid, not the bridge's: " + h);
                    assertEquals(i, h.get("sequence"), "the sender's sequence: " + h);
                    assertEquals(source, h.get("source"), "one sending endpoint: " + h);
                    assertEquals(0, h.get("type"), "a mailbox's message type: " + h);
                    long sent = h.get("sendTime");
                    assertTrue(before[i] <= sent && sent <= after[i], "the send time " + sent + " is the sender's, taken in "
                            + before[i] + ".." + after[i] + ": " + h);
                }
                host.assertSuccess(Duration.ofSeconds(30));
            } finally {
                cleanUp(host, remote);
                Mailbox.unlinkIfExists(standIn);
            }
        }
    }

    private static Map<String, Long> fields(String line) {
        Map<String, Long> fields = new HashMap<>();
        for (String word : line.substring("HEADER ".length()).split(" ")) {
            int at = word.indexOf('=');
            fields.put(word.substring(0, at), Long.parseLong(word.substring(at + 1)));
        }
        return fields;
    }
}
