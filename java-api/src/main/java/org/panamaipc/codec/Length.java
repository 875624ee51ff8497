package org.panamaipc.codec;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The number of elements of an array component of a record that a {@link RecordCodec} lays out:
 * the array is stored in place, as a C array of that many elements.
 *
 * {@snippet lang=java :
 * record Samples(long time, @Length(16) int[] values) {}   // struct Samples { int64_t time; int32_t values[16]; };
 * }
 *
 * <p>Every array encoded must have exactly this length; another length is refused with an
 * {@link IllegalArgumentException}, never padded or cut. The element type must be primitive.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Length {

    /** {@return the number of elements, at least 1} */
    int value();
}
