package org.panamaipc.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static org.panamaipc.bindings.CTypes.*;

/**
 * Error texts.
 *
 * <p>Mirrors {@code <string.h>}; the ABI test checks every constant against the C compiler's.
 */
public final class string_h {

    private string_h() {
    }

    private static final class strerror {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(
                C_POINTER, // return
                C_INT); // errnum
        static final MethodHandle HANDLE = Native.downcall("strerror", DESC);
    }

    /**
     * Returns a pointer to the text describing {@code errnum} (a zero-length segment; see {@link #strerrorText(int)}).
     * {@snippet lang=c : char *strerror(int errnum) }
     */
    public static MemorySegment strerror(int errnum) {
        try {
            return (MemorySegment) strerror.HANDLE.invokeExact(errnum);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** {@return the text that {@code strerror(errnum)} describes {@code errnum} with, as a Java string} */
    public static String strerrorText(int errnum) {
        MemorySegment text = strerror(errnum);
        if (text.address() == 0) {
            return "Unknown error " + errnum;
        }
        // glibc's texts are short static strings; 1024 bytes bounds the read
        return text.reinterpret(1024).getString(0);
    }
}
