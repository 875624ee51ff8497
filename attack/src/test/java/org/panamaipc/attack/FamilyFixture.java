package org.panamaipc.attack;

import org.panamaipc.broadcast.Broadcast;
import org.panamaipc.broadcast.BroadcastHandler;
import org.panamaipc.broadcast.BroadcastOptions;
import org.panamaipc.broadcast.Publisher;
import org.panamaipc.broadcast.SlowSubscriberPolicy;
import org.panamaipc.broadcast.Subscriber;
import org.panamaipc.pipe.NamedPipe;
import org.panamaipc.pipe.PipeReader;
import org.panamaipc.pipe.PipeWriter;
import org.panamaipc.rendezvous.Rendezvous;
import org.panamaipc.rendezvous.RendezvousHandler;
import org.panamaipc.rendezvous.RendezvousOptions;
import org.panamaipc.rendezvous.RendezvousReceiver;
import org.panamaipc.rendezvous.RendezvousSender;
import org.panamaipc.socket.Attachments;
import org.panamaipc.socket.DescriptorServer;
import org.panamaipc.socket.DescriptorSocket;
import org.panamaipc.socket.Received;
import org.panamaipc.sync.EventCounter;
import org.panamaipc.unbounded.LinkHandler;
import org.panamaipc.unbounded.UnboundedLink;
import org.panamaipc.unbounded.UnboundedOptions;
import org.panamaipc.unbounded.UnboundedReceiver;
import org.panamaipc.unbounded.UnboundedSender;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Executable;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The objects of the newer families (named pipes, descriptor sockets, broadcast, rendezvous,
 * unbounded links, event counters) for one bad-input case, made through its {@link Fixture} so
 * that they are closed, and their names and paths removed, with it. Pipes and sockets live in a
 * directory of the fixture's own under /tmp (short enough for a socket's 107 bytes).
 */
final class FamilyFixture {

    static final Duration SETUP = Duration.ofSeconds(5);

    private final Fixture f;
    private Path dir;
    private int paths;

    FamilyFixture(Fixture f) {
        this.f = f;
    }

    /** {@return the fixture's own directory, made on first use} */
    Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory(Path.of("/tmp"), "atk-m");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** {@return a path in the fixture's directory where nothing is yet} */
    Path freshPath(String label) {
        return dir().resolve(label + "-" + (++paths));
    }

    /** Removes the directory and what is in it (FIFOs and socket files). */
    void delete() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a case's thread may still be making something: it goes with /tmp's cleaning
        }
    }

    NamedPipe pipe() {
        return f.keep(NamedPipe.create(f.named(freshPath("pipe"))));
    }

    PipeReader reader(NamedPipe pipe) {
        return f.keep(pipe.tryOpenReader());
    }

    PipeWriter writer(NamedPipe pipe) {
        PipeWriter w = pipe.tryOpenWriter();
        if (w == null) {
            throw new IllegalStateException("no reader for " + pipe);
        }
        return f.keep(w);
    }

    DescriptorServer server() {
        return f.keep(DescriptorServer.create(f.named(freshPath("sock"))));
    }

    /** {@return a connected pair: the client's end, then the server's} */
    DescriptorSocket[] connected() throws InterruptedException {
        DescriptorServer server = server();
        DescriptorSocket client = f.keep(DescriptorSocket.open(server.path()));
        DescriptorSocket accepted = server.accept(SETUP);
        if (accepted == null) {
            throw new IllegalStateException("no connection accepted on " + server);
        }
        return new DescriptorSocket[] {client, f.keep(accepted)};
    }

    /** {@return a message of 8 bytes and one event counter, received} */
    Received received() throws InterruptedException {
        DescriptorSocket[] pair = connected();
        pair[0].send(ByteBuffer.allocate(8), Attachments.of(counter()));
        Received r = pair[1].receive(SETUP);
        if (r == null) {
            throw new IllegalStateException("nothing received on " + pair[1]);
        }
        return f.keep(r);
    }

    EventCounter counter() {
        return f.keep(EventCounter.create());
    }

    static BroadcastOptions broadcastOptions(SlowSubscriberPolicy policy) {
        return BroadcastOptions.of(policy).capacity(16).maxMessageLength(256).subscriberSlots(4);
    }

    Broadcast broadcast(SlowSubscriberPolicy policy) {
        return f.keep(Broadcast.create(f.fresh("bcast"), broadcastOptions(policy)));
    }

    Publisher publisher(Broadcast b) {
        return f.keep(b.publisher());
    }

    Subscriber subscriber(Broadcast b) {
        return f.keep(b.subscribe());
    }

    static RendezvousOptions rendezvousOptions() {
        return RendezvousOptions.of(256).senderSlots(4).receiverSlots(4);
    }

    Rendezvous rendezvous() {
        return f.keep(Rendezvous.create(f.fresh("rdv"), rendezvousOptions()));
    }

    RendezvousSender sender(Rendezvous r) {
        return f.keep(r.sender());
    }

    RendezvousReceiver receiver(Rendezvous r) {
        return f.keep(r.receiver());
    }

    static UnboundedOptions unboundedOptions() {
        return UnboundedOptions.of(256).ringCapacity(4096).spillSegmentSize(64 * 1024).memoryCap(256 * 1024);
    }

    UnboundedLink link() {
        return f.keep(UnboundedLink.create(f.fresh("link"), unboundedOptions()));
    }

    UnboundedSender sender(UnboundedLink l) {
        return f.keep(l.sender());
    }

    UnboundedReceiver receiver(UnboundedLink l) {
        return f.keep(l.receiver());
    }

    /** {@return a fresh instance of a newer family's type, or null if {@code type} is not one} */
    Object make(Class<?> type) throws InterruptedException {
        if (type == NamedPipe.class) {
            return pipe();
        } else if (type == PipeReader.class) {
            NamedPipe p = pipe();
            PipeReader r = reader(p);
            try {
                writer(p).write(ByteBuffer.allocate(8)); // bytes wait: a read that ignores a bad argument returns at once
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return r;
        } else if (type == PipeWriter.class) {
            NamedPipe p = pipe();
            reader(p);
            return writer(p);
        } else if (type == DescriptorServer.class) {
            return server();
        } else if (type == DescriptorSocket.class) {
            DescriptorSocket[] pair = connected();
            pair[0].send(ByteBuffer.allocate(8), Attachments.none()); // a message waits for the server's end
            return pair[1];
        } else if (type == Received.class) {
            return received();
        } else if (type == Attachments.class) {
            return Attachments.of(counter());
        } else if (type == EventCounter.class) {
            return counter();
        } else if (type == BroadcastOptions.class) {
            return broadcastOptions(SlowSubscriberPolicy.LOSSY);
        } else if (type == Broadcast.class) {
            return broadcast(SlowSubscriberPolicy.LOSSY);
        } else if (type == Publisher.class) {
            Broadcast b = broadcast(SlowSubscriberPolicy.LOSSY);
            subscriber(b);
            return publisher(b);
        } else if (type == Subscriber.class) {
            Broadcast b = broadcast(SlowSubscriberPolicy.LOSSY);
            Subscriber s = subscriber(b);
            publisher(b).trySend(1, new byte[8]); // a message waits
            return s;
        } else if (type == RendezvousOptions.class) {
            return rendezvousOptions();
        } else if (type == Rendezvous.class) {
            return rendezvous();
        } else if (type == RendezvousSender.class) {
            Rendezvous r = rendezvous();
            receiver(r);
            return sender(r);
        } else if (type == RendezvousReceiver.class) {
            Rendezvous r = rendezvous();
            sender(r);
            return receiver(r);
        } else if (type == UnboundedOptions.class) {
            return unboundedOptions();
        } else if (type == org.panamaipc.message.Mailbox.class) {
            return f.keep(org.panamaipc.message.Mailbox.create(f.fresh("mbox"), org.panamaipc.message.MailboxOptions.ring(),
                    org.panamaipc.codec.Codec.bytes()));
        } else if (type == org.panamaipc.message.Port.class) {
            return f.keep(org.panamaipc.message.Port.create(f.fresh("port"), org.panamaipc.message.MailboxOptions.ring(),
                    org.panamaipc.codec.Codec.bytes()));
        } else if (type == UnboundedLink.class) {
            return link();
        } else if (type == UnboundedSender.class) {
            UnboundedLink l = link();
            receiver(l);
            return sender(l);
        } else if (type == UnboundedReceiver.class) {
            UnboundedLink l = link();
            UnboundedReceiver r = receiver(l);
            sender(l).trySend(1, new byte[8]); // a message waits
            return r;
        }
        return null;
    }

    /** {@return a plausible argument of a newer family's type, or {@link #NONE} if {@code type} is not one} */
    Object arg(Executable executable, Class<?> type, String name) {
        if (type == Path.class) {
            boolean existing = executable.getName().equals("open");
            Class<?> owner = executable.getDeclaringClass();
            if (!existing) {
                return f.named(freshPath("arg"));
            }
            return owner == NamedPipe.class ? pipe().path() : server().path();
        }
        if (type == Attachments.class) {
            return Attachments.of(counter());
        }
        if (type == EventCounter.class) {
            return counter();
        }
        if (type == EventCounter.Type.class) {
            return EventCounter.Type.COUNTER;
        }
        if (type == BroadcastOptions.class) {
            return broadcastOptions(SlowSubscriberPolicy.LOSSY);
        }
        if (type == SlowSubscriberPolicy.class) {
            return SlowSubscriberPolicy.LOSSY;
        }
        if (type == RendezvousOptions.class) {
            return rendezvousOptions();
        }
        if (type == UnboundedOptions.class) {
            return unboundedOptions();
        }
        if (type == BroadcastHandler.class) {
            return (BroadcastHandler) (h, b, o, l) -> { };
        }
        if (type == RendezvousHandler.class) {
            return (RendezvousHandler) (h, b, o, l) -> { };
        }
        if (type == org.panamaipc.message.RecordHandler.class) {
            return (org.panamaipc.message.RecordHandler) (h, b, o, l) -> { };
        }
        if (type == LinkHandler.class) {
            return (LinkHandler) (h, b, o, l) -> { };
        }
        return NONE;
    }

    /** What {@link #arg} returns for a type it does not know. */
    static final Object NONE = new Object();
}
