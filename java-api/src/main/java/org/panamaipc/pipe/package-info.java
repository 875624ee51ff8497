/**
 * Named pipes (FIFOs, {@code mkfifo(3)}): a file-system name for a kernel pipe, which unrelated
 * processes open for reading or writing, as {@link java.nio.channels.ReadableByteChannel}s and
 * {@link java.nio.channels.WritableByteChannel}s. See {@link org.panamaipc.pipe.NamedPipe}.
 */
package org.panamaipc.pipe;
