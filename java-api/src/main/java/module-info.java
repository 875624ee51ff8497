/**
 * panama-ipc: OS-level inter-process communication for Java through the Foreign Function and
 * Memory API, between separate processes: POSIX shared memory, named and anonymous
 * ({@code org.panamaipc.shm}), futex-based synchronisation ({@code org.panamaipc.sync}), lock-free
 * ring channels ({@code org.panamaipc.channel}), POSIX message queues ({@code org.panamaipc.mq}),
 * codecs for typed messages ({@code org.panamaipc.codec}), process liveness
 * ({@code org.panamaipc.process}), named pipes ({@code org.panamaipc.pipe}) and Unix-domain
 * sockets that pass descriptors and know their peer ({@code org.panamaipc.socket}).
 * Every family follows one convention, described in the package {@code org.panamaipc}.
 *
 * <p>Failures of the operating system are {@link org.panamaipc.IpcException}s, one subclass per
 * cause. The module needs native access: {@code --enable-native-access=org.panamaipc,org.panamaipc.bindings}
 * on the module path, {@code --enable-native-access=ALL-UNNAMED} on the class path.
 */
module org.panamaipc {
    requires org.panamaipc.bindings;

    exports org.panamaipc;
    exports org.panamaipc.shm;
    exports org.panamaipc.sync;
    exports org.panamaipc.process;
    exports org.panamaipc.channel;
    exports org.panamaipc.mq;
    exports org.panamaipc.codec;
    exports org.panamaipc.pipe;
    exports org.panamaipc.socket;
}
