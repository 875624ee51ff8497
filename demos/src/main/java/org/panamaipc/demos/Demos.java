package org.panamaipc.demos;

import java.util.List;
import java.util.Optional;

/** The demos that {@code ipc demo} knows, by name. */
public final class Demos {

    /** The name of the demo that {@code ipc demo} runs when given none. */
    public static final String DEFAULT = BoundedBufferDemo.NAME;

    private static final List<Demo> ALL = List.of(new BoundedBufferDemo(), new SharedMemoryPingPong(), new MessageQueueDemo(),
            new HandoffDemo(),
            new RendezvousDemo(),
            new BroadcastDemo());

    private Demos() {
    }

    /** {@return every demo, the default first} */
    public static List<Demo> all() {
        return ALL;
    }

    /** {@return the demo called {@code name}, if there is one} */
    public static Optional<Demo> find(String name) {
        return ALL.stream().filter(demo -> demo.name().equals(name)).findFirst();
    }
}
