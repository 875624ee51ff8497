package org.panamaipc.bench.jmh;

import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;

/**
 * Runs the close and unlink paths of a channel or queue once, on a throwaway object, during setup.
 *
 * <p>Why: the first call of each native function links its downcall handle, and the JDK spins
 * classes to do so, allocating about 1.5 MB. A benchmark whose {@code @TearDown(Level.Trial)} is
 * the first to close and unlink would do that linking in its teardown, and JMH's GC profiler
 * counts the teardown in the last measured iteration: that iteration then shows a few bytes per
 * operation (for a 3 µs operation) that the operation never allocated. With the paths linked
 * here, {@code gc.alloc.rate.norm} is what the operation itself allocates.
 */
final class Prelink {

    private Prelink() {
    }

    /** Creates a channel of {@code type}, attaches and detaches a sender and a receiver, closes and unlinks it. */
    static void channel(ChannelType type) {
        RingChannel channel = RingChannel.create(Names.unique("prelink-" + type),
                ChannelOptions.of(type).capacity(ChannelOptions.MIN_CAPACITY));
        try {
            channel.sender(WaitStrategy.blocking()).close();
            channel.receiver(WaitStrategy.blocking(), false).close();
        } finally {
            channel.unlink();
            channel.close();
        }
    }

    /** Creates a message queue, unlinks and closes it. */
    static void messageQueue() {
        MessageQueue queue = MessageQueue.create(Names.unique("prelink-mq"), QueueOptions.of(1, 16));
        queue.unlink();
        queue.close();
    }
}
