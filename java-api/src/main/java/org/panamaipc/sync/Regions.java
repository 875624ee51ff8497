package org.panamaipc.sync;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** Checks a caller's region before a primitive is placed in it. */
final class Regions {

    private Regions() {
    }

    static MemorySegment check(MemorySegment region, long size, String what) {
        Objects.requireNonNull(region, "region");
        if (!region.isNative()) {
            throw new IllegalArgumentException(what + " must live in native (shared) memory, not on the heap");
        }
        if (region.byteSize() < size) {
            throw new IllegalArgumentException("region byteSize=" + region.byteSize() + " is smaller than the "
                    + size + " bytes a " + what + " needs");
        }
        if ((region.address() & (Long.BYTES - 1)) != 0) {
            throw new IllegalArgumentException("region address=0x" + Long.toHexString(region.address())
                    + " is not 8-byte aligned, as a " + what + " needs");
        }
        if (region.isReadOnly()) {
            throw new IllegalArgumentException("region is read-only; a " + what + " is written by every user");
        }
        return region.asSlice(0, size);
    }
}
