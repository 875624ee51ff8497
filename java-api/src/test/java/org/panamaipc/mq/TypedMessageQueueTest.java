package org.panamaipc.mq;

import org.panamaipc.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.panamaipc.MessageTooLongException;
import org.panamaipc.codec.Codec;
import org.panamaipc.codec.MalformedMessageException;
import org.panamaipc.testkit.NoLeakedObjects;
import org.panamaipc.testkit.TestNames;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(NoLeakedObjects.class)
@Timeout(60)
class TypedMessageQueueTest {

    record Point(int x, int y) {
    }

    @Test
    void shouldSendAndReceiveTextWithPriorities() throws Exception {
        String name = TestNames.unique("mq-text");
        try (TypedMessageQueue<String> queue = MessageQueue.create(name, QueueOptions.of(3, 16)).typed(Codec.utf8())) {
            queue.send("later", 1);
            assertEquals(0, queue.trySend("sooner", 2));
            assertEquals(0, queue.send("größe", 1, Duration.ofSeconds(1)));
            assertEquals(Outcome.FULL, queue.trySend("full", 0));
            assertEquals("sooner", queue.receive());
            assertEquals("later", queue.tryReceive());
            assertEquals("größe", queue.receive(Duration.ofSeconds(1)));
            assertNull(queue.tryReceive());
            assertNull(queue.receive(Duration.ofMillis(20)));
            MessageTooLongException e = assertThrows(MessageTooLongException.class,
                    () -> queue.trySend("€".repeat(6), 0)); // 18 bytes
            assertEquals(18, e.length());
            assertEquals(16, e.maxLength());
            assertEquals(0, queue.queue().messageCount(), "nothing was sent");
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }

    @Test
    void shouldSendRecordsInMessagesOfTheirSize() throws Exception {
        String name = TestNames.unique("mq-records");
        try (TypedMessageQueue<Point> points = TypedMessageQueue.create(name, 4, Codec.ofRecord(Point.class))) {
            assertEquals(8, points.queue().maxMessageLength());
            points.send(new Point(1, 2), 0);
            points.send(new Point(-3, 4), 5);
            assertEquals(new Point(-3, 4), points.receive());
            assertEquals(new Point(1, 2), points.receive());
            // the same queue seen as bytes
            points.queue().send(new byte[] {1, 0, 0, 0, 2, 0, 0, 0}, 0);
            assertEquals(new Point(1, 2), points.receive());
            points.queue().send(new byte[] {1, 2, 3}, 0);
            assertThrows(MalformedMessageException.class, points::tryReceive);
            assertEquals(0, points.queue().messageCount(), "a malformed message is consumed");
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
        assertThrows(IllegalArgumentException.class, () -> TypedMessageQueue.create(name, 4, Codec.utf8()));
    }

    @Test
    void shouldCarryBytes() throws Exception {
        String name = TestNames.unique("mq-bytes");
        try (TypedMessageQueue<byte[]> queue = MessageQueue.create(name, QueueOptions.of(2, 8)).typed(Codec.bytes())) {
            queue.send(new byte[] {9, 8, 7}, 3);
            assertArrayEquals(new byte[] {9, 8, 7}, queue.receive());
            assertThrows(MessageTooLongException.class, () -> queue.trySend(new byte[9], 0));
        } finally {
            MessageQueue.unlinkIfExists(name);
        }
    }
}
