package org.panamaipc.attack;

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
import org.panamaipc.sync.EventCounter;
import org.panamaipc.unbounded.UnboundedLink;
import org.panamaipc.unbounded.UnboundedReceiver;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.List;

import static org.panamaipc.attack.CloseCases.add;

/**
 * close() while another thread is blocked, for the newer families: the blocked thread wakes at
 * once with IllegalStateException (a pipe's ends, being channels, with
 * AsynchronousCloseException, as their Javadoc says); closing an object with endpoints (a
 * broadcast, a rendezvous, an unbounded link) wakes the threads blocked in the endpoints it
 * attached.
 */
final class FamilyCloseCases {

    private FamilyCloseCases() {
    }

    static void addTo(List<MatrixCase> cases) {
        pipes(cases);
        sockets(cases);
        patterns(cases);
    }

    private static void pipes(List<MatrixCase> cases) {
        add(cases, "NamedPipe.openReader()", f -> {
            NamedPipe p = NamedPipe.open(f.families.pipe().path());
            return new CloseCases.Setup(() -> f.keep(p.openReader()), p, null);
        });
        add(cases, "NamedPipe.openWriter()", f -> {
            NamedPipe p = NamedPipe.open(f.families.pipe().path());
            return new CloseCases.Setup(() -> f.keep(p.openWriter()), p, null);
        });
        add(cases, "PipeReader.read(ByteBuffer)", f -> {
            NamedPipe p = f.families.pipe();
            PipeReader r = p.tryOpenReader();
            f.families.writer(p);
            return new CloseCases.Setup(() -> r.read(ByteBuffer.allocate(64)), r, null, AsynchronousCloseException.class);
        });
        add(cases, "PipeWriter.write(ByteBuffer)", f -> {
            NamedPipe p = f.families.pipe();
            f.families.reader(p);
            PipeWriter w = p.tryOpenWriter();
            while (w.tryWrite(ByteBuffer.allocate(4096)) > 0) {
                // fill the pipe
            }
            return new CloseCases.Setup(() -> w.write(ByteBuffer.allocate(4096)), w, null, AsynchronousCloseException.class);
        });
    }

    private static void sockets(List<MatrixCase> cases) {
        add(cases, "DescriptorServer.accept()", f -> {
            DescriptorServer s = DescriptorServer.create(f.named(f.families.freshPath("sock")));
            return new CloseCases.Setup(() -> f.keep(s.accept()), s, null);
        });
        add(cases, "DescriptorSocket.receive()", f -> {
            DescriptorSocket[] pair = f.families.connected();
            return new CloseCases.Setup(() -> f.keep(pair[1].receive()), pair[1], null);
        });
        add(cases, "DescriptorSocket.send(ByteBuffer,Attachments)", f -> {
            DescriptorSocket[] pair = f.families.connected();
            while (pair[0].trySend(ByteBuffer.allocate(4096), Attachments.none()) == 0) {
                // fill the socket's buffer
            }
            return new CloseCases.Setup(() -> pair[0].send(ByteBuffer.allocate(4096), Attachments.none()), pair[0], null);
        });
        add(cases, "EventCounter.take()", f -> {
            EventCounter c = EventCounter.create();
            return new CloseCases.Setup(c::take, c, null);
        });
    }

    private static void patterns(List<MatrixCase> cases) {
        add(cases, "Subscriber.receive(MemorySegment,long)", f -> {
            Broadcast b = f.families.broadcast(SlowSubscriberPolicy.LOSSY);
            f.families.publisher(b);
            Subscriber s = b.subscribe();
            return new CloseCases.Setup(() -> s.receive(f.memory(), 0), s, null);
        });
        add(cases, "Broadcast.close()", f -> {
            Broadcast created = f.families.broadcast(SlowSubscriberPolicy.LOSSY);
            f.families.publisher(created);
            Broadcast b = Broadcast.open(created.name());
            Subscriber s = b.subscribe();
            return new CloseCases.Setup(() -> s.receive(f.memory(), 0), b, created.name());
        });
        add(cases, "Publisher.send(int,byte[])", f -> {
            Broadcast b = f.families.broadcast(SlowSubscriberPolicy.BLOCK);
            f.families.subscriber(b);
            Publisher p = b.publisher();
            while (p.trySend(1, new byte[8]) >= 0) {
                // fill the ring
            }
            return new CloseCases.Setup(() -> p.send(1, new byte[8]), p, null);
        });
        add(cases, "RendezvousReceiver.receive(MemorySegment,long)", f -> {
            Rendezvous r = f.families.rendezvous();
            f.families.sender(r);
            RendezvousReceiver receiver = r.receiver();
            return new CloseCases.Setup(() -> receiver.receive(f.memory(), 0), receiver, null);
        });
        add(cases, "RendezvousSender.send(int,byte[])", f -> {
            Rendezvous r = f.families.rendezvous();
            f.families.receiver(r); // attached, not receiving: the offer waits
            RendezvousSender sender = r.sender();
            return new CloseCases.Setup(() -> sender.send(1, new byte[8]), sender, null);
        });
        add(cases, "Rendezvous.close()", f -> {
            Rendezvous created = f.families.rendezvous();
            f.families.sender(created);
            Rendezvous r = Rendezvous.open(created.name());
            RendezvousReceiver receiver = r.receiver();
            return new CloseCases.Setup(() -> receiver.receive(f.memory(), 0), r, created.name());
        });
        add(cases, "UnboundedReceiver.receive(MemorySegment,long)", f -> {
            UnboundedLink l = f.families.link();
            f.families.sender(l);
            UnboundedReceiver r = l.receiver();
            return new CloseCases.Setup(() -> r.receive(f.memory(), 0), r, null);
        });
        add(cases, "UnboundedLink.close()", f -> {
            UnboundedLink created = f.families.link();
            f.families.sender(created);
            UnboundedLink l = UnboundedLink.open(created.name());
            UnboundedReceiver r = l.receiver();
            return new CloseCases.Setup(() -> r.receive(f.memory(), 0), l, created.name());
        });
    }
}
