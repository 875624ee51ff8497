package org.panamaipc.shm;

import org.panamaipc.bindings.fcntl_h;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A seal on anonymous shared memory ({@code fcntl(F_ADD_SEALS)} on a memfd): a promise the kernel
 * keeps for every process that holds the memory, so a process that receives it from another can
 * rely on what the seals forbid. {@link SharedMemory#anonymous(long, Set)} adds seals;
 * {@link SharedMemory#seals()} reads them. Seals cannot be removed.
 */
public enum Seal {
    /** No further seal may be added ({@code F_SEAL_SEAL}). */
    SEAL(fcntl_h.F_SEAL_SEAL()),
    /** The memory cannot shrink ({@code F_SEAL_SHRINK}): every offset below its size stays mapped. */
    SHRINK(fcntl_h.F_SEAL_SHRINK()),
    /** The memory cannot grow ({@code F_SEAL_GROW}). */
    GROW(fcntl_h.F_SEAL_GROW()),
    /**
     * Nobody can write it, through any mapping or call ({@code F_SEAL_WRITE}); the kernel refuses
     * the seal while a writable shared mapping exists, so {@link SharedMemory#anonymous} does not
     * take it.
     */
    WRITE(fcntl_h.F_SEAL_WRITE()),
    /**
     * No new writable mapping and no write call ({@code F_SEAL_FUTURE_WRITE}, Linux 5.1): the
     * mappings that exist when it is added stay writable, so the creator keeps writing and every
     * process it hands the memory to can only read it.
     */
    FUTURE_WRITE(fcntl_h.F_SEAL_FUTURE_WRITE());

    private final int bit;

    Seal(int bit) {
        this.bit = bit;
    }

    /** {@return the {@code F_SEAL_*} bit} */
    int bit() {
        return bit;
    }

    /** {@return the {@code F_SEAL_*} bits of {@code seals}} */
    static int bits(Set<Seal> seals) {
        int bits = 0;
        for (Seal seal : seals) {
            bits |= seal.bit;
        }
        return bits;
    }

    /** {@return the seals whose bits {@code bits} has, unmodifiable} */
    static Set<Seal> of(int bits) {
        EnumSet<Seal> seals = EnumSet.noneOf(Seal.class);
        for (Seal seal : values()) {
            if ((bits & seal.bit) != 0) {
                seals.add(seal);
            }
        }
        return Collections.unmodifiableSet(seals);
    }
}
