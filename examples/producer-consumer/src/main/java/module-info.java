/**
 * A producer and a consumer in two JVMs, talking through a panama-ipc ring channel. Run on the
 * module path, the JVM needs {@code --enable-native-access=org.panamaipc,org.panamaipc.bindings};
 * the two modules are the ones the {@code panama-ipc} artifact brings.
 */
module com.example.quotes {
    requires org.panamaipc;
}
