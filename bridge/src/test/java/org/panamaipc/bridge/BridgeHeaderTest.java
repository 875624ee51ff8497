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
 * {@code lastHeader()}, not the delivering bridge's, whichever transport its mailbox runs on, and
 * exactly, whether the wire format wrote it whole or short (a backlog of two senders in runs).
 */
class BridgeHeaderTest {

    /** Messages, from two senders in runs of {@link #RUN}: short headers within a run, whole ones where it changes. */
    static final int COUNT = 40;
    static final int RUN = 5;

    @ParameterizedTest
    @ValueSource(strings = {"ring", "queue"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldDeliverWithTheOriginalSendersHeader(String transport) throws Exception {
        String remote = TestNames.unique("bridge-header");
        String standIn = TestNames.unique("bridge-header-standin");
        String listen = channel(freePort());
        MailboxOptions options = MailboxOptions.ring().capacity(64).maxMessageLength(64);
        try (ChildProcess host = host("mailbox-headers", listen, "14", remote, Integer.toString(COUNT), transport);
             Mailbox<Tick> a = Mailbox.create(standIn, options, BridgeHost.TICKS);
             Mailbox<Tick> b = Mailbox.open(standIn, BridgeHost.TICKS)) {
            try {
                host.awaitOutput("READY", Duration.ofSeconds(30));
                // a backlog, before a bridge takes any of it: it crosses in one frame, its headers written short
                // (a queue of 8 on the other side takes them a few at a time, so that frame is resumed)
                long[] before = new long[COUNT];
                long[] after = new long[COUNT];
                long[] ticks = new long[2];
                for (int i = 0; i < COUNT; i++) {
                    int sender = i / RUN % 2;
                    before[i] = Header.clockNanos();
                    assertTrue((sender == 0 ? a : b).trySend(new Tick(sender, 0, ++ticks[sender])) > 0);
                    after[i] = Header.clockNanos();
                }
                try (Bridge bridge = Bridge.start(BridgeConfig.builder().importMailbox(standIn, listen, 14, options).build())) {
                    host.awaitOutput("RESULT", Duration.ofSeconds(60));
                }
                List<Map<String, Long>> headers = host.output().lines().filter(l -> l.startsWith("HEADER "))
                        .map(BridgeHeaderTest::fields).toList();
                assertEquals(COUNT, headers.size(), host.output());
                long pid = ProcessHandle.current().pid();
                Map<Long, Long> sourceOf = new HashMap<>();                 // sender -> its endpoint id
                long[] expected = new long[2];
                for (int i = 0; i < COUNT; i++) {
                    Map<String, Long> h = headers.get(i);
                    int sender = i / RUN % 2;
                    expected[sender]++;
                    assertEquals(sender, h.get("sender"), "order: " + h);
                    assertEquals(expected[sender], h.get("tick"), "order: " + h);
                    assertEquals(pid, h.get("pid"), "the receiver's header names the sender's pid, not the bridge's: " + h);
                    assertEquals(expected[sender], h.get("sequence"), "the sender's sequence: " + h);
                    assertEquals(sourceOf.computeIfAbsent((long) sender, k -> h.get("source")), h.get("source"),
                            "one endpoint per sender: " + h);
                    assertEquals(0, h.get("type"), "a mailbox's message type: " + h);
                    long sent = h.get("sendTime");
                    assertTrue(before[i] <= sent && sent <= after[i], "the send time " + sent + " is the sender's, taken in "
                            + before[i] + ".." + after[i] + ": " + h);
                }
                assertTrue(!sourceOf.get(0L).equals(sourceOf.get(1L)), "two sending endpoints: " + sourceOf);
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
