package org.panamaipc.codec;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A codec for records whose components are all primitives, laid out as the C compiler lays out a
 * struct of the same fields in the same order: each field at the next offset that is a multiple of
 * its size, the whole padded to a multiple of the largest field. Encoding writes each component
 * straight into the target, in native byte order, and allocates nothing; decoding reads them and
 * calls the canonical constructor. Every encoding is {@link #byteSize()} bytes.
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
 * //     double price;       // offset 8
 * //     int32_t quantity;   // offset 16
 * //     bool buy;           // offset 20
 * //     uint8_t _pad0[3];
 * // };
 * }
 *
 * <p>The layout ({@link #layout()}) names each field after its component, so a C header for peers
 * can be generated from it, and it is what a test holds equal to such a header. Fields are read and
 * written without alignment checks, so encodings may start at any offset of any segment, heap
 * segments included.
 *
 * <p>The layout is derived once per record class by reflection over its components. The codec needs
 * access to the record's accessors and canonical constructor: {@link #of(Class)} makes them
 * accessible, which works for any record on the class path and in packages open to
 * {@code org.panamaipc}; for others pass a lookup with {@link #of(MethodHandles.Lookup, Class)}.
 *
 * @param <R> the record type
 */
public final class RecordCodec<R extends Record> implements Codec<R> {

    private static final Map<Class<?>, ValueLayout> LAYOUTS = Map.of(
            byte.class, ValueLayout.JAVA_BYTE,
            boolean.class, ValueLayout.JAVA_BOOLEAN,
            short.class, ValueLayout.JAVA_SHORT,
            char.class, ValueLayout.JAVA_CHAR,
            int.class, ValueLayout.JAVA_INT,
            float.class, ValueLayout.JAVA_FLOAT,
            long.class, ValueLayout.JAVA_LONG,
            double.class, ValueLayout.JAVA_DOUBLE);

    private static final Map<Class<?>, String> C_TYPES = Map.of(
            byte.class, "int8_t",
            boolean.class, "bool",
            short.class, "int16_t",
            char.class, "uint16_t",
            int.class, "int32_t",
            float.class, "float",
            long.class, "int64_t",
            double.class, "double");

    private static final ClassValue<RecordCodec<?>> CACHE = new ClassValue<>() {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected RecordCodec<?> computeValue(Class<?> type) {
            return new RecordCodec(null, type.asSubclass(Record.class));
        }
    };

    private static final MethodHandle ADD;

    static {
        try {
            ADD = MethodHandles.lookup().findStatic(RecordCodec.class, "add",
                    MethodType.methodType(long.class, long.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Class<R> type;
    private final StructLayout layout;
    private final RecordComponent[] components;
    private final long[] offsets;
    private final long size;
    /** {@code (Object record, MemorySegment target, long offset) void} */
    private final MethodHandle encoder;
    /** {@code (MemorySegment source, long offset) Object} */
    private final MethodHandle decoder;

    private RecordCodec(MethodHandles.Lookup lookup, Class<R> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        this.type = type;
        this.components = type.getRecordComponents();
        this.offsets = new long[components.length];
        List<MemoryLayout> members = new ArrayList<>();
        long offset = 0;
        long maxAlignment = 1;
        int pads = 0;
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            ValueLayout field = LAYOUTS.get(component.getType());
            if (field == null) {
                throw new IllegalArgumentException("component " + component.getName() + " of " + type.getName()
                        + " is of type " + component.getType().getName()
                        + "; a record codec takes only byte, short, char, int, long, float, double and boolean");
            }
            long alignment = field.byteSize();
            long padding = (alignment - offset % alignment) % alignment;
            if (padding > 0) {
                members.add(MemoryLayout.paddingLayout(padding).withName("_pad" + pads++));
                offset += padding;
            }
            members.add(field.withName(component.getName()));
            offsets[i] = offset;
            offset += field.byteSize();
            maxAlignment = Math.max(maxAlignment, alignment);
        }
        long tail = (maxAlignment - offset % maxAlignment) % maxAlignment;
        if (tail > 0) {
            members.add(MemoryLayout.paddingLayout(tail).withName("_pad" + pads));
            offset += tail;
        }
        this.size = offset;
        this.layout = MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new)).withName(type.getSimpleName());
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
     * @throws IllegalArgumentException if {@code type} is not a record, has a component of a
     *         non-primitive type, or its members cannot be made accessible
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> RecordCodec<R> of(Class<R> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        return (RecordCodec<R>) CACHE.get(type);
    }

    /**
     * {@return a codec for {@code type} that reaches its accessors and canonical constructor
     * through {@code lookup}} For records in modules that do not open their package to
     * {@code org.panamaipc}.
     */
    public static <R extends Record> RecordCodec<R> of(MethodHandles.Lookup lookup, Class<R> type) {
        return new RecordCodec<>(lookup, type);
    }

    private MethodHandle accessor(MethodHandles.Lookup lookup, RecordComponent component)
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
        for (int i = 0; i < components.length; i++) {
            Class<?> fieldType = components[i].getType();
            // (MemorySegment, long, T) void, writing at offset + offsets[i], unaligned
            MethodHandle set = unaligned(fieldType).varHandle().toMethodHandle(VarHandle.AccessMode.SET);
            set = MethodHandles.filterArguments(set, 1, MethodHandles.insertArguments(ADD, 1, offsets[i]));
            MethodHandle get = accessor(lookup, components[i])
                    .asType(MethodType.methodType(fieldType, Object.class));
            set = MethodHandles.filterArguments(set, 2, get); // (MemorySegment, long, Object) void
            MethodHandle write = MethodHandles.permuteArguments(set, shape, 1, 2, 0);
            all = MethodHandles.foldArguments(all, write);
        }
        return all;
    }

    private MethodHandle decoder(MethodHandles.Lookup lookup) throws ReflectiveOperationException {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
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
        for (int i = components.length - 1; i >= 0; i--) {
            MethodHandle get = unaligned(types[i]).varHandle().toMethodHandle(VarHandle.AccessMode.GET);
            get = MethodHandles.filterArguments(get, 1, MethodHandles.insertArguments(ADD, 1, offsets[i]));
            construct = MethodHandles.collectArguments(construct, i, get);
        }
        int[] reorder = new int[2 * components.length];
        for (int i = 0; i < components.length; i++) {
            reorder[2 * i] = 0;
            reorder[2 * i + 1] = 1;
        }
        MethodHandle merged = MethodHandles.permuteArguments(construct,
                MethodType.methodType(type, MemorySegment.class, long.class), reorder);
        return merged.asType(MethodType.methodType(Object.class, MemorySegment.class, long.class));
    }

    private static ValueLayout unaligned(Class<?> fieldType) {
        return LAYOUTS.get(fieldType).withByteAlignment(1);
    }

    @SuppressWarnings("unused") // through ADD
    private static long add(long base, long offset) {
        return base + offset;
    }

    /** {@return the record class} */
    public Class<R> type() {
        return type;
    }

    /**
     * {@return the C struct layout of the record: one field per component, named after it, with
     * padding named {@code _pad0}, {@code _pad1}, ...} Its alignment is that of its largest field.
     */
    public StructLayout layout() {
        return layout;
    }

    /** {@return the size of every encoding, in bytes: the struct's {@code sizeof}} */
    public long byteSize() {
        return size;
    }

    /** {@return the offset of component {@code name} in an encoding} */
    public long offsetOf(String name) {
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name)) {
                return offsets[i];
            }
        }
        throw new IllegalArgumentException("name=" + name + " is not a component of " + type.getName());
    }

    @Override
    public OptionalLong fixedSize() {
        return OptionalLong.of(size);
    }

    @Override
    public long encode(R value, MemorySegment target, long offset) {
        if (value == null) {
            throw new NullPointerException("value");
        }
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
        if (source.byteSize() != size) {
            throw new MalformedMessageException(toString(), "its length " + source.byteSize()
                    + " differs from the record's size " + size);
        }
        return decode(source, 0);
    }

    /** {@return the record encoded at {@code offset} of {@code source}} */
    public R decode(MemorySegment source, long offset) {
        try {
            return type.cast((Object) decoder.invokeExact(source, offset));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("a canonical constructor threw a checked exception", t);
        }
    }

    /**
     * {@return a C declaration of the struct this codec writes, with fixed-width types and explicit
     * padding, for a header that C peers include}
     */
    public String cDeclaration() {
        StringBuilder sb = new StringBuilder("struct ").append(type.getSimpleName()).append(" {\n");
        int component = 0;
        for (MemoryLayout member : layout.memberLayouts()) {
            String memberName = member.name().orElseThrow();
            if (member instanceof ValueLayout) {
                sb.append("    ").append(C_TYPES.get(components[component].getType())).append(' ')
                        .append(memberName).append("; // offset ").append(offsets[component]).append('\n');
                component++;
            } else {
                sb.append("    uint8_t ").append(memberName).append('[').append(member.byteSize()).append("];\n");
            }
        }
        return sb.append("};\n").toString();
    }

    @Override
    public String toString() {
        return "RecordCodec[" + type.getName() + ", " + size + " bytes]";
    }
}
