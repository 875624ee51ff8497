package org.panamaipc.demos;

import java.util.List;
import java.util.Optional;

/**
 * The demos that {@code ipc demo} knows, by name. A new demo joins with one line in
 * {@link #ALL}: a class of this package that implements {@link Demo}, with a {@code main} that runs
 * it alone and a {@code run} that {@code ipc demo NAME} calls.
 */
public final class Demos {

    /** The name of the demo that {@code ipc demo} runs when given none. */
    public static final String DEFAULT = BoundedBufferDemo.NAME;

    /** Every demo, in the order {@code ipc demo --list} shows them: one line each. */
    private static final List<Demo> ALL = List.of(
            new BoundedBufferDemo(),
            new SharedMemoryPingPong(),
            new MessageQueueDemo(),
            new CPeerDemo(),
            new HandoffDemo());

    private Demos() {
    }

    /** {@return every demo, the default first} */
    public static List<Demo> all() {
        return ALL;
    }

    /** {@return the demo called {@code name} or known by it as an alias, if there is one} */
    public static Optional<Demo> find(String name) {
        return ALL.stream().filter(demo -> demo.name().equals(name) || demo.aliases().contains(name)).findFirst();
    }
}
