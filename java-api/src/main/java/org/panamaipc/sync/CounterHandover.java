package org.panamaipc.sync;

import org.panamaipc.internal.Descriptors;
import org.panamaipc.internal.Handover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Event counters' side of {@link Handover}, registered when this class is loaded. */
final class CounterHandover implements Handover.Counters {

    static {
        Handover.register(new CounterHandover());
    }

    /** What {@code /proc/self/fd} shows for an eventfd. */
    private static final String EVENTFD = "anon_inode:[eventfd]";

    private CounterHandover() {
    }

    @Override
    public int duplicate(EventCounter counter) {
        return counter.duplicateDescriptor();
    }

    @Override
    public EventCounter.Type check(int fd, String label) {
        if (!EVENTFD.equals(label)) {
            throw new IllegalArgumentException("the descriptor received (" + label + ") is not an event counter (an eventfd)");
        }
        // the kernel says whether it counts or acts as a semaphore (Linux 6.6 and later);
        // an older kernel does not, and such a counter is taken as COUNTER
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                if (line.startsWith("eventfd-semaphore:")) {
                    return line.substring(line.indexOf(':') + 1).trim().equals("1")
                            ? EventCounter.Type.SEMAPHORE : EventCounter.Type.COUNTER;
                }
            }
            return EventCounter.Type.COUNTER;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the descriptor received (fd " + fd + ") is not open", e);
        } catch (IOException e) {
            throw new UncheckedIOException("read /proc/self/fdinfo/" + fd, e);
        }
    }

    @Override
    public EventCounter adopt(int fd, EventCounter.Type type) {
        try {
            // the try form needs it; the file status is shared with the sender's descriptor
            Descriptors.setNonBlocking(fd, "received event counter");
        } catch (RuntimeException e) {
            Descriptors.closeQuietly(fd);
            throw e;
        }
        return EventCounter.adopt(fd, type);
    }
}
