package org.panamaipc.internal;

import org.panamaipc.InvalidNameException;
import org.panamaipc.bindings.limits_h;

import java.util.Objects;

/**
 * The rules a name of a POSIX shared-memory object or message queue must follow on Linux,
 * checked before any system call so that the message can say which rule broke.
 */
public final class PosixNames {

    private PosixNames() {
    }

    /**
     * Checks {@code name} and returns it.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws InvalidNameException naming the broken rule
     */
    public static String check(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.charAt(0) != '/') {
            throw new InvalidNameException(name, "it must start with '/', as in \"/" + name + "\"");
        }
        String rest = name.substring(1);
        if (rest.isEmpty()) {
            throw new InvalidNameException(name, "at least one character must follow the '/'");
        }
        if (rest.indexOf('/') >= 0) {
            throw new InvalidNameException(name, "only the first character may be '/'");
        }
        if (rest.equals(".") || rest.equals("..")) {
            throw new InvalidNameException(name, "\".\" and \"..\" are not names");
        }
        if (rest.indexOf('\0') >= 0) {
            throw new InvalidNameException(name, "it must not contain a NUL character");
        }
        int bytes = rest.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > limits_h.NAME_MAX()) {
            throw new InvalidNameException(name, "length after the '/' is " + bytes
                    + " bytes, more than NAME_MAX=" + limits_h.NAME_MAX());
        }
        return name;
    }
}
