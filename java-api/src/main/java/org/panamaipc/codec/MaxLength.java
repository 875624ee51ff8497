package org.panamaipc.codec;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The most bytes of UTF-8 that a {@code String} component of a record may take in a
 * {@link RecordCodec}'s encoding: the string is stored in place as a C {@code char} array of
 * exactly that many bytes, NUL-padded.
 *
 * {@snippet lang=java :
 * record Order(long id, @MaxLength(16) String symbol) {}   // struct Order { int64_t id; char symbol[16]; };
 * }
 *
 * <p>The bound counts bytes of UTF-8, not {@code char}s: {@code "€"} takes 3. A string whose
 * encoding is longer is refused with an {@link IllegalArgumentException}, never cut. A string of
 * exactly the bound has no terminating NUL in the array; C reads it with
 * {@code strnlen(order.symbol, sizeof order.symbol)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface MaxLength {

    /** {@return the most bytes of UTF-8, at least 1} */
    int value();
}
