package org.panamaipc.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;

/**
 * The C types of the Linux x86-64 (LP64) ABI as memory layouts, named as jextract
 * names them ({@code C_INT}, {@code C_LONG}, ...), and the typedefs the bindings use
 * ({@code pid_t}, {@code mode_t}, ...). The ABI test checks every size against the C compiler's.
 */
public final class CTypes {

    private CTypes() {
    }

    /** {@code char} */
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    /** {@code short} */
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    /** {@code int} */
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    /** {@code long} (LP64: 64 bits) */
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    /** {@code long long} */
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    /**
     * {@code void *}. Unlike jextract's, it has no target layout: a pointer a function returns is a
     * zero-length segment, and the caller states its real size with {@code reinterpret}.
     */
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS;

    /** {@code size_t} */
    public static final ValueLayout.OfLong size_t = C_LONG;
    /** {@code ssize_t} */
    public static final ValueLayout.OfLong ssize_t = C_LONG;
    /** {@code off_t} (64-bit on LP64) */
    public static final ValueLayout.OfLong off_t = C_LONG;
    /** {@code mode_t} */
    public static final ValueLayout.OfInt mode_t = C_INT;
    /** {@code pid_t} */
    public static final ValueLayout.OfInt pid_t = C_INT;
    /** {@code uid_t} */
    public static final ValueLayout.OfInt uid_t = C_INT;
    /** {@code gid_t} */
    public static final ValueLayout.OfInt gid_t = C_INT;
    /** {@code mqd_t}: a file descriptor on Linux */
    public static final ValueLayout.OfInt mqd_t = C_INT;
    /** {@code nfds_t} */
    public static final ValueLayout.OfLong nfds_t = C_LONG;
    /** {@code clockid_t} */
    public static final ValueLayout.OfInt clockid_t = C_INT;
    /** {@code time_t} */
    public static final ValueLayout.OfLong time_t = C_LONG;
    /** {@code eventfd_t}: {@code uint64_t} */
    public static final ValueLayout.OfLong eventfd_t = C_LONG;
    /** {@code rlim_t}: unsigned, 64 bits; {@code RLIM_INFINITY} reads as -1 */
    public static final ValueLayout.OfLong rlim_t = C_LONG;
    /** {@code socklen_t}: unsigned, 32 bits */
    public static final ValueLayout.OfInt socklen_t = C_INT;
    /** {@code sa_family_t}: unsigned short */
    public static final ValueLayout.OfShort sa_family_t = C_SHORT;
    /** {@code sigset_t}: glibc's {@code __sigset_t}, 1024 bits as {@code unsigned long __val[16]}; only its size matters here */
    public static final SequenceLayout sigset_t = MemoryLayout.sequenceLayout(16, C_LONG).withName("sigset_t");
}
