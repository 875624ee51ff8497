package org.panamaipc.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.panamaipc.bindings.children.ChildSupport.describe;

/**
 * A POSIX message queue a test creates through the raw bindings, and removes again:
 * {@code mq_open(O_CREAT | O_EXCL | O_RDWR, 0600, attr)}; {@link #close()} does {@code mq_close}
 * and {@code mq_unlink}, each even if the other fails. Use it in try-with-resources, so the
 * queue is gone also when the test fails ({@code /dev/mqueue} is not always mounted, so no
 * directory listing would show a leftover).
 */
final class CreatedQueue implements AutoCloseable {

    private final Arena arena;
    private final String name;
    private final MemorySegment cName;
    private final int mqd;

    private CreatedQueue(Arena arena, String name, MemorySegment cName, int mqd) {
        this.arena = arena;
        this.name = name;
        this.cName = cName;
        this.mqd = mqd;
    }

    /** {@return a new queue {@code name} of {@code maxMsg} messages of up to {@code msgSize} bytes; fails if it exists} */
    static CreatedQueue create(String name, long maxMsg, long msgSize) {
        Arena arena = Arena.ofConfined();
        MemorySegment cName = arena.allocateFrom(name);
        MemorySegment attr = mq_attr.allocate(arena);
        mq_attr.mq_maxmsg(attr, maxMsg);
        mq_attr.mq_msgsize(attr, msgSize);
        int mqd = mqueue_h.mq_open(cName, fcntl_h.O_CREAT() | fcntl_h.O_EXCL() | fcntl_h.O_RDWR(),
                stat_h.S_IRUSR() | stat_h.S_IWUSR(), attr);
        if (mqd == -1) {
            int errno = errno_h.errno();
            arena.close();
            throw new AssertionError("mq_open(" + name + ", O_CREAT | O_EXCL | O_RDWR, 0600, {mq_maxmsg=" + maxMsg
                    + ", mq_msgsize=" + msgSize + "}) failed: " + describe(errno));
        }
        return new CreatedQueue(arena, name, cName, mqd);
    }

    /** {@return the queue's name, such as {@code /pipc-test-...}} */
    String name() {
        return name;
    }

    /** {@return the queue's name as a C string} */
    MemorySegment cName() {
        return cName;
    }

    /** {@return the descriptor {@code mq_open} returned} */
    int mqd() {
        return mqd;
    }

    /** Closes and unlinks; throws if either failed, after trying both. */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        if (mqueue_h.mq_close(mqd) == -1) {
            failures.add("mq_close: " + describe(errno_h.errno()));
        }
        if (mqueue_h.mq_unlink(cName) == -1) {
            failures.add("mq_unlink(" + name + "): " + describe(errno_h.errno()));
        }
        arena.close();
        if (!failures.isEmpty()) {
            throw new AssertionError("cleaning up " + name + " failed: " + failures);
        }
    }
}
