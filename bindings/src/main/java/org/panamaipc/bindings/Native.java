package org.panamaipc.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.Optional;

/**
 * What every header class shares: the linker, the symbol lookup, and the per-thread segment that
 * receives {@code errno} through {@link Linker.Option#captureCallState(String...)}.
 */
final class Native {

    static {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        if (!"Linux".equals(os) || !("amd64".equals(arch) || "x86_64".equals(arch))) {
            // syscall numbers (SYS_futex) and struct stat differ on other platforms: refuse rather than misbehave
            throw new UnsupportedOperationException("panama-ipc's bindings are for Linux on x86-64; this is "
                    + os + " on " + arch);
        }
    }

    static final Linker LINKER = Linker.nativeLinker();

    /** libc's symbols; librt is consulted too for C libraries older than glibc 2.34. */
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup().or(librt());

    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();

    private static final long ERRNO_OFFSET =
            CAPTURE_LAYOUT.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    /**
     * One capture segment per thread, allocated once and reused by every call that thread makes:
     * no allocation per call. An automatic arena frees it when the thread is gone.
     */
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private Native() {
    }

    private static SymbolLookup librt() {
        try {
            return SymbolLookup.libraryLookup("librt.so.1", Arena.global());
        } catch (IllegalArgumentException noLibrt) {
            return name -> Optional.empty();
        }
    }

    static MemorySegment findOrThrow(String symbol) {
        return LOOKUP.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + symbol));
    }

    /** A downcall handle without errno capture (for calls that cannot fail). */
    static MethodHandle downcall(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(findOrThrow(symbol), descriptor, options);
    }

    /**
     * A downcall handle whose first parameter is the errno capture segment; pass
     * {@link #capture()} there and read {@link #errno()} after the call.
     */
    static MethodHandle downcallErrno(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = Arrays.copyOf(options, options.length + 1);
        all[options.length] = CAPTURE_ERRNO;
        return LINKER.downcallHandle(findOrThrow(symbol), descriptor, all);
    }

    /** {@return this thread's errno capture segment} */
    static MemorySegment capture() {
        return CAPTURE.get();
    }

    /** {@return the errno captured by the last capturing call on this thread} */
    static int errno() {
        return CAPTURE.get().get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
    }

    /** Rethrows what a {@code invokeExact} on a native handle can only throw by a bug of ours. */
    static AssertionError unexpected(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new AssertionError("should not reach here", t);
    }
}
