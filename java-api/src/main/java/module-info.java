/**
 * panama-ipc: OS-level inter-process communication for Java through the Foreign Function and
 * Memory API. POSIX shared memory (named and anonymous), futex-based synchronisation, ring
 * channels, POSIX message queues, codecs for typed messages, named pipes, and Unix-domain sockets
 * that pass descriptors and know their peer; in later packages, mailboxes and request/reply
 * between separate processes.
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
