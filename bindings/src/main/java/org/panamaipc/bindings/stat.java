package org.panamaipc.bindings;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.panamaipc.bindings.CTypes.*;

/**
 * A file's status, as {@code fstat} fills it in (the x86-64 layout; the fields panama-ipc reads are named, the rest is padding).
 * {@snippet lang=c :
 * struct stat {            // x86-64 Linux, glibc
 *     dev_t     st_dev;
 *     ino_t     st_ino;
 *     nlink_t   st_nlink;
 *     mode_t    st_mode;
 *     uid_t     st_uid;
 *     gid_t     st_gid;
 *     int       __pad0;
 *     dev_t     st_rdev;
 *     off_t     st_size;
 *     blksize_t st_blksize;
 *     blkcnt_t  st_blocks;
 *     struct timespec st_atim, st_mtim, st_ctim;
 *     long      __glibc_reserved[3];
 * };
 * }
 * Offsets are derived from the layout below, which the ABI test holds equal to the C compiler's.
 */
public final class stat {

    private stat() {
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            C_LONG.withName("st_dev"),
            C_LONG.withName("st_ino"),
            C_LONG.withName("st_nlink"),
            mode_t.withName("st_mode"),
            uid_t.withName("st_uid"),
            gid_t.withName("st_gid"),
            C_INT.withName("__pad0"),
            C_LONG.withName("st_rdev"),
            off_t.withName("st_size"),
            C_LONG.withName("st_blksize"),
            C_LONG.withName("st_blocks"),
            timespec.layout().withName("st_atim"),
            timespec.layout().withName("st_mtim"),
            timespec.layout().withName("st_ctim"),
            MemoryLayout.sequenceLayout(3, C_LONG).withName("__glibc_reserved"))
            .withName("stat");

    /** {@return the layout of {@code struct stat}} */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@return {@code sizeof(struct stat)}} */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    /** {@return a new zeroed {@code struct stat} from {@code allocator}} */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    private static final ValueLayout.OfLong st_dev$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("st_dev"));
    private static final long st_dev$OFFSET = $LAYOUT.byteOffset(groupElement("st_dev"));

    /** {@return the layout of field {@code st_dev}} */
    public static ValueLayout.OfLong st_dev$layout() {
        return st_dev$LAYOUT;
    }

    /** {@return the offset of field {@code st_dev}} */
    public static long st_dev$offset() {
        return st_dev$OFFSET;
    }

    /** {@return field {@code st_dev} of {@code struct}} */
    public static long st_dev(MemorySegment struct) {
        return struct.get(st_dev$LAYOUT, st_dev$OFFSET);
    }

    /** Sets field {@code st_dev} of {@code struct}. */
    public static void st_dev(MemorySegment struct, long fieldValue) {
        struct.set(st_dev$LAYOUT, st_dev$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong st_ino$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("st_ino"));
    private static final long st_ino$OFFSET = $LAYOUT.byteOffset(groupElement("st_ino"));

    /** {@return the layout of field {@code st_ino}} */
    public static ValueLayout.OfLong st_ino$layout() {
        return st_ino$LAYOUT;
    }

    /** {@return the offset of field {@code st_ino}} */
    public static long st_ino$offset() {
        return st_ino$OFFSET;
    }

    /** {@return field {@code st_ino} of {@code struct}} */
    public static long st_ino(MemorySegment struct) {
        return struct.get(st_ino$LAYOUT, st_ino$OFFSET);
    }

    /** Sets field {@code st_ino} of {@code struct}. */
    public static void st_ino(MemorySegment struct, long fieldValue) {
        struct.set(st_ino$LAYOUT, st_ino$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong st_nlink$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("st_nlink"));
    private static final long st_nlink$OFFSET = $LAYOUT.byteOffset(groupElement("st_nlink"));

    /** {@return the layout of field {@code st_nlink}} */
    public static ValueLayout.OfLong st_nlink$layout() {
        return st_nlink$LAYOUT;
    }

    /** {@return the offset of field {@code st_nlink}} */
    public static long st_nlink$offset() {
        return st_nlink$OFFSET;
    }

    /** {@return field {@code st_nlink} of {@code struct}} */
    public static long st_nlink(MemorySegment struct) {
        return struct.get(st_nlink$LAYOUT, st_nlink$OFFSET);
    }

    /** Sets field {@code st_nlink} of {@code struct}. */
    public static void st_nlink(MemorySegment struct, long fieldValue) {
        struct.set(st_nlink$LAYOUT, st_nlink$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt st_mode$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("st_mode"));
    private static final long st_mode$OFFSET = $LAYOUT.byteOffset(groupElement("st_mode"));

    /** {@return the layout of field {@code st_mode}} */
    public static ValueLayout.OfInt st_mode$layout() {
        return st_mode$LAYOUT;
    }

    /** {@return the offset of field {@code st_mode}} */
    public static long st_mode$offset() {
        return st_mode$OFFSET;
    }

    /** {@return field {@code st_mode} of {@code struct}} */
    public static int st_mode(MemorySegment struct) {
        return struct.get(st_mode$LAYOUT, st_mode$OFFSET);
    }

    /** Sets field {@code st_mode} of {@code struct}. */
    public static void st_mode(MemorySegment struct, int fieldValue) {
        struct.set(st_mode$LAYOUT, st_mode$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt st_uid$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("st_uid"));
    private static final long st_uid$OFFSET = $LAYOUT.byteOffset(groupElement("st_uid"));

    /** {@return the layout of field {@code st_uid}} */
    public static ValueLayout.OfInt st_uid$layout() {
        return st_uid$LAYOUT;
    }

    /** {@return the offset of field {@code st_uid}} */
    public static long st_uid$offset() {
        return st_uid$OFFSET;
    }

    /** {@return field {@code st_uid} of {@code struct}} */
    public static int st_uid(MemorySegment struct) {
        return struct.get(st_uid$LAYOUT, st_uid$OFFSET);
    }

    /** Sets field {@code st_uid} of {@code struct}. */
    public static void st_uid(MemorySegment struct, int fieldValue) {
        struct.set(st_uid$LAYOUT, st_uid$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfInt st_gid$LAYOUT = (ValueLayout.OfInt) $LAYOUT.select(groupElement("st_gid"));
    private static final long st_gid$OFFSET = $LAYOUT.byteOffset(groupElement("st_gid"));

    /** {@return the layout of field {@code st_gid}} */
    public static ValueLayout.OfInt st_gid$layout() {
        return st_gid$LAYOUT;
    }

    /** {@return the offset of field {@code st_gid}} */
    public static long st_gid$offset() {
        return st_gid$OFFSET;
    }

    /** {@return field {@code st_gid} of {@code struct}} */
    public static int st_gid(MemorySegment struct) {
        return struct.get(st_gid$LAYOUT, st_gid$OFFSET);
    }

    /** Sets field {@code st_gid} of {@code struct}. */
    public static void st_gid(MemorySegment struct, int fieldValue) {
        struct.set(st_gid$LAYOUT, st_gid$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong st_size$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("st_size"));
    private static final long st_size$OFFSET = $LAYOUT.byteOffset(groupElement("st_size"));

    /** {@return the layout of field {@code st_size}} */
    public static ValueLayout.OfLong st_size$layout() {
        return st_size$LAYOUT;
    }

    /** {@return the offset of field {@code st_size}} */
    public static long st_size$offset() {
        return st_size$OFFSET;
    }

    /** {@return field {@code st_size} of {@code struct}} */
    public static long st_size(MemorySegment struct) {
        return struct.get(st_size$LAYOUT, st_size$OFFSET);
    }

    /** Sets field {@code st_size} of {@code struct}. */
    public static void st_size(MemorySegment struct, long fieldValue) {
        struct.set(st_size$LAYOUT, st_size$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong st_blksize$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("st_blksize"));
    private static final long st_blksize$OFFSET = $LAYOUT.byteOffset(groupElement("st_blksize"));

    /** {@return the layout of field {@code st_blksize}} */
    public static ValueLayout.OfLong st_blksize$layout() {
        return st_blksize$LAYOUT;
    }

    /** {@return the offset of field {@code st_blksize}} */
    public static long st_blksize$offset() {
        return st_blksize$OFFSET;
    }

    /** {@return field {@code st_blksize} of {@code struct}} */
    public static long st_blksize(MemorySegment struct) {
        return struct.get(st_blksize$LAYOUT, st_blksize$OFFSET);
    }

    /** Sets field {@code st_blksize} of {@code struct}. */
    public static void st_blksize(MemorySegment struct, long fieldValue) {
        struct.set(st_blksize$LAYOUT, st_blksize$OFFSET, fieldValue);
    }

    private static final ValueLayout.OfLong st_blocks$LAYOUT = (ValueLayout.OfLong) $LAYOUT.select(groupElement("st_blocks"));
    private static final long st_blocks$OFFSET = $LAYOUT.byteOffset(groupElement("st_blocks"));

    /** {@return the layout of field {@code st_blocks}} */
    public static ValueLayout.OfLong st_blocks$layout() {
        return st_blocks$LAYOUT;
    }

    /** {@return the offset of field {@code st_blocks}} */
    public static long st_blocks$offset() {
        return st_blocks$OFFSET;
    }

    /** {@return field {@code st_blocks} of {@code struct}} */
    public static long st_blocks(MemorySegment struct) {
        return struct.get(st_blocks$LAYOUT, st_blocks$OFFSET);
    }

    /** Sets field {@code st_blocks} of {@code struct}. */
    public static void st_blocks(MemorySegment struct, long fieldValue) {
        struct.set(st_blocks$LAYOUT, st_blocks$OFFSET, fieldValue);
    }

    private static final GroupLayout st_mtim$LAYOUT = (GroupLayout) $LAYOUT.select(groupElement("st_mtim"));
    private static final long st_mtim$OFFSET = $LAYOUT.byteOffset(groupElement("st_mtim"));

    /** {@return the layout of field {@code st_mtim}} */
    public static GroupLayout st_mtim$layout() {
        return st_mtim$LAYOUT;
    }

    /** {@return the offset of field {@code st_mtim}} */
    public static long st_mtim$offset() {
        return st_mtim$OFFSET;
    }
}
