/** Named POSIX shared-memory segments ({@code shm_open} and {@code mmap}) as bounded {@code MemorySegment}s. */
package org.panamaipc.shm;
