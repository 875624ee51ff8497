package org.panamaipc.socket;

import org.panamaipc.InvalidNameException;
import org.panamaipc.bindings.fcntl_h;
import org.panamaipc.bindings.sockaddr_un;
import org.panamaipc.bindings.socket_h;
import org.panamaipc.internal.Errors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/** What the server and the socket share: the address of a path, a new socket. */
final class UnixSockets {

    /** The room {@code sun_path} has, less its NUL. */
    private static final int MAX_PATH_BYTES = (int) sockaddr_un.sun_path$layout().byteSize() - 1;

    private UnixSockets() {
    }

    /** {@return {@code path} as text, checked: not empty, no NUL, short enough for {@code sun_path}} */
    static String check(Path path) {
        Objects.requireNonNull(path, "path");
        String text = path.toString();
        if (text.isEmpty()) {
            throw new InvalidNameException(text, "a socket's path must not be empty");
        }
        if (text.indexOf('\0') >= 0) {
            throw new InvalidNameException(text, "a path must not contain a NUL character");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new InvalidNameException(text, "a Unix-domain socket's path must be at most " + MAX_PATH_BYTES
                    + " bytes (sun_path); use a shorter directory");
        }
        return text;
    }

    /** {@return a {@code struct sockaddr_un} for {@code path}, checked by {@link #check}} */
    static MemorySegment address(Arena arena, String path) {
        MemorySegment address = sockaddr_un.allocate(arena);
        sockaddr_un.sun_family(address, (short) socket_h.AF_UNIX());
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, address, ValueLayout.JAVA_BYTE, sockaddr_un.sun_path$offset(), bytes.length);
        return address;
    }

    /** {@return a new non-blocking, close-on-exec {@code SOCK_SEQPACKET} Unix-domain socket} */
    static int socket(String action, String object) {
        int fd = socket_h.socket(socket_h.AF_UNIX(),
                socket_h.SOCK_SEQPACKET() | socket_h.SOCK_NONBLOCK() | socket_h.SOCK_CLOEXEC(), 0);
        if (fd < 0) {
            throw Errors.lastError(action, object);
        }
        return fd;
    }

    /** The access flag of {@code open} for a path-only descriptor, for checking a file's type. */
    static int pathOnly() {
        return fcntl_h.O_PATH() | fcntl_h.O_CLOEXEC();
    }
}
