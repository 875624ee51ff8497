package org.panamaipc.codec;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A codec for records of fixed-size fields, laid out as the C compiler lays out a struct of the
 * same fields in the same order: each field at the next offset that is a multiple of its
 * alignment, the whole padded to a multiple of the largest alignment. Encoding writes each
 * component straight into the target, in native byte order, and allocates nothing; decoding reads
 * them and calls the canonical constructor. Every encoding is {@link #byteSize()} bytes.
 *
 * <table class="striped">
 * <caption>Component types and their C counterparts</caption>
 * <thead><tr><th>Java</th><th>bytes</th><th>C</th></tr></thead>
 * <tbody>
 * <tr><td>{@code byte}</td><td>1</td><td>{@code int8_t}</td></tr>
 * <tr><td>{@code boolean}</td><td>1</td><td>{@code bool} (0 or 1; any other byte reads as {@code true})</td></tr>
 * <tr><td>{@code short}</td><td>2</td><td>{@code int16_t}</td></tr>
 * <tr><td>{@code char}</td><td>2</td><td>{@code uint16_t} (a UTF-16 unit)</td></tr>
 * <tr><td>{@code int}</td><td>4</td><td>{@code int32_t}</td></tr>
 * <tr><td>{@code float}</td><td>4</td><td>{@code float}</td></tr>
 * <tr><td>{@code long}</td><td>8</td><td>{@code int64_t}</td></tr>
 * <tr><td>{@code double}</td><td>8</td><td>{@code double}</td></tr>
 * <tr><td>{@code @Length(n) int[]} (any primitive array)</td><td>n &times; element</td><td>{@code int32_t name[n]}</td></tr>
 * <tr><td>{@code @MaxLength(n) String}</td><td>n</td><td>{@code char name[n]}: UTF-8, NUL-padded</td></tr>
 * <tr><td>a record of these</td><td>its size</td><td>{@code struct Name name}</td></tr>
 * </tbody>
 * </table>
 *
 * {@snippet lang=java :
 * record Tick(long instrument, double price, int quantity, boolean buy) {}
 *
 * RecordCodec<Tick> codec = Codec.ofRecord(Tick.class);
 * codec.byteSize();                   // 24: 8 + 8 + 4 + 1, padded to a multiple of 8
 * codec.layout();                     // [j8(instrument)d8(price)i4(quantity)z1(buy)x3(_pad0)](Tick)
 * System.out.println(codec.cDeclaration());
 * // struct Tick {
 * //     int64_t instrument; // offset 0
 * //     double price; // offset 8
 * //     int32_t quantity; // offset 16
 * //     bool buy; // offset 20
 * //     uint8_t _pad0[3];
 * // };
 * }
 *
 * <h2>Arrays, strings and nested records</h2>
 * An array component is stored in place with the number of elements that its {@link Length}
 * annotation gives; a {@code String} component in as many bytes as its {@link MaxLength} gives,
 * as UTF-8 followed by zeros up to the end of the field (a string of exactly the bound has no
 * terminator, as with C's {@code strncpy}); a record component as a nested struct. Encoding refuses
 * what it could not give back, with an {@link IllegalArgumentException} naming the component: an
 * array of another length, a string longer than its bound or holding a NUL. A null string, array
 * or record is a {@link NullPointerException} naming the component. Decoding never fails on the
 * bytes of a field: a string is read up to its first NUL, malformed UTF-8 as U+FFFD.
 *
 * {@snippet lang=java :
 * record Quote(double bid, double ask) {}
 * record Order(long id, @MaxLength(12) String symbol, @Length(4) int[] levels, Quote quote) {}
 *
 * Codec.ofRecord(Order.class).cDeclaration();
 * // struct Quote {
 * //     double bid; // offset 0
 * //     double ask; // offset 8
 * // };
 * // struct Order {
 * //     int64_t id; // offset 0
 * //     char symbol[12]; // offset 8, UTF-8, NUL-padded
 * //     int32_t levels[4]; // offset 20
 * //     uint8_t _pad0[4];
 * //     struct Quote quote; // offset 40
 * // };
 * }
 *
 * <p>A record type that cannot be laid out is refused when its codec is made, with an
 * {@link IllegalArgumentException} that names the component: a component of another type (a
 * {@code List}, an {@code Object}, an array of objects), an array without {@code @Length}, a string
 * without {@code @MaxLength}, a record that contains itself or has no components.
 *
 * <h2>Reading and writing fields in place</h2>
 * {@link #field(String)} resolves a component (or a path into nested records, such as
 * {@code "quote.bid"}) once, to a {@link RecordField} that then reads and writes that field of an
 * encoding in place, allocating nothing: a receiver reads what it needs without creating the
 * record, and a sender can write a message field by field.
 *
 * {@snippet lang=java :
 * static final RecordCodec<Order> ORDERS = Codec.ofRecord(Order.class);
 * static final RecordField ID = ORDERS.field("id");
 * static final RecordField BID = ORDERS.field("quote.bid");
 *
 * void onMessage(MemorySegment segment, long offset) {       // per message: no allocation
 *     long id = ID.getLong(segment, offset);
 *     double bid = BID.getDouble(segment, offset);
 * }
 * }
 *
 * <p>The layout ({@link #layout()}) names each field after its component, so a C header for peers
 * can be generated from it ({@link #cHeader()}), and it is what a test holds equal to such a header.
 * Fields are read and written without alignment checks, so encodings may start at any offset of
 * any segment, heap segments included. Padding bytes are not written.
 *
 * <p>The layout is derived once per record class by reflection over its components. The codec needs
 * access to the record's accessors and canonical constructor (and those of nested records):
 * {@link #of(Class)} makes them accessible, which works for any record on the class path and in
 * packages open to {@code org.panamaipc}; for others pass a lookup with
 * {@link #of(MethodHandles.Lookup, Class)}.
 *
 * @param <R> the record type
 */
public final class RecordCodec<R extends Record> implements Codec<R> {

    private static final ClassValue<RecordCodec<?>> CACHE = new ClassValue<>() {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected RecordCodec<?> computeValue(Class<?> type) {
            return new RecordCodec(null, type.asSubclass(Record.class), List.of(type));
        }
    };

    private static final MethodHandle ADD;
    private static final MethodHandle WRITE_ARRAY;
    private static final MethodHandle WRITE_STRING;
    private static final MethodHandle NON_NULL;
    private static final MethodHandle READ_ARRAY;
    private static final MethodHandle READ_STRING;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ADD = lookup.findStatic(RecordCodec.class, "add",
                    MethodType.methodType(long.class, long.class, long.class));
            WRITE_ARRAY = lookup.findStatic(RecordCodec.class, "writeArray", MethodType.methodType(void.class,
                    Member.class, Object.class, MemorySegment.class, long.class));
            WRITE_STRING = lookup.findStatic(RecordCodec.class, "writeString", MethodType.methodType(void.class,
                    Member.class, String.class, MemorySegment.class, long.class));
            NON_NULL = lookup.findStatic(RecordCodec.class, "nonNull",
                    MethodType.methodType(Object.class, Member.class, Object.class));
            READ_ARRAY = lookup.findStatic(RecordCodec.class, "readArray",
                    MethodType.methodType(Object.class, Member.class, MemorySegment.class, long.class));
            READ_STRING = lookup.findStatic(RecordCodec.class, "readString",
                    MethodType.methodType(String.class, Member.class, MemorySegment.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Class<R> type;
    private final StructLayout layout;
    private final Member[] members;
    private final long size;
    private final List<RecordField> fields;
    /** {@code (Object record, MemorySegment target, long offset) void} */
    final MethodHandle encoder;
    /** {@code (MemorySegment source, long offset) Object} */
    final MethodHandle decoder;

    /**
     * Lays out {@code type}.
     *
     * @param enclosing the records being laid out, outermost first, ending with {@code type}
     */
    RecordCodec(MethodHandles.Lookup lookup, Class<R> type, List<Class<?>> enclosing) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        this.members = new Member[components.length];
        List<MemoryLayout> layouts = new ArrayList<>();
        long end = 0;
        long maxAlignment = 1;
        int pads = 0;
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().startsWith("_pad")) {
                throw new IllegalArgumentException(Member.describe(type, components[i].getName())
                        + ": names starting with _pad are kept for the padding of the C struct");
            }
            Member member = Member.place(type, components[i], end, lookup, enclosing);
            if (member.offset() > end) {
                layouts.add(MemoryLayout.paddingLayout(member.offset() - end).withName("_pad" + pads++));
            }
            layouts.add(member.layout());
            members[i] = member;
            end = member.offset() + member.byteSize();
            maxAlignment = Math.max(maxAlignment, member.alignment());
        }
        long tail = (maxAlignment - end % maxAlignment) % maxAlignment;
        if (tail > 0) {
            layouts.add(MemoryLayout.paddingLayout(tail).withName("_pad" + pads));
        }
        if (end + tail > Member.MAX_SIZE) {
            throw new IllegalArgumentException(type.getName() + " would take more than " + Member.MAX_SIZE + " bytes");
        }
        this.size = end + tail;
        this.layout = MemoryLayout.structLayout(layouts.toArray(MemoryLayout[]::new)).withName(type.getSimpleName());
        this.fields = RecordField.of(type.getName(), "", 0, members);
        try {
            this.encoder = encoder(lookup);
            this.decoder = decoder(lookup);
        } catch (ReflectiveOperationException | InaccessibleObjectException e) {
            throw new IllegalArgumentException("cannot reach the accessors or canonical constructor of "
                    + type.getName() + "; pass a lookup that can: RecordCodec.of(MethodHandles.lookup(), "
                    + type.getSimpleName() + ".class)", e);
        }
    }

    /**
     * {@return the codec for {@code type}} Derived once per class and cached.
     *
     * @throws IllegalArgumentException if {@code type} is not a record, cannot be laid out (the
     *         message names the component), or its members cannot be made accessible
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> RecordCodec<R> of(Class<R> type) {
        Objects.requireNonNull(type, "type");
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        return (RecordCodec<R>) CACHE.get(type);
    }

    /**
     * {@return a codec for {@code type} that reaches its accessors and canonical constructor, and
     * those of nested records, through {@code lookup}} For records in modules that do not open
     * their package to {@code org.panamaipc}.
     *
     * @throws IllegalArgumentException as {@link #of(Class)} does
     */
    public static <R extends Record> RecordCodec<R> of(MethodHandles.Lookup lookup, Class<R> type) {
        Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(type, "type");
        return new RecordCodec<>(lookup, type, List.of(type));
    }

    private static MethodHandle accessor(MethodHandles.Lookup lookup, RecordComponent component)
            throws ReflectiveOperationException {
        if (lookup != null) {
            return lookup.unreflect(component.getAccessor());
        }
        var method = component.getAccessor();
        method.setAccessible(true);
        return MethodHandles.lookup().unreflect(method);
    }

    private MethodHandle encoder(MethodHandles.Lookup lookup) throws ReflectiveOperationException {
        MethodType shape = MethodType.methodType(void.class, Object.class, MemorySegment.class, long.class);
        MethodHandle all = MethodHandles.empty(shape);
        // folded last first, so that the components are written first to last
        for (int i = members.length - 1; i >= 0; i--) {
            Member member = members[i];
            Class<?> fieldType = member.type();
            MethodType writeType = MethodType.methodType(void.class, fieldType, MemorySegment.class, long.class);
            MethodHandle write = switch (member.kind()) { // (T value, MemorySegment, long at) void
                case PRIMITIVE -> MethodHandles.permuteArguments(
                        member.element().varHandle().toMethodHandle(VarHandle.AccessMode.SET), writeType, 1, 2, 0);
                case ARRAY -> MethodHandles.insertArguments(WRITE_ARRAY, 0, member).asType(writeType);
                case STRING -> MethodHandles.insertArguments(WRITE_STRING, 0, member);
                case RECORD -> MethodHandles.filterArguments(member.nested().encoder, 0,
                        MethodHandles.insertArguments(NON_NULL, 0, member)).asType(writeType);
            };
            write = MethodHandles.filterArguments(write, 2, MethodHandles.insertArguments(ADD, 1, member.offset()));
            MethodHandle get = accessor(lookup, member.component())
                    .asType(MethodType.methodType(fieldType, Object.class));
            write = MethodHandles.filterArguments(write, 0, get); // (Object record, MemorySegment, long) void
            all = MethodHandles.foldArguments(all, write);
        }
        return all;
    }

    private MethodHandle decoder(MethodHandles.Lookup lookup) throws ReflectiveOperationException {
        Class<?>[] types = new Class<?>[members.length];
        for (int i = 0; i < members.length; i++) {
            types[i] = members[i].type();
        }
        MethodHandle construct;
        if (lookup != null) {
            construct = lookup.findConstructor(type, MethodType.methodType(void.class, types));
        } else {
            Constructor<R> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            construct = MethodHandles.lookup().unreflectConstructor(constructor);
        }
        // replace each parameter, last first, by a read of (MemorySegment, long offset)
        for (int i = members.length - 1; i >= 0; i--) {
            Member member = members[i];
            MethodType readType = MethodType.methodType(types[i], MemorySegment.class, long.class);
            MethodHandle read = switch (member.kind()) {
                case PRIMITIVE -> member.element().varHandle().toMethodHandle(VarHandle.AccessMode.GET);
                case ARRAY -> MethodHandles.insertArguments(READ_ARRAY, 0, member).asType(readType);
                case STRING -> MethodHandles.insertArguments(READ_STRING, 0, member);
                case RECORD -> member.nested().decoder.asType(readType);
            };
            read = MethodHandles.filterArguments(read, 1, MethodHandles.insertArguments(ADD, 1, member.offset()));
            construct = MethodHandles.collectArguments(construct, i, read);
        }
        int[] reorder = new int[2 * members.length];
        for (int i = 0; i < members.length; i++) {
            reorder[2 * i] = 0;
            reorder[2 * i + 1] = 1;
        }
        MethodHandle merged = MethodHandles.permuteArguments(construct,
                MethodType.methodType(type, MemorySegment.class, long.class), reorder);
        return merged.asType(MethodType.methodType(Object.class, MemorySegment.class, long.class));
    }

    @SuppressWarnings("unused") // through ADD
    private static long add(long base, long offset) {
        return base + offset;
    }

    @SuppressWarnings("unused") // through NON_NULL
    private static Object nonNull(Member member, Object value) {
        if (value == null) {
            throw new NullPointerException(member.describe() + " is null");
        }
        return value;
    }

    @SuppressWarnings("unused") // through WRITE_STRING
    private static void writeString(Member member, String value, MemorySegment target, long offset) {
        Utf8.writePadded(value, target, offset, member.count(), member);
    }

    @SuppressWarnings("unused") // through READ_STRING
    private static String readString(Member member, MemorySegment source, long offset) {
        return Utf8.readPadded(source, offset, member.count());
    }

    @SuppressWarnings("unused") // through WRITE_ARRAY
    private static void writeArray(Member member, Object array, MemorySegment target, long offset) {
        nonNull(member, array);
        int length = Array.getLength(array);
        if (length != member.count()) {
            throw new IllegalArgumentException(member.describe() + ": length=" + length
                    + " differs from @Length(" + member.count() + ")");
        }
        if (array instanceof boolean[] booleans) { // MemorySegment.copy takes no boolean[]
            for (int i = 0; i < length; i++) {
                target.set(ValueLayout.JAVA_BOOLEAN, offset + i, booleans[i]);
            }
        } else {
            MemorySegment.copy(array, 0, target, member.element(), offset, length);
        }
    }

    @SuppressWarnings("unused") // through READ_ARRAY
    private static Object readArray(Member member, MemorySegment source, long offset) {
        int length = member.count();
        Class<?> elementType = member.type().getComponentType();
        if (elementType == boolean.class) { // any byte but 0 reads as true, never as a corrupt boolean
            boolean[] booleans = new boolean[length];
            for (int i = 0; i < length; i++) {
                booleans[i] = source.get(ValueLayout.JAVA_BOOLEAN, offset + i);
            }
            return booleans;
        }
        Object array = Array.newInstance(elementType, length);
        MemorySegment.copy(source, member.element(), offset, array, 0, length);
        return array;
    }

    /** {@return the record class} */
    public Class<R> type() {
        return type;
    }

    /**
     * {@return the C struct layout of the record: one member per component, named after it, with
     * padding named {@code _pad0}, {@code _pad1}, ...} An array is a sequence layout of its
     * elements, a string a sequence layout of bytes, a nested record its own struct layout. Its
     * alignment is that of its most aligned field.
     */
    public StructLayout layout() {
        return layout;
    }

    /** {@return the size of every encoding, in bytes: the struct's {@code sizeof}} */
    public long byteSize() {
        return size;
    }

    /**
     * {@return the offset of component {@code name} in an encoding} A dotted path reaches into
     * nested records: {@code "quote.bid"}.
     *
     * @throws IllegalArgumentException if there is no such component
     */
    public long offsetOf(String name) {
        return field(Objects.requireNonNull(name, "name")).offset();
    }

    /**
     * {@return the field that component {@code path} is stored in, to read and write it in place}
     * A dotted path reaches into nested records: {@code "quote.bid"}. Resolve a field once and keep
     * it; reading and writing through it allocates nothing.
     *
     * @throws NullPointerException     if {@code path} is null
     * @throws IllegalArgumentException if there is no such component
     */
    public RecordField field(String path) {
        Objects.requireNonNull(path, "path");
        List<RecordField> level = fields;
        RecordField found = null;
        int start = 0;
        while (true) {
            int dot = path.indexOf('.', start);
            String name = path.substring(start, dot < 0 ? path.length() : dot);
            found = null;
            for (RecordField field : level) {
                if (field.componentName().equals(name)) {
                    found = field;
                    break;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("path=" + path + " names no component of " + type.getName());
            }
            if (dot < 0) {
                return found;
            }
            level = found.fields();
            start = dot + 1;
        }
    }

    /** {@return the fields of the record's components, in declaration order} */
    public List<RecordField> fields() {
        return fields;
    }

    @Override
    public OptionalLong fixedSize() {
        return OptionalLong.of(size);
    }

    /**
     * {@inheritDoc} Every record of this codec encodes to {@link #fixedSize()} bytes.
     *
     * @throws NullPointerException if {@code value} is null (a record codec does not encode null)
     */
    @Override
    public long encodedSize(R value) {
        Objects.requireNonNull(value, "value");
        return size;
    }

    /**
     * {@inheritDoc}
     *
     * <p>If a component cannot be encoded, throws before writing it; the components before it
     * have been written.
     *
     * @throws NullPointerException     if {@code value}, or a string, array or record component of
     *                                  it, is null
     * @throws IllegalArgumentException if an array component's length differs from its
     *                                  {@link Length}, or a string component is longer than its
     *                                  {@link MaxLength} or holds a NUL (the message names the
     *                                  component)
     */
    @Override
    public long encode(R value, MemorySegment target, long offset) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        Objects.requireNonNull(target, "target");
        if (target.byteSize() - offset < size) {
            return -size;
        }
        try {
            encoder.invokeExact((Object) value, target, offset);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("a record accessor threw a checked exception", t);
        }
        return size;
    }

    /**
     * {@inheritDoc}
     *
     * @throws MalformedMessageException if {@code source} is not exactly {@link #byteSize()} long
     */
    @Override
    public R decode(MemorySegment source) {
        Objects.requireNonNull(source, "source");
        if (source.byteSize() != size) {
            throw new MalformedMessageException(toString(), "its length " + source.byteSize()
                    + " differs from the record's size " + size);
        }
        return decode(source, 0);
    }

    /**
     * {@return the record encoded at {@code offset} of {@code source}}
     *
     * @throws IndexOutOfBoundsException if the encoding would reach past the end of {@code source}
     */
    public R decode(MemorySegment source, long offset) {
        Objects.requireNonNull(source, "source");
        try {
            return type.cast((Object) decoder.invokeExact(source, offset));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("a canonical constructor threw a checked exception", t);
        }
    }

    /**
     * {@return C declarations of the struct this codec writes, with fixed-width types and explicit
     * padding: those of nested records first, each once, then the record's own} They need
     * {@code <stdint.h>} and {@code <stdbool.h>}; {@link #cHeader()} is a whole header.
     *
     * @throws IllegalStateException if two different nested record classes have the same simple
     *         name, or a component's name is a C keyword
     */
    public String cDeclaration() {
        return CDeclarations.structs(this);
    }

    /**
     * {@return a C header for peers: an include guard, the includes, {@link #cDeclaration()}, and a
     * {@code _Static_assert} of every size and offset, so that a compiler that would lay the struct
     * out otherwise refuses it} The guard is {@code PIPC_RECORD_} and the record's simple name in
     * upper case.
     *
     * @throws IllegalStateException as {@link #cDeclaration()} does
     */
    public String cHeader() {
        return CDeclarations.header(this);
    }

    Member[] members() {
        return members;
    }

    @Override
    public String toString() {
        return "RecordCodec[" + type.getName() + ", " + size + " bytes]";
    }
}
