package org.panamaipc.attack;

import org.panamaipc.Outcome;
import org.panamaipc.broadcast.Broadcast;
import org.panamaipc.broadcast.Publisher;
import org.panamaipc.broadcast.SlowSubscriberPolicy;
import org.panamaipc.broadcast.Subscriber;
import org.panamaipc.pipe.NamedPipe;
import org.panamaipc.pipe.PipeReader;
import org.panamaipc.pipe.PipeWriter;
import org.panamaipc.rendezvous.Rendezvous;
import org.panamaipc.rendezvous.RendezvousReceiver;
import org.panamaipc.rendezvous.RendezvousSender;
import org.panamaipc.socket.Attachments;
import org.panamaipc.socket.DescriptorServer;
import org.panamaipc.socket.DescriptorSocket;
import org.panamaipc.socket.Received;
import org.panamaipc.sync.EventCounter;
import org.panamaipc.unbounded.UnboundedLink;
import org.panamaipc.unbounded.UnboundedReceiver;
import org.panamaipc.unbounded.UnboundedSender;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Predicate;

import static org.panamaipc.attack.DurationCases.add;

/**
 * The Duration rule (see {@link DurationCases}) for the newer families: named pipes, descriptor
 * sockets, broadcast, rendezvous, unbounded links and event counters. Each row says what "nothing
 * happened" is for that call, as its Javadoc does, and how another party makes it succeed.
 */
final class FamilyDurationCases {

    private static final Predicate<Object> NONE = x -> x == null;
    private static final Predicate<Object> FULL = Long.valueOf(Outcome.FULL)::equals;
    private static final Predicate<Object> EMPTY = Integer.valueOf(Outcome.EMPTY)::equals;

    private FamilyDurationCases() {
    }

    static void addTo(List<MatrixCase> cases) {
        pipes(cases);
        sockets(cases);
        broadcast(cases);
        rendezvous(cases);
        unbounded(cases);
        add(cases, "EventCounter.take(Duration)", f -> {
            EventCounter c = f.families.counter();
            return new DurationCases.Wait(c::take, c::signal, Long.valueOf(0)::equals, Long.valueOf(1)::equals, () -> { });
        });
    }

    /** Starts {@code body} on a daemon thread: what a peer does, which may wait for the call under test. */
    private static void peer(String name, ThrowingRunnable body) {
        Thread.ofPlatform().name("peer " + name).daemon().start(() -> {
            try {
                body.run();
            } catch (Throwable ignored) {
                // the case judges the call under test; a peer left waiting is woken by the fixture's close
            }
        });
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void pipes(List<MatrixCase> cases) {
        add(cases, "NamedPipe.openWriter(Duration)", f -> {
            NamedPipe p = f.families.pipe();
            return new DurationCases.Wait(d -> f.keep(p.openWriter(d)), () -> f.families.reader(p), NONE,
                    x -> x instanceof PipeWriter, () -> { });
        });
        // a zero or negative timeout is tryOpenReader(), which never returns null (NamedPipe's Javadoc)
        add(cases, "NamedPipe.openReader(Duration)", f -> {
            NamedPipe p = f.families.pipe();
            return new DurationCases.Wait(d -> f.keep(p.openReader(d)),
                    () -> peer("pipe writer", () -> f.keep(p.openWriter(FamilyFixture.SETUP))),
                    x -> x instanceof PipeReader, x -> x instanceof PipeReader, () -> { });
        });
        add(cases, "PipeReader.read(ByteBuffer,Duration)", f -> {
            NamedPipe p = f.families.pipe();
            PipeReader r = f.families.reader(p);
            PipeWriter w = f.families.writer(p);
            return new DurationCases.Wait(d -> r.read(ByteBuffer.allocate(64), d), () -> write(w, 8),
                    Integer.valueOf(0)::equals, Integer.valueOf(8)::equals, () -> { });
        });
        add(cases, "PipeWriter.write(ByteBuffer,Duration)", f -> {
            NamedPipe p = f.families.pipe();
            PipeReader r = f.families.reader(p);
            PipeWriter w = f.families.writer(p);
            while (w.tryWrite(ByteBuffer.allocate(4096)) > 0) {
                // fill the pipe
            }
            return new DurationCases.Wait(d -> w.write(ByteBuffer.allocate(4096), d), () -> drain(r),
                    Integer.valueOf(0)::equals, Integer.valueOf(4096)::equals, () -> { });
        });
    }

    private static void write(PipeWriter w, int n) {
        try {
            w.write(ByteBuffer.allocate(n));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void drain(PipeReader r) {
        try {
            ByteBuffer b = ByteBuffer.allocate(1 << 16);
            while (r.tryRead(b.clear()) > 0) {
                // empty the pipe
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void sockets(List<MatrixCase> cases) {
        add(cases, "DescriptorServer.accept(Duration)", f -> {
            DescriptorServer s = f.families.server();
            return new DurationCases.Wait(d -> f.keep(s.accept(d)), () -> f.keep(DescriptorSocket.open(s.path())), NONE,
                    x -> x instanceof DescriptorSocket, () -> { });
        });
        add(cases, "DescriptorSocket.receive(Duration)", f -> {
            DescriptorSocket[] pair = f.families.connected();
            return new DurationCases.Wait(d -> f.keep(pair[1].receive(d)),
                    () -> pair[0].trySend(ByteBuffer.allocate(8), Attachments.none()), NONE,
                    x -> x instanceof Received, () -> { });
        });
        add(cases, "DescriptorSocket.send(ByteBuffer,Attachments,Duration)", f -> {
            DescriptorSocket[] pair = f.families.connected();
            while (pair[0].trySend(ByteBuffer.allocate(4096), Attachments.none()) == 0) {
                // fill the socket's buffer
            }
            return new DurationCases.Wait(d -> pair[0].send(ByteBuffer.allocate(4096), Attachments.none(), d), () -> {
                Received r;
                while ((r = pair[1].tryReceive()) != null) {
                    r.close();
                }
            }, FULL, Long.valueOf(0)::equals, () -> { });
        });
    }

    private static void broadcast(List<MatrixCase> cases) {
        for (int form = 0; form < 3; form++) {
            int fm = form;
            String sig = switch (form) {
                case 0 -> "Publisher.send(int,MemorySegment,long,int,Duration)";
                case 1 -> "Publisher.send(int,byte[],Duration)";
                default -> "Publisher.send(int,ByteBuffer,Duration)";
            };
            add(cases, sig, f -> {
                Broadcast b = f.families.broadcast(SlowSubscriberPolicy.BLOCK);
                Subscriber s = f.families.subscriber(b);
                Publisher p = f.families.publisher(b);
                while (p.trySend(1, new byte[8]) >= 0) {
                    // fill the ring: the subscriber holds the publisher back
                }
                MemorySegment source = f.memory();
                return new DurationCases.Wait(d -> switch (fm) {
                    case 0 -> p.send(1, source, 0, 8, d);
                    case 1 -> p.send(1, new byte[8], d);
                    default -> p.send(1, ByteBuffer.allocate(8), d);
                }, () -> s.poll((h, buf, o, l) -> { }, 1000), FULL, x -> x instanceof Long n && n >= 0, () -> { });
            });
        }
        receivers(cases, "Subscriber", f -> {
            Broadcast b = f.families.broadcast(SlowSubscriberPolicy.LOSSY);
            Subscriber s = f.families.subscriber(b);
            Publisher p = f.families.publisher(b);
            return new Forms(
                    (into, d) -> s.receive(into, 0, d),
                    (buffer, d) -> s.receive(buffer, d),
                    d -> s.receive((h, buf, o, l) -> { }, 1, d),
                    s::receiveBytes,
                    () -> p.trySend(1, new byte[8]));
        });
    }

    private static void rendezvous(List<MatrixCase> cases) {
        for (int form = 0; form < 3; form++) {
            int fm = form;
            String sig = switch (form) {
                case 0 -> "RendezvousSender.send(int,MemorySegment,long,int,Duration)";
                case 1 -> "RendezvousSender.send(int,byte[],Duration)";
                default -> "RendezvousSender.send(int,ByteBuffer,Duration)";
            };
            add(cases, sig, f -> {
                Rendezvous r = f.families.rendezvous();
                RendezvousReceiver receiver = f.families.receiver(r);
                RendezvousSender sender = f.families.sender(r);
                MemorySegment source = f.memory();
                MemorySegment into = f.memory();
                return new DurationCases.Wait(d -> switch (fm) {
                    case 0 -> sender.send(1, source, 0, 8, d);
                    case 1 -> sender.send(1, new byte[8], d);
                    default -> sender.send(1, ByteBuffer.allocate(8), d);
                }, () -> peer("rendezvous receiver", () -> receiver.receive(into, 0, FamilyFixture.SETUP)), FULL,
                        x -> x instanceof Long n && n >= 1, () -> { });
            });
        }
        receivers(cases, "RendezvousReceiver", f -> {
            Rendezvous r = f.families.rendezvous();
            RendezvousReceiver receiver = f.families.receiver(r);
            RendezvousSender sender = f.families.sender(r);
            return new Forms(
                    (into, d) -> receiver.receive(into, 0, d),
                    (buffer, d) -> receiver.receive(buffer, d),
                    d -> receiver.receive((h, buf, o, l) -> { }, 1, d),
                    receiver::receiveBytes,
                    () -> peer("rendezvous sender", () -> sender.send(1, new byte[8], FamilyFixture.SETUP)));
        });
    }

    private static void unbounded(List<MatrixCase> cases) {
        // a send to an unbounded link never waits: every Duration sends at once (UnboundedSender's Javadoc)
        for (int form = 0; form < 3; form++) {
            int fm = form;
            String sig = switch (form) {
                case 0 -> "UnboundedSender.send(int,MemorySegment,long,int,Duration)";
                case 1 -> "UnboundedSender.send(int,byte[],Duration)";
                default -> "UnboundedSender.send(int,ByteBuffer,Duration)";
            };
            add(cases, sig, f -> {
                UnboundedLink l = f.families.link();
                f.families.receiver(l);
                UnboundedSender s = f.families.sender(l);
                MemorySegment source = f.memory();
                Predicate<Object> sent = x -> x instanceof Long n && n >= 1;
                return new DurationCases.Wait(d -> switch (fm) {
                    case 0 -> s.send(1, source, 0, 8, d);
                    case 1 -> s.send(1, new byte[8], d);
                    default -> s.send(1, ByteBuffer.allocate(8), d);
                }, () -> { }, sent, sent, () -> { });
            });
        }
        receivers(cases, "UnboundedReceiver", f -> {
            UnboundedLink l = f.families.link();
            UnboundedReceiver r = f.families.receiver(l);
            UnboundedSender s = f.families.sender(l);
            return new Forms(
                    (into, d) -> r.receive(into, 0, d),
                    (buffer, d) -> r.receive(buffer, d),
                    d -> r.receive((h, buf, o, l2) -> { }, 1, d),
                    r::receiveBytes,
                    () -> s.trySend(1, new byte[8]));
        });
    }

    /** The four timed receives of a pattern's receiver, and how a peer sends it 8 bytes. */
    record Forms(SegmentForm segment, BufferForm buffer, DurationCases.Call handler, DurationCases.Call bytes,
                 ThrowingRunnable send) {
    }

    @FunctionalInterface
    interface SegmentForm {
        Object call(MemorySegment into, java.time.Duration timeout) throws Exception;
    }

    @FunctionalInterface
    interface BufferForm {
        Object call(ByteBuffer into, java.time.Duration timeout) throws Exception;
    }

    @FunctionalInterface
    interface MakeForms {
        Forms make(Fixture f) throws Exception;
    }

    private static void receivers(List<MatrixCase> cases, String type, MakeForms make) {
        add(cases, type + ".receive(MemorySegment,long,Duration)", f -> {
            Forms forms = make.make(f);
            MemorySegment into = f.memory();
            return new DurationCases.Wait(d -> forms.segment().call(into, d), run(forms.send()), EMPTY,
                    Integer.valueOf(8)::equals, () -> { });
        });
        add(cases, type + ".receive(ByteBuffer,Duration)", f -> {
            Forms forms = make.make(f);
            return new DurationCases.Wait(d -> forms.buffer().call(ByteBuffer.allocate(64), d), run(forms.send()), EMPTY,
                    Integer.valueOf(8)::equals, () -> { });
        });
        String handlerType = switch (type) {
            case "Subscriber" -> "BroadcastHandler";
            case "RendezvousReceiver" -> "RendezvousHandler";
            default -> "LinkHandler";
        };
        add(cases, type + ".receive(" + handlerType + ",int,Duration)", f -> {
            Forms forms = make.make(f);
            return new DurationCases.Wait(forms.handler(), run(forms.send()), EMPTY, Integer.valueOf(1)::equals, () -> { });
        });
        add(cases, type + ".receiveBytes(Duration)", f -> {
            Forms forms = make.make(f);
            return new DurationCases.Wait(forms.bytes(), run(forms.send()), NONE, x -> x instanceof byte[] b && b.length == 8,
                    () -> { });
        });
    }

    private static Runnable run(ThrowingRunnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
