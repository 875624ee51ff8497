package org.panamaipc.socket;

import org.panamaipc.bindings.socket_h;
import org.panamaipc.bindings.ucred;
import org.panamaipc.bindings.unistd_h;
import org.panamaipc.internal.Errors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Who is at the other end of a Unix-domain socket, as the kernel recorded it when the connection
 * was made ({@code SO_PEERCRED}): the process id and the effective user and group ids of the
 * process that connected (seen from a server) or that listened (seen from a client). The kernel
 * fills these in; the peer cannot choose them. The pid is that of the process at connect time:
 * if it has exited since, the number may belong to another process.
 *
 * @param pid the peer's process id, in this process's pid namespace (0 if the peer is in one this process cannot see)
 * @param uid the peer's effective user id
 * @param gid the peer's effective group id
 */
public record PeerCredentials(long pid, long uid, long gid) {

    /** {@return whether the peer runs as this process's effective user} */
    public boolean isSameUser() {
        return uid == Integer.toUnsignedLong(unistd_h.geteuid());
    }

    /** {@return the credentials of the peer of the connected socket {@code fd}} */
    static PeerCredentials of(int fd, String object) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment credentials = ucred.allocate(arena);
            MemorySegment length = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_INT, (int) ucred.sizeof());
            if (socket_h.getsockopt(fd, socket_h.SOL_SOCKET(), socket_h.SO_PEERCRED(), credentials, length) != 0) {
                throw Errors.lastError("read the peer credentials of", object);
            }
            return new PeerCredentials(ucred.pid(credentials), Integer.toUnsignedLong(ucred.uid(credentials)),
                    Integer.toUnsignedLong(ucred.gid(credentials)));
        }
    }
}
