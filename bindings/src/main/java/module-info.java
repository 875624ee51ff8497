/**
 * Raw Foreign Function and Memory bindings to the parts of libc and the Linux kernel that
 * panama-ipc uses: POSIX shared memory, {@code mmap}, POSIX message queues, the futex system call,
 * {@code poll}, clocks and signals.
 *
 * <p>The classes follow the shape jextract generates: one class per C header named after it
 * ({@code mman_h}, {@code mqueue_h}, ...), static methods with the C names and C argument types,
 * constants as static methods, and one class per struct with {@code layout()}, {@code field$offset()}
 * and accessors. Nothing here decides policy or throws on a failed call: a function returns what
 * C returns, and {@link org.panamaipc.bindings.errno_h#errno()} gives the {@code errno} that the
 * last call on the current thread left behind. The typed API in {@code org.panamaipc} is the only
 * intended caller.
 *
 * <p>Callers need native access: {@code --enable-native-access=org.panamaipc.bindings} on the module
 * path, or {@code --enable-native-access=ALL-UNNAMED} on the class path.
 */
module org.panamaipc.bindings {
    exports org.panamaipc.bindings;
}
