package org.panamaipc.mq;

import org.panamaipc.Access;
import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.bindings.mq_attr;
import org.panamaipc.bindings.mqueue_h;
import org.panamaipc.internal.Descriptors;
import org.panamaipc.internal.Errors;
import org.panamaipc.internal.Handover;

import java.lang.foreign.Arena;

/** Message queues' side of {@link Handover}, registered when this class is loaded. */
final class QueueHandover implements Handover.Queues {

    static {
        Handover.register(new QueueHandover());
    }

    private QueueHandover() {
    }

    @Override
    public int duplicate(MessageQueue queue) {
        QueueHandle handle = queue.handle;
        handle.beginOp(); // keeps the descriptor (and its number) the queue's until endOp
        try {
            return Descriptors.duplicate(handle.mqd, queue.name());
        } finally {
            handle.endOp();
        }
    }

    @Override
    public Access check(int fd, String label) {
        try (Arena arena = Arena.ofConfined()) {
            if (mqueue_h.mq_getattr(fd, mq_attr.allocate(arena)) != 0) {
                throw new IllegalArgumentException("the descriptor received (" + label + ") is not a message queue");
            }
        }
        int flags = fcntl_h.fcntl(fd, fcntl_h.F_GETFL(), 0);
        if (flags < 0) {
            throw Errors.lastError("read the flags of received message queue", label);
        }
        int mode = flags & fcntl_h.O_ACCMODE();
        return mode == fcntl_h.O_RDONLY() ? Access.READ_ONLY
                : mode == fcntl_h.O_WRONLY() ? Access.WRITE_ONLY : Access.READ_WRITE;
    }

    @Override
    public MessageQueue adopt(int fd, String name, Access access) {
        try {
            // the try forms need it; a MessageQueue's own descriptor has it already
            Descriptors.setNonBlocking(fd, name);
        } catch (RuntimeException e) {
            Descriptors.closeQuietly(fd);
            throw e;
        }
        return MessageQueue.adopt(name, access, fd);
    }
}
