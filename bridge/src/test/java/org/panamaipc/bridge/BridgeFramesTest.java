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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.channel;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.cleanUp;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.freePort;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.host;
import static org.panamaipc.bridge.BridgeAcrossJvmsTest.line;

/**
 * A backlog crosses in full frames: messages waiting in a stand-in travel in as few Aeron frames as
 * they fit, not in a frame per batch the forwarder takes with a short one at each batch's end, and
 * with the headers of a stream from one sender written short (a frame is a datagram, and the cost
 * of a stream at 32 B is the cost of its datagrams).
 */
class BridgeFramesTest {

    static final int MESSAGES = 200;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldPackABacklogIntoFullFrames() throws Exception {
        String remote = TestNames.unique("bridge-frames");
        String standIn = TestNames.unique("bridge-frames-standin");
        String listen = channel(freePort());
        MailboxOptions options = MailboxOptions.ring().capacity(256).maxMessageLength(64);
        try (ChildProcess host = host("mailbox-consumer", listen, "16", remote, Integer.toString(MESSAGES), "1", "256", "0");
             Mailbox<Tick> mailbox = Mailbox.create(standIn, options, BridgeHost.TICKS)) {
            try {
                for (int i = 1; i <= MESSAGES; i++) {             // the backlog, before a bridge takes any of it
                    assertTrue(mailbox.trySend(new Tick(0, 0, i)) > 0);
                }
                host.awaitOutput("READY", Duration.ofSeconds(30));
                Bridge bridge = Bridge.start(BridgeConfig.builder().importMailbox(standIn, listen, 16, options).build());
                try {
                    host.awaitOutput("RESULT", Duration.ofSeconds(60));
                } finally {
                    bridge.close();                                 // joins its thread: the counters are final
                }
                String result = line(host.output(), "RESULT");
                assertTrue(result.contains("received=" + MESSAGES + " outOfOrder=0 complete=true extra=false"), result);

                // the channel has no mtu= parameter: Aeron's payload is the default MTU's, as maxValueLength() assumes
                // one sender, one type, sequences 1, 2, 3 ...: a frame's first header whole, the others 7 bytes
                int payload = Bridge.maxValueLength() + WireFormat.HEADER_LENGTH;
                int value = (int) BridgeHost.TICKS.byteSize();
                int perFrame = 1 + (payload - WireFormat.FRAME_HEADER_LENGTH - WireFormat.MAX_ENTRY_HEADER_LENGTH - value)
                        / (WireFormat.MIN_ENTRY_HEADER_LENGTH + value);
                int fullFrames = (MESSAGES + perFrame - 1) / perFrame;
                String counters = bridge.counters();
                assertEquals("framesSent=" + fullFrames, word(counters, "framesSent="),
                        MESSAGES + " messages of " + perFrame + " to a frame: " + counters);
                assertEquals("forwarded=" + MESSAGES, word(counters, "forwarded="), counters);
                host.assertSuccess(Duration.ofSeconds(30));
            } finally {
                cleanUp(host, remote);
                mailbox.unlink();
            }
        }
    }

    private static String word(String words, String prefix) {
        for (String word : words.split(" ")) {
            if (word.startsWith(prefix)) {
                return word;
            }
        }
        return "no " + prefix + " in " + words;
    }
}
