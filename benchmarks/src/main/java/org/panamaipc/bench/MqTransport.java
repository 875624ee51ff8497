package org.panamaipc.bench;

import org.panamaipc.Access;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;

import java.lang.foreign.MemorySegment;

/** Two panama-ipc POSIX message queues, one each way, with blocking send and receive. */
public final class MqTransport implements Transport {

    /** Messages per queue: this machine's fs.mqueue.msg_max. */
    static final int DEPTH = 10;
    /** The largest message the benchmark sends. */
    static final int MAX_SIZE = 4096;

    @Override
    public String name() {
        return "mq";
    }

    static String toPong(String id) {
        return "/pipc-bench-" + id + "-mq-a";
    }

    static String toPing(String id) {
        return "/pipc-bench-" + id + "-mq-b";
    }

    @Override
    public void setUp(String id) {
        MessageQueue.create(toPong(id), QueueOptions.of(DEPTH, MAX_SIZE)).close();
        MessageQueue.create(toPing(id), QueueOptions.of(DEPTH, MAX_SIZE)).close();
    }

    @Override
    public void tearDown(String id) {
        MessageQueue.unlinkIfExists(toPong(id));
        MessageQueue.unlinkIfExists(toPing(id));
    }

    @Override
    public Side open(String id, boolean ping) {
        MessageQueue out = MessageQueue.open(ping ? toPong(id) : toPing(id), Access.WRITE_ONLY);
        MessageQueue in = MessageQueue.open(ping ? toPing(id) : toPong(id), Access.READ_ONLY);
        return new Side() {
            private MemorySegment lastMessage;
            private int lastLength = -1;
            private MemorySegment slice;

            @Override
            public void send(MemorySegment message, int length) throws InterruptedException {
                if (message != lastMessage || length != lastLength) { // one slice per size, not per send
                    lastMessage = message;
                    lastLength = length;
                    slice = message.asSlice(0, length);
                }
                out.send(slice, 0);
            }

            @Override
            public int receive(MemorySegment buffer) throws InterruptedException {
                return in.receive(buffer);
            }

            @Override
            public void close() {
                out.close();
                in.close();
            }
        };
    }
}
