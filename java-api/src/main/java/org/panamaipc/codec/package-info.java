/**
 * Codecs: values of a Java type as the bytes of a message, written straight into a transport's
 * buffer. {@link org.panamaipc.codec.Codec} is the interface; {@link org.panamaipc.codec.RecordCodec}
 * lays records of primitives, fixed-length arrays ({@link org.panamaipc.codec.Length}), bounded
 * strings ({@link org.panamaipc.codec.MaxLength}) and nested records out as C structs, and
 * {@link org.panamaipc.codec.RecordField} reads and writes one field of such a struct in place.
 * Independent of any transport.
 */
package org.panamaipc.codec;
