/** Raw FFM bindings to libc and Linux system calls, one class per C header, C names, no policy. */
package org.panamaipc.bindings;
