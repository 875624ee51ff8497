package org.panamaipc.shm;

import org.panamaipc.Access;
import org.panamaipc.internal.Descriptors;
import org.panamaipc.internal.Handover;

import java.util.Set;

/** Shared memory's side of {@link Handover}, registered when this class is loaded. */
final class MemoryHandover implements Handover.Memory {

    static {
        Handover.register(new MemoryHandover());
    }

    private static final String DEV_SHM = "/dev/shm/";

    private MemoryHandover() {
    }

    @Override
    public int duplicate(SharedMemory memory) {
        // SharedMemory closes under its monitor: holding it keeps the descriptor's number ours
        synchronized (memory) {
            return Descriptors.duplicate(memory.descriptor(), memory.name());
        }
    }

    @Override
    public String label(int fd) {
        String link = Descriptors.describe(fd);
        if (link.startsWith(DEV_SHM) && link.indexOf('/', DEV_SHM.length()) < 0) {
            return "/" + link.substring(DEV_SHM.length());
        }
        if (link.startsWith("/memfd:")) {
            return link.substring(1);
        }
        return "file:" + link;
    }

    @Override
    public Access check(int fd, String label, Set<Seal> required) {
        return AnonymousMemory.checkReceived(fd, label, required);
    }

    @Override
    public SharedMemory adopt(int fd, String label, Access access) {
        return SharedMemory.adopt(label, fd, access, -1, false);
    }
}
