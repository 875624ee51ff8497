package org.panamaipc.mq;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.testkit.ChildProcess;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Java and the C peer {@code native/src/mq_peer.c} on one queue, both directions: the priorities
 * and the bytes come through as sent, and either side receives in the kernel's order.
 */
@ExtendWith(NoLeakedObjects.class)
@Timeout(90)
class MessageQueueCPeerTest {

    private static final Duration PEER_EXIT = Duration.ofSeconds(40);
    private static final Pattern RECEIVED = Pattern.compile("received priority=(\\d+) length=(\\d+) payload=(.*)");

    private static final List<Message> SENT = List.of(
            message("c seq=0 prio=2", 2), message("c seq=1 prio=9", 9), message("c seq=2 prio=2", 2),
            message("c seq=3 prio=0", 0), message("c seq=4 prio=9", 9),
            message("c seq=5 prio=max", MessageQueue.MAX_PRIORITY));

    private static Message message(String text, int priority) {
        return new Message(text.getBytes(StandardCharsets.UTF_8), priority);
    }

    private static List<Message> parseReceived(String output) {
        List<Message> received = new ArrayList<>();
        for (String line : output.lines().toList()) {
            Matcher m = RECEIVED.matcher(line);
            if (m.matches()) {
                Message message = message(m.group(3), Integer.parseInt(m.group(1)));
                assertEquals(Integer.parseInt(m.group(2)), message.length(), line);
                received.add(message);
            }
        }
        return received;
    }

    @Test
    void shouldReceiveTheCPeersMessagesInPriorityOrder() throws Exception {
        String name = TestNames.unique("mq-from-c");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(10, 64))) {
            List<String> args = new ArrayList<>(List.of("-t", "30", "send", name));
            SENT.forEach(m -> args.add(m.priority() + ":" + m.text()));
            try (ChildProcess peer = ChildProcess.nativePeer("mq_peer", args.toArray(String[]::new))) {
                peer.assertSuccess(PEER_EXIT);
                assertTrue(peer.output().contains("opened " + name + " maxmsg=10 msgsize=64 curmsgs=0"), peer.output());
            }
            List<Message> received = new ArrayList<>();
            Message m;
            while ((m = queue.tryReceive()) != null) {
                received.add(m);
            }
            assertEquals(MessageQueueAcrossProcessesTest.deliveryOrder(SENT), received);
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldSendToTheCPeerKeepingPriorities() throws Exception {
        String name = TestNames.unique("mq-to-c");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(10, 64))) {
            for (Message m : SENT) {
                queue.send(m.payload(), m.priority());
            }
            try (ChildProcess peer = ChildProcess.nativePeer("mq_peer", "-t", "30", "receive", name,
                    Integer.toString(SENT.size()))) {
                peer.assertSuccess(PEER_EXIT);
                assertEquals(MessageQueueAcrossProcessesTest.deliveryOrder(SENT), parseReceived(peer.output()),
                        peer.output());
            }
            assertNull(queue.tryReceive());
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldWakeTheCPeerBlockedInReceive() throws Exception {
        String name = TestNames.unique("mq-wake-c");
        try (MessageQueue queue = MessageQueue.create(name, QueueOptions.of(4, 64));
             ChildProcess peer = ChildProcess.nativePeer("mq_peer", "-t", "30", "receive", name, "2")) {
            peer.awaitOutput("opened " + name, Duration.ofSeconds(30));
            queue.send("binary\u0001\u00ff".getBytes(StandardCharsets.ISO_8859_1), 17);
            queue.send(new byte[0], 3);
            peer.assertSuccess(PEER_EXIT);
            String output = peer.output();
            assertTrue(output.contains("received priority=17 length=8 payload=binary\\x01\\xff"), output);
            assertTrue(output.contains("received priority=3 length=0 payload=\n"), output);
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }
}
