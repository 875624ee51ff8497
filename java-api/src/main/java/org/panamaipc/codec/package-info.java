/**
 * Codecs: values of a Java type as the bytes of a message, written straight into a transport's
 * buffer. {@link org.panamaipc.codec.Codec} is the interface; {@link org.panamaipc.codec.RecordCodec}
 * lays records of primitive fields out as C structs. Independent of any transport.
 */
package org.panamaipc.codec;
