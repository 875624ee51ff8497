package org.panamaipc.attack;

import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.panamaipc.attack.Expect.call;
import static org.panamaipc.attack.Expect.thrown;

/**
 * The rows the coverage test asked for once a null or a closed object stopped counting as a row
 * for the numbers: modes at creation of the primitives, segment sizes, the ring's batch sends,
 * claims and ByteBuffer forms. Each expectation is the Javadoc's.
 */
final class OlderNumericCases {

    /** Entry points whose only number is a message type, which takes any value. */
    static final Set<String> ANY_VALUE = Set.of("Sender.send(int,ByteBuffer)");

    private OlderNumericCases() {
    }

    static void addTo(List<MatrixCase> cases) {
        MatrixCaseRows rows = new MatrixCaseRows(cases);
        String mutex = "IpcMutex.create(String,int)";
        rows.row("mode-negative:" + mutex, mutex, f -> thrown(call(() -> f.keep(IpcMutex.create(f.fresh("m"), -1))), IllegalArgumentException.class, "mode="));
        String mutexOoc = "IpcMutex.openOrCreate(String,int)";
        rows.row("mode-no-owner-rw:" + mutexOoc, mutexOoc, f -> thrown(call(() -> f.keep(IpcMutex.openOrCreate(f.fresh("m"), 0400))), IllegalArgumentException.class, "mode="));
        String event = "IpcEvent.create(String,Type,int)";
        rows.row("mode-negative:" + event, event, f -> thrown(call(() -> f.keep(IpcEvent.create(f.fresh("e"), IpcEvent.Type.AUTO_RESET, -1))), IllegalArgumentException.class, "mode="));
        String eventOoc = "IpcEvent.openOrCreate(String,Type,int)";
        rows.row("mode-setuid:" + eventOoc, eventOoc, f -> thrown(call(() -> f.keep(IpcEvent.openOrCreate(f.fresh("e"), IpcEvent.Type.AUTO_RESET, 04600))), IllegalArgumentException.class, "mode="));
        String latch = "IpcLatch.create(String,int,int)";
        rows.row("count-negative:" + latch, latch, f -> thrown(call(() -> f.keep(IpcLatch.create(f.fresh("l"), -1, 0600))), IllegalArgumentException.class, "count=-1"));
        rows.row("mode-negative:" + latch, latch, f -> thrown(call(() -> f.keep(IpcLatch.create(f.fresh("l"), 1, -1))), IllegalArgumentException.class, "mode="));
        String latchOoc = "IpcLatch.openOrCreate(String,int)";
        rows.row("count-negative:" + latchOoc, latchOoc, f -> thrown(call(() -> f.keep(IpcLatch.openOrCreate(f.fresh("l"), -1))), IllegalArgumentException.class, "count=-1"));
        String latchOocMode = "IpcLatch.openOrCreate(String,int,int)";
        rows.row("mode-negative:" + latchOocMode, latchOocMode, f -> thrown(call(() -> f.keep(IpcLatch.openOrCreate(f.fresh("l"), 1, -1))), IllegalArgumentException.class, "mode="));
        String sem = "IpcSemaphore.create(String,int,int)";
        rows.row("permits-negative:" + sem, sem, f -> thrown(call(() -> f.keep(IpcSemaphore.create(f.fresh("p"), -1, 0600))), IllegalArgumentException.class, "permits=-1"));
        rows.row("mode-negative:" + sem, sem, f -> thrown(call(() -> f.keep(IpcSemaphore.create(f.fresh("p"), 1, -1))), IllegalArgumentException.class, "mode="));
        String semOoc = "IpcSemaphore.openOrCreate(String,int,int)";
        rows.row("mode-negative:" + semOoc, semOoc, f -> thrown(call(() -> f.keep(IpcSemaphore.openOrCreate(f.fresh("p"), 1, -1))), IllegalArgumentException.class, "mode="));
        String segOpen = "IpcSegment.open(SharedMemory,SegmentKind,long)";
        rows.row("size-negative:" + segOpen, segOpen, f -> thrown(call(() -> f.keep(IpcSegment.open(f.keep(SharedMemory.anonymous(4096)), SegmentKind.MUTEX, -1))),
                IllegalArgumentException.class, "minBodySize=-1"));
        String validate = "IpcSegment.validate(String,MemorySegment,SegmentKind,long)";
        rows.row("size-negative:" + validate, validate, f -> thrown(call(() -> { IpcSegment.validate("x", f.segment().memory().segment(), SegmentKind.MUTEX, -1); return null; }),
                IllegalArgumentException.class, "minBodySize=-1"));
        String segOoc = "IpcSegment.openOrCreate(String,SegmentKind,long,int,Consumer,long)";
        rows.row("size-zero:" + segOoc, segOoc, f -> thrown(call(() -> f.keep(IpcSegment.openOrCreate(f.fresh("g"), SegmentKind.MUTEX, 0, 0600, b -> { }, 0))),
                IllegalArgumentException.class, "bodySize=0"));
        String claim = "Sender.claim(int,int)";
        rows.row("length-negative:" + claim, claim, f -> thrown(call(() -> ((Sender) f.instanceOf(Sender.class)).claim(1, -1)), IllegalArgumentException.class, "length=-1"));
        for (String form : List.of("trySend", "send", "sendTimed")) {
            String sig = "Sender." + (form.equals("sendTimed") ? "send" : form) + "(int,MemorySegment[],int,int" + (form.equals("sendTimed") ? ",Duration)" : ")");
            rows.row("count-zero:" + sig, sig, f -> thrown(call(() -> batch(f, form, 0, 0)), IllegalArgumentException.class, "count=0"));
            rows.row("offset-past-array:" + sig, sig, f -> thrown(call(() -> batch(f, form, 1, 1)), IndexOutOfBoundsException.class));
            rows.row("offset-negative:" + sig, sig, f -> thrown(call(() -> batch(f, form, -1, 1)), IndexOutOfBoundsException.class));
        }
        String sendBuffer = "Sender.send(int,ByteBuffer,Duration)";
        rows.row("duration-negative:" + sendBuffer, sendBuffer, f -> {
            Sender s = (Sender) f.instanceOf(Sender.class);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).position(4);
            Expect.value(call(() -> s.send(1, b, Duration.ofSeconds(-1))), "sent at once", x -> x instanceof Long n && n >= 0);
            Expect.that(b.position() == 16, "the send consumes the remaining bytes: position " + b.position());
        });
        rows.row("duration-huge:" + sendBuffer, sendBuffer, f -> Expect.value(call(() -> ((Sender) f.instanceOf(Sender.class))
                .send(1, java.nio.ByteBuffer.allocate(8), Duration.ofSeconds(Long.MAX_VALUE))), "sent", x -> x instanceof Long n && n >= 0));
        String receiveBuffer = "Receiver.receive(ByteBuffer,Duration)";
        for (Duration d : List.of(Duration.ofSeconds(-1), Duration.ZERO)) {
            rows.row("duration-" + (d.isZero() ? "zero" : "negative") + ":" + receiveBuffer, receiveBuffer, f -> {
                RingChannel c = f.channel(ChannelType.SPSC);
                Receiver r = f.receiver(c);
                f.sender(c);
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64).position(8);
                Expect.value(call(() -> r.receive(b, d)), "EMPTY at once", Integer.valueOf(Receiver.EMPTY)::equals);
                Expect.that(b.position() == 8, "nothing happened, so the position stays: " + b.position());
            });
        }
        rows.row("duration-huge-ready:" + receiveBuffer, receiveBuffer, f -> {
            Receiver r = (Receiver) f.instanceOf(Receiver.class); // an 8-byte message waits
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64);
            Expect.value(call(() -> r.receive(b, Duration.ofSeconds(Long.MAX_VALUE))), "8 bytes", Integer.valueOf(8)::equals);
            Expect.that(b.position() == 8, "the receive moves the position past the message: " + b.position());
        });
    }

    private static Object batch(Fixture f, String form, int offset, int count) throws InterruptedException {
        Sender s = (Sender) f.instanceOf(Sender.class);
        MemorySegment[] messages = {f.memory().asSlice(0, 8)};
        return switch (form) {
            case "trySend" -> s.trySend(1, messages, offset, count);
            case "send" -> s.send(1, messages, offset, count);
            default -> s.send(1, messages, offset, count, Duration.ofMillis(10));
        };
    }

    /** Adds rows to a list. */
    record MatrixCaseRows(List<MatrixCase> cases) {
        void row(String id, String signature, MatrixCase.Body body) {
            cases.add(new MatrixCase(id, signature, body));
        }
    }
}
