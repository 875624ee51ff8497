package org.panamaipc.codec;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One component of a record as a {@link RecordCodec} lays it out: what kind of field it is, where
 * it starts and how many bytes it takes. Derived once, when the codec is made; every check that
 * can refuse a record type is here, and each names the component it refuses.
 *
 * @param component the record component
 * @param owner     the record class that declares it
 * @param kind      what kind of field it is
 * @param element   the layout of the value, or of one element of an array, or a byte of a string
 *                  (unaligned); {@code null} for a nested record
 * @param count     the number of elements of an array, the most bytes of a string; 1 otherwise
 * @param offset    where the field starts, from the start of the owner's encoding
 * @param byteSize  how many bytes the field takes
 * @param alignment the field's C alignment
 * @param nested    the codec of a nested record; {@code null} otherwise
 */
record Member(RecordComponent component, Class<?> owner, Kind kind, ValueLayout element, int count,
              long offset, long byteSize, long alignment, RecordCodec<?> nested) {

    /** What a component is stored as. */
    enum Kind {
        /** A primitive: one C scalar. */
        PRIMITIVE,
        /** A primitive array with {@link Length}: a C array. */
        ARRAY,
        /** A {@code String} with {@link MaxLength}: a NUL-padded C {@code char} array of UTF-8. */
        STRING,
        /** A record of these kinds: a nested C struct. */
        RECORD
    }

    /** Unaligned, in native byte order: an encoding may start at any offset of any segment. */
    static final Map<Class<?>, ValueLayout> LAYOUTS = Map.of(
            byte.class, ValueLayout.JAVA_BYTE,
            boolean.class, ValueLayout.JAVA_BOOLEAN,
            short.class, ValueLayout.JAVA_SHORT_UNALIGNED,
            char.class, ValueLayout.JAVA_CHAR_UNALIGNED,
            int.class, ValueLayout.JAVA_INT_UNALIGNED,
            float.class, ValueLayout.JAVA_FLOAT_UNALIGNED,
            long.class, ValueLayout.JAVA_LONG_UNALIGNED,
            double.class, ValueLayout.JAVA_DOUBLE_UNALIGNED);

    private static final Map<Class<?>, String> C_TYPES = Map.of(
            byte.class, "int8_t",
            boolean.class, "bool",
            short.class, "int16_t",
            char.class, "uint16_t",
            int.class, "int32_t",
            float.class, "float",
            long.class, "int64_t",
            double.class, "double");

    /** The largest encoding a record codec lays out, so that every offset fits in an {@code int}. */
    static final long MAX_SIZE = Integer.MAX_VALUE;

    /**
     * Lays out {@code component} of {@code owner} at the first offset from {@code end} on that its
     * alignment allows.
     *
     * @param enclosing the records being laid out around this one, outermost first, to refuse a
     *                  record that contains itself
     * @throws IllegalArgumentException if the component cannot be laid out, naming it
     */
    static Member place(Class<?> owner, RecordComponent component, long end, MethodHandles.Lookup lookup,
                        List<Class<?>> enclosing) {
        Class<?> type = component.getType();
        Length length = component.getAnnotation(Length.class);
        MaxLength maxLength = component.getAnnotation(MaxLength.class);
        String where = describe(owner, component.getName());
        if (length != null && !type.isArray()) {
            throw new IllegalArgumentException(where + ": @Length applies to a primitive array, not to "
                    + type.getTypeName());
        }
        if (maxLength != null && type != String.class) {
            throw new IllegalArgumentException(where + ": @MaxLength applies to a String, not to "
                    + type.getTypeName());
        }
        Kind kind;
        ValueLayout element = null;
        int count = 1;
        long size;
        long alignment;
        RecordCodec<?> nested = null;
        if (type.isPrimitive()) {
            kind = Kind.PRIMITIVE;
            element = LAYOUTS.get(type);
            size = element.byteSize();
            alignment = size;
        } else if (type.isArray() && type.getComponentType().isPrimitive()) {
            if (length == null) {
                throw new IllegalArgumentException(where + ": an array needs its length, as in @Length(16) "
                        + type.getTypeName() + " " + component.getName());
            }
            if (length.value() < 1) {
                throw new IllegalArgumentException(where + ": @Length(" + length.value()
                        + ") must be at least 1 (C has no empty arrays)");
            }
            kind = Kind.ARRAY;
            element = LAYOUTS.get(type.getComponentType());
            count = length.value();
            size = element.byteSize() * count;
            alignment = element.byteSize();
        } else if (type == String.class) {
            if (maxLength == null) {
                throw new IllegalArgumentException(where + ": a String needs its most bytes of UTF-8, as in "
                        + "@MaxLength(32) String " + component.getName());
            }
            if (maxLength.value() < 1) {
                throw new IllegalArgumentException(where + ": @MaxLength(" + maxLength.value()
                        + ") must be at least 1");
            }
            kind = Kind.STRING;
            element = ValueLayout.JAVA_BYTE;
            count = maxLength.value();
            size = count;
            alignment = 1;
        } else if (type.isRecord()) {
            if (enclosing.contains(type)) {
                throw new IllegalArgumentException(where + ": " + type.getName()
                        + " would contain itself, which has no finite size");
            }
            List<Class<?>> inner = new ArrayList<>(enclosing);
            inner.add(type);
            try {
                nested = new RecordCodec<>(lookup, type.asSubclass(Record.class), inner);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            if (nested.byteSize() == 0) {
                throw new IllegalArgumentException(where + ": " + type.getName()
                        + " has no components, and C has no empty struct");
            }
            kind = Kind.RECORD;
            size = nested.byteSize();
            alignment = nested.layout().byteAlignment();
        } else {
            throw new IllegalArgumentException(where + ": " + type.getTypeName() + " is not a supported type;"
                    + " use a primitive, a fixed-length primitive array with @Length, a String with"
                    + " @MaxLength, or a record of those");
        }
        long offset = end + (alignment - end % alignment) % alignment;
        if (offset + size > MAX_SIZE) {
            throw new IllegalArgumentException(where + ": the record would take more than " + MAX_SIZE + " bytes");
        }
        return new Member(component, owner, kind, element, count, offset, size, alignment, nested);
    }

    /** {@return how messages name a component: "component 'price' of com.example.Tick"} */
    static String describe(Class<?> owner, String name) {
        return "component '" + name + "' of " + owner.getName();
    }

    /** {@return the component's name} */
    String name() {
        return component.getName();
    }

    /** {@return the component's Java type} */
    Class<?> type() {
        return component.getType();
    }

    /** {@return how messages name this component} */
    String describe() {
        return describe(owner, name());
    }

    /** {@return the member layout of the struct: aligned as C aligns it, named after the component} */
    MemoryLayout layout() {
        MemoryLayout aligned = switch (kind) {
            case PRIMITIVE -> element.withByteAlignment(alignment);
            case ARRAY -> MemoryLayout.sequenceLayout(count, element.withByteAlignment(alignment));
            case STRING -> MemoryLayout.sequenceLayout(count, ValueLayout.JAVA_BYTE);
            case RECORD -> nested.layout();
        };
        return aligned.withName(name());
    }

    /** {@return the C declaration of the field, without the semicolon: "int32_t samples[16]"} */
    String cDeclaration() {
        return switch (kind) {
            case PRIMITIVE -> C_TYPES.get(type()) + " " + name();
            case ARRAY -> C_TYPES.get(type().getComponentType()) + " " + name() + "[" + count + "]";
            case STRING -> "char " + name() + "[" + count + "]";
            case RECORD -> "struct " + nested.type().getSimpleName() + " " + name();
        };
    }
}
