package org.panamaipc.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One field of a {@link RecordCodec}'s encoding, resolved once by {@link RecordCodec#field(String)}
 * to read and write that field in place: a receiver reads the fields it needs without creating the
 * record, and a sender can write a message field by field without creating one either. Every
 * method takes the segment and the offset at which the record's encoding starts (the same
 * {@code offset} that {@link RecordCodec#encode} and {@link RecordCodec#decode(MemorySegment, long)}
 * take), so that one field serves every message; none allocates, except {@link #getString}.
 *
 * {@snippet lang=java :
 * record Quote(double bid, double ask) {}
 * record Order(long id, @MaxLength(12) String symbol, @Length(4) int[] levels, Quote quote) {}
 *
 * static final RecordCodec<Order> ORDERS = Codec.ofRecord(Order.class);
 * static final RecordField ID = ORDERS.field("id");
 * static final RecordField SYMBOL = ORDERS.field("symbol");
 * static final RecordField LEVELS = ORDERS.field("levels");
 * static final RecordField BID = ORDERS.field("quote.bid");
 *
 * // receiving: read in place
 * long id = ID.getLong(segment, offset);
 * boolean acme = SYMBOL.stringEquals(segment, offset, "ACME");
 * int best = LEVELS.getInt(segment, offset, 0);
 * double bid = BID.getDouble(segment, offset);
 *
 * // sending: write in place (write every field, as encode does: the memory may hold an older message)
 * ID.setLong(segment, offset, 42);
 * SYMBOL.setString(segment, offset, "ACME");
 * }
 *
 * <p>The accessor must match the field's type: {@code getDouble} reads a {@code double} field,
 * {@code getInt(segment, offset, index)} an element of an {@code int[]} field; another accessor is
 * refused with an {@link IllegalArgumentException}, never a reinterpretation. Reads and writes are
 * plain (neither volatile nor ordered), unaligned, in native byte order, and bounded by the
 * segment. A field of a nested record ({@code type().isRecord()}) has no value accessor; reach its
 * components with {@link #fields()} or a dotted path. A {@code null} argument is a
 * {@link NullPointerException} naming the parameter. Fields are immutable and safe for use by many
 * threads.
 */
public final class RecordField {

    private final String owner;
    private final String name;
    private final Member member;
    private final Class<?> type;
    private final long offset;
    private final int length;
    private final List<RecordField> fields;

    private RecordField(String owner, String name, Member member, long offset, List<RecordField> fields) {
        this.owner = owner;
        this.name = name;
        this.member = member;
        this.type = member.type();
        this.offset = offset;
        this.length = member.count();
        this.fields = fields;
    }

    /** {@return the fields of {@code members} of a record at {@code base}, their names from {@code prefix} on} */
    static List<RecordField> of(String owner, String prefix, long base, Member[] members) {
        List<RecordField> fields = new ArrayList<>(members.length);
        for (Member member : members) {
            String name = prefix + member.name();
            long offset = base + member.offset();
            List<RecordField> inner = member.kind() == Member.Kind.RECORD
                    ? of(owner, name + ".", offset, member.nested().members())
                    : List.of();
            fields.add(new RecordField(owner, name, member, offset, inner));
        }
        return List.copyOf(fields);
    }

    /** {@return the field's path from the outermost record: {@code "price"}, or {@code "quote.bid"} in a nested record} */
    public String name() {
        return name;
    }

    /** {@return the component's own name, the last element of {@link #name()}} */
    String componentName() {
        return member.name();
    }

    /** {@return the component's type: {@code double.class}, {@code int[].class}, {@code String.class}, or a record class} */
    public Class<?> type() {
        return type;
    }

    /** {@return where the field starts, counted from the start of the outermost record's encoding} */
    public long offset() {
        return offset;
    }

    /** {@return how many bytes the field takes} */
    public long byteSize() {
        return member.byteSize();
    }

    /**
     * {@return the number of elements of an array field (its {@link Length}), the most bytes of a
     * string field (its {@link MaxLength}); 1 for a primitive or record field}
     */
    public int length() {
        return length;
    }

    /** {@return the fields of a nested record's components, with offsets from the outermost record; empty for other fields} */
    public List<RecordField> fields() {
        return fields;
    }

    /**
     * {@return the value of this byte field of the encoding at {@code offset} of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code byte}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public byte getByte(MemorySegment segment, long offset) {
        check(segment, byte.class, "getByte");
        return segment.get(ValueLayout.JAVA_BYTE, offset + this.offset);
    }

    /**
     * Sets this byte field of the encoding at {@code offset} of {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code byte}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public void setByte(MemorySegment segment, long offset, byte value) {
        check(segment, byte.class, "setByte");
        segment.set(ValueLayout.JAVA_BYTE, offset + this.offset, value);
    }

    /**
     * {@return element {@code index} of this {@code byte[]} field of the encoding at {@code offset}
     * of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code byte[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public byte getByte(MemorySegment segment, long offset, int index) {
        check(segment, byte[].class, "getByte");
        return segment.get(ValueLayout.JAVA_BYTE, offset + this.offset + (long) Objects.checkIndex(index, length) * Byte.BYTES);
    }

    /**
     * Sets element {@code index} of this {@code byte[]} field of the encoding at {@code offset} of
     * {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code byte[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public void setByte(MemorySegment segment, long offset, int index, byte value) {
        check(segment, byte[].class, "setByte");
        segment.set(ValueLayout.JAVA_BYTE, offset + this.offset + (long) Objects.checkIndex(index, length) * Byte.BYTES, value);
    }

    /**
     * {@return the value of this boolean field of the encoding at {@code offset} of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code boolean}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public boolean getBoolean(MemorySegment segment, long offset) {
        check(segment, boolean.class, "getBoolean");
        return segment.get(ValueLayout.JAVA_BOOLEAN, offset + this.offset);
    }

    /**
     * Sets this boolean field of the encoding at {@code offset} of {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code boolean}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public void setBoolean(MemorySegment segment, long offset, boolean value) {
        check(segment, boolean.class, "setBoolean");
        segment.set(ValueLayout.JAVA_BOOLEAN, offset + this.offset, value);
    }

    /**
     * {@return element {@code index} of this {@code boolean[]} field of the encoding at {@code offset}
     * of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code boolean[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public boolean getBoolean(MemorySegment segment, long offset, int index) {
        check(segment, boolean[].class, "getBoolean");
        return segment.get(ValueLayout.JAVA_BOOLEAN, offset + this.offset + (long) Objects.checkIndex(index, length) * 1);
    }

    /**
     * Sets element {@code index} of this {@code boolean[]} field of the encoding at {@code offset} of
     * {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code boolean[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public void setBoolean(MemorySegment segment, long offset, int index, boolean value) {
        check(segment, boolean[].class, "setBoolean");
        segment.set(ValueLayout.JAVA_BOOLEAN, offset + this.offset + (long) Objects.checkIndex(index, length) * 1, value);
    }

    /**
     * {@return the value of this short field of the encoding at {@code offset} of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code short}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public short getShort(MemorySegment segment, long offset) {
        check(segment, short.class, "getShort");
        return segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + this.offset);
    }

    /**
     * Sets this short field of the encoding at {@code offset} of {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code short}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public void setShort(MemorySegment segment, long offset, short value) {
        check(segment, short.class, "setShort");
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset + this.offset, value);
    }

    /**
     * {@return element {@code index} of this {@code short[]} field of the encoding at {@code offset}
     * of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code short[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public short getShort(MemorySegment segment, long offset, int index) {
        check(segment, short[].class, "getShort");
        return segment.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + this.offset + (long) Objects.checkIndex(index, length) * Short.BYTES);
    }

    /**
     * Sets element {@code index} of this {@code short[]} field of the encoding at {@code offset} of
     * {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code short[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public void setShort(MemorySegment segment, long offset, int index, short value) {
        check(segment, short[].class, "setShort");
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset + this.offset + (long) Objects.checkIndex(index, length) * Short.BYTES, value);
    }

    /**
     * {@return the value of this char field of the encoding at {@code offset} of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code char}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public char getChar(MemorySegment segment, long offset) {
        check(segment, char.class, "getChar");
        return segment.get(ValueLayout.JAVA_CHAR_UNALIGNED, offset + this.offset);
    }

    /**
     * Sets this char field of the encoding at {@code offset} of {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code char}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public void setChar(MemorySegment segment, long offset, char value) {
        check(segment, char.class, "setChar");
        segment.set(ValueLayout.JAVA_CHAR_UNALIGNED, offset + this.offset, value);
    }

    /**
     * {@return element {@code index} of this {@code char[]} field of the encoding at {@code offset}
     * of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code char[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public char getChar(MemorySegment segment, long offset, int index) {
        check(segment, char[].class, "getChar");
        return segment.get(ValueLayout.JAVA_CHAR_UNALIGNED, offset + this.offset + (long) Objects.checkIndex(index, length) * Character.BYTES);
    }

    /**
     * Sets element {@code index} of this {@code char[]} field of the encoding at {@code offset} of
     * {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code char[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public void setChar(MemorySegment segment, long offset, int index, char value) {
        check(segment, char[].class, "setChar");
        segment.set(ValueLayout.JAVA_CHAR_UNALIGNED, offset + this.offset + (long) Objects.checkIndex(index, length) * Character.BYTES, value);
    }

    /**
     * {@return the value of this int field of the encoding at {@code offset} of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code int}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public int getInt(MemorySegment segment, long offset) {
        check(segment, int.class, "getInt");
        return segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset + this.offset);
    }

    /**
     * Sets this int field of the encoding at {@code offset} of {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code int}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public void setInt(MemorySegment segment, long offset, int value) {
        check(segment, int.class, "setInt");
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset + this.offset, value);
    }

    /**
     * {@return element {@code index} of this {@code int[]} field of the encoding at {@code offset}
     * of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code int[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public int getInt(MemorySegment segment, long offset, int index) {
        check(segment, int[].class, "getInt");
        return segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset + this.offset + (long) Objects.checkIndex(index, length) * Integer.BYTES);
    }

    /**
     * Sets element {@code index} of this {@code int[]} field of the encoding at {@code offset} of
     * {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code int[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public void setInt(MemorySegment segment, long offset, int index, int value) {
        check(segment, int[].class, "setInt");
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset + this.offset + (long) Objects.checkIndex(index, length) * Integer.BYTES, value);
    }

    /**
     * {@return the value of this float field of the encoding at {@code offset} of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code float}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public float getFloat(MemorySegment segment, long offset) {
        check(segment, float.class, "getFloat");
        return segment.get(ValueLayout.JAVA_FLOAT_UNALIGNED, offset + this.offset);
    }

    /**
     * Sets this float field of the encoding at {@code offset} of {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code float}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public void setFloat(MemorySegment segment, long offset, float value) {
        check(segment, float.class, "setFloat");
        segment.set(ValueLayout.JAVA_FLOAT_UNALIGNED, offset + this.offset, value);
    }

    /**
     * {@return element {@code index} of this {@code float[]} field of the encoding at {@code offset}
     * of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code float[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public float getFloat(MemorySegment segment, long offset, int index) {
        check(segment, float[].class, "getFloat");
        return segment.get(ValueLayout.JAVA_FLOAT_UNALIGNED, offset + this.offset + (long) Objects.checkIndex(index, length) * Float.BYTES);
    }

    /**
     * Sets element {@code index} of this {@code float[]} field of the encoding at {@code offset} of
     * {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code float[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public void setFloat(MemorySegment segment, long offset, int index, float value) {
        check(segment, float[].class, "setFloat");
        segment.set(ValueLayout.JAVA_FLOAT_UNALIGNED, offset + this.offset + (long) Objects.checkIndex(index, length) * Float.BYTES, value);
    }

    /**
     * {@return the value of this long field of the encoding at {@code offset} of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code long}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public long getLong(MemorySegment segment, long offset) {
        check(segment, long.class, "getLong");
        return segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + this.offset);
    }

    /**
     * Sets this long field of the encoding at {@code offset} of {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code long}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public void setLong(MemorySegment segment, long offset, long value) {
        check(segment, long.class, "setLong");
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + this.offset, value);
    }

    /**
     * {@return element {@code index} of this {@code long[]} field of the encoding at {@code offset}
     * of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code long[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public long getLong(MemorySegment segment, long offset, int index) {
        check(segment, long[].class, "getLong");
        return segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + this.offset + (long) Objects.checkIndex(index, length) * Long.BYTES);
    }

    /**
     * Sets element {@code index} of this {@code long[]} field of the encoding at {@code offset} of
     * {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code long[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public void setLong(MemorySegment segment, long offset, int index, long value) {
        check(segment, long[].class, "setLong");
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + this.offset + (long) Objects.checkIndex(index, length) * Long.BYTES, value);
    }

    /**
     * {@return the value of this double field of the encoding at {@code offset} of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code double}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public double getDouble(MemorySegment segment, long offset) {
        check(segment, double.class, "getDouble");
        return segment.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, offset + this.offset);
    }

    /**
     * Sets this double field of the encoding at {@code offset} of {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code double}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public void setDouble(MemorySegment segment, long offset, double value) {
        check(segment, double.class, "setDouble");
        segment.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, offset + this.offset, value);
    }

    /**
     * {@return element {@code index} of this {@code double[]} field of the encoding at {@code offset}
     * of {@code segment}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code double[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public double getDouble(MemorySegment segment, long offset, int index) {
        check(segment, double[].class, "getDouble");
        return segment.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, offset + this.offset + (long) Objects.checkIndex(index, length) * Double.BYTES);
    }

    /**
     * Sets element {@code index} of this {@code double[]} field of the encoding at {@code offset} of
     * {@code segment} to {@code value}.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code double[]}
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}, or the
     *                                   field lies outside {@code segment}
     */
    public void setDouble(MemorySegment segment, long offset, int index, double value) {
        check(segment, double[].class, "setDouble");
        segment.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, offset + this.offset + (long) Objects.checkIndex(index, length) * Double.BYTES, value);
    }

    /**
     * {@return the string in this {@code String} field of the encoding at {@code offset} of
     * {@code segment}: its bytes up to the first NUL, as UTF-8} Allocates the string;
     * {@link #stringEquals} and {@link #stringLength} look without allocating.
     *
     * @throws IllegalArgumentException  if the field is not of type {@code String}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public String getString(MemorySegment segment, long offset) {
        check(segment, String.class, "getString");
        return Utf8.readPadded(segment, offset + this.offset, length);
    }

    /**
     * {@return the number of bytes of UTF-8 in this {@code String} field of the encoding at
     * {@code offset} of {@code segment}: those before its first NUL, or {@link #length()}}
     *
     * @throws IllegalArgumentException  if the field is not of type {@code String}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public int stringLength(MemorySegment segment, long offset) {
        check(segment, String.class, "stringLength");
        return Utf8.paddedLength(segment, offset + this.offset, length);
    }

    /**
     * {@return whether this {@code String} field of the encoding at {@code offset} of
     * {@code segment} holds {@code value}} Compares with the UTF-8 of {@code value} as it goes,
     * allocating nothing.
     *
     * @throws NullPointerException      if {@code value} is null
     * @throws IllegalArgumentException  if the field is not of type {@code String}
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public boolean stringEquals(MemorySegment segment, long offset, CharSequence value) {
        check(segment, String.class, "stringEquals");
        Objects.requireNonNull(value, "value");
        return Utf8.paddedEquals(segment, offset + this.offset, length, value);
    }

    /**
     * Sets this {@code String} field of the encoding at {@code offset} of {@code segment} to
     * {@code value}: its UTF-8, then zeros to the end of the field, as {@link RecordCodec#encode}
     * writes it. Allocates nothing.
     *
     * @throws NullPointerException      if {@code value} is null
     * @throws IllegalArgumentException  if the field is not of type {@code String}, or {@code value}
     *                                   takes more than {@link #length()} bytes of UTF-8 or holds a NUL
     * @throws IndexOutOfBoundsException if the field lies outside {@code segment}
     */
    public void setString(MemorySegment segment, long offset, String value) {
        check(segment, String.class, "setString");
        Objects.requireNonNull(value, "value");
        Utf8.writePadded(value, segment, offset + this.offset, length, member);
    }

    private void check(MemorySegment segment, Class<?> accessed, String accessor) {
        Objects.requireNonNull(segment, "segment");
        if (type != accessed) {
            throw wrongType(accessor);
        }
    }

    private IllegalArgumentException wrongType(String accessor) {
        return new IllegalArgumentException("field=" + name + " of " + owner + " is of type "
                + type.getTypeName() + "; " + accessor + " does not apply to it");
    }

    @Override
    public String toString() {
        return "RecordField[" + owner + "." + name + ": " + type.getTypeName() + " at " + offset + ", "
                + member.byteSize() + " bytes]";
    }
}
