package org.panamaipc.readme;

import org.panamaipc.channel.ChannelOptions;
import org.panamaipc.channel.ChannelType;
import org.panamaipc.channel.MessageHeader;
import org.panamaipc.channel.Receiver;
import org.panamaipc.channel.RingChannel;
import org.panamaipc.channel.Sender;
import org.panamaipc.channel.WaitStrategy;
import org.panamaipc.mq.Message;
import org.panamaipc.mq.MessageQueue;
import org.panamaipc.mq.QueueOptions;
import org.panamaipc.pipe.NamedPipe;
import org.panamaipc.pipe.PipeReader;
import org.panamaipc.pipe.PipeWriter;
import org.panamaipc.shm.Seal;
import org.panamaipc.shm.SharedMemory;
import org.panamaipc.socket.Attachments;
import org.panamaipc.socket.DescriptorServer;
import org.panamaipc.socket.DescriptorSocket;
import org.panamaipc.socket.PeerCredentials;
import org.panamaipc.socket.Received;
import org.panamaipc.sync.EventCounter;
import org.panamaipc.sync.Futex;
import org.panamaipc.sync.IpcEvent;
import org.panamaipc.sync.IpcLatch;
import org.panamaipc.sync.IpcMutex;
import org.panamaipc.sync.IpcSemaphore;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Every {@code java} snippet of README.md, verbatim (the free variables it assumes as parameters,
 * the second process's {@code memory} and {@code queue} renamed where one method holds both halves),
 * compiled and never run: the compiler holds the README to the public API. The snippets that can
 * run in one process run in {@link ReadmeSnippetsTest}.
 */
abstract class ReadmeSnippetsCompileOnly {
    static final int QUOTE = 1;
    abstract void repair();
    abstract void update();
    abstract void work();
    abstract void handle(MessageHeader header, MemorySegment buffer, long offset, int length);

    void sharedMemory() {
try (SharedMemory shm = SharedMemory.create("/orders", 1 << 20)) {   // 1 MiB, zero-filled, mode 0600
    shm.segment().set(ValueLayout.JAVA_LONG, 0, 42L);                 // a bounded MemorySegment:
}                                                                     // a stray offset throws, never crashes
try (SharedMemory shm = SharedMemory.open("/orders")) {              // in another process
    long value = shm.segment().get(ValueLayout.JAVA_LONG, 0);
    shm.unlink();                                                     // the name goes now, the memory with the last mapping
}
    }

    void primitives(SharedMemory shm) throws InterruptedException {
Futex ready = Futex.of(shm.segment(), 64);              // a 4-byte aligned word in shared memory
long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
while (ready.value() == 0) {                            // a wake-up may be spurious: look again
    long left = deadline - System.nanoTime();
    if (left <= 0 || ready.waitNanos(0, left) == Futex.WaitResult.TIMED_OUT) {
        break;                                          // not ready within the second
    }
}
ready.setRelease(1); ready.wakeAll();                   // in the other process

try (IpcMutex mutex = IpcMutex.openOrCreate("/orders.lock")) {
    if (mutex.tryLock(Duration.ofSeconds(1))) {
        try {
            if (mutex.ownerDied()) { repair(); }        // the previous owner was killed holding it
            update();
        } finally {
            mutex.unlock();                             // only the owning thread may
        }
    }
}

try (IpcSemaphore slots = IpcSemaphore.openOrCreate("/gpu.slots", 2)) {
    if (slots.tryAcquire(Duration.ofSeconds(5))) { try { work(); } finally { slots.release(); } }
}

IpcEvent loaded = IpcEvent.create("/feed.loaded", IpcEvent.Type.MANUAL_RESET);  // set / reset / await
IpcLatch workers = IpcLatch.create("/job.ready", 3, 0660);                      // countDown / await; mode 0660
    }

    void ring(byte[] bytes) throws InterruptedException {
// process A
try (RingChannel ring = RingChannel.create("/quotes", ChannelOptions.of(ChannelType.MPSC).capacity(1 << 22));
     Sender sender = ring.sender(WaitStrategy.blocking())) {
    sender.send(QUOTE, bytes);                                   // blocks while full
    long seq = sender.trySend(QUOTE, bytes);                     // or FULL / CLOSED at once
    long index = sender.tryClaim(QUOTE, 16);                     // zero-copy: write into sender.buffer()
    if (index >= 0) { sender.buffer().set(JAVA_LONG_UNALIGNED, index, 7L); sender.commit(index); }
}
// process B
try (RingChannel ring = RingChannel.open("/quotes");
     Receiver receiver = ring.receiver(WaitStrategy.blocking())) {
    while (receiver.receive((header, buffer, offset, length) -> handle(header, buffer, offset, length),
                            64) != Receiver.CLOSED) {
        // CLOSED: every sender has gone and the ring is drained
    }
}
    }

    void queue(byte[] payload, ByteBuffer buffer) throws InterruptedException {
try (MessageQueue queue = MessageQueue.create("/orders", QueueOptions.of(10, 512))) { // 10 messages of up to 512 bytes
    queue.send("routine".getBytes(UTF_8), 0);
    queue.send("urgent".getBytes(UTF_8), 9);
    Message first = queue.receive();                                     // "urgent": highest priority first
    long sent = queue.send(payload, 3, Duration.ofMillis(50));           // 0, or Outcome.FULL; trySend returns at once
    int length = queue.tryReceive(buffer);                               // into your memory, or Outcome.EMPTY
    int priority = queue.lastHeader().priority();                        // no allocation either
}
    }

    void pipe() throws Exception {
try (NamedPipe pipe = NamedPipe.create(Path.of("/run/app/events"));   // mkfifo, mode 0600 exactly
     PipeWriter writer = pipe.openWriter(Duration.ofSeconds(5))) {     // null if no reader came
    writer.write(UTF_8.encode("started\n"));                           // PeerGoneException once the reader has gone
}
// elsewhere, or in a shell: cat /run/app/events
try (NamedPipe pipe = NamedPipe.open(Path.of("/run/app/events"));
     PipeReader reader = pipe.openReader()) {                           // waits for a writer
    reader.inputStream().transferTo(System.out);                        // until every writer has gone
}
    }

    void anonymous(long size) {
try (SharedMemory memory = SharedMemory.anonymous(1 << 20)) {          // memfd_create: no name anywhere
    memory.seals();                                                     // [SHRINK, GROW]: its size is fixed
}
SharedMemory.anonymous(size, EnumSet.of(Seal.SHRINK, Seal.GROW, Seal.FUTURE_WRITE, Seal.SEAL));
    }

    void passing(byte[] hello, SharedMemory memory, MessageQueue queue) throws InterruptedException {
// the process that owns the memory
try (DescriptorServer server = DescriptorServer.create(Path.of("/run/app/memory.sock"));  // mode 0600
     DescriptorSocket client = server.accept()) {                       // also tryAccept(), accept(timeout)
    client.send(ByteBuffer.wrap(hello), Attachments.of(memory).and(queue));
}
// another process
try (DescriptorSocket socket = DescriptorSocket.open(Path.of("/run/app/memory.sock"));
     Received message = socket.receive();                               // payload + descriptors
     SharedMemory memory2 = message.takeSharedMemory(0, EnumSet.of(Seal.SHRINK, Seal.GROW));
     MessageQueue queue2 = message.takeMessageQueue(1)) {
    // the same memory and queue, not copies; a segment lacking a promised seal is refused
}
    }

    void eventCounter(DescriptorSocket client, SharedMemory memory, ByteBuffer request) throws InterruptedException {
EventCounter done = EventCounter.create();
client.send(request, Attachments.of(memory).and(done));
long jobs = done.take(Duration.ofSeconds(5));                          // 0 if nothing in 5 s
    }

    void eventCounterOther(Received message) throws InterruptedException {
// the other process
try (EventCounter done = message.takeEventCounter(1)) { work(); done.signal(); }
    }

    void ringWithoutName(DescriptorSocket client, DescriptorSocket socket, byte[] hello, byte[] bytes) throws InterruptedException {
// the server: a ring in anonymous memory sealed against shrinking and growing
try (RingChannel ring = RingChannel.anonymous(ChannelOptions.of(ChannelType.SPSC));
     Receiver receiver = ring.receiver()) {
    client.send(ByteBuffer.wrap(hello), Attachments.of(ring.memory()));   // over a DescriptorSocket
    byte[] first = receiver.receiveBytes(Duration.ofSeconds(5));
}
// the client
try (Received message = socket.receive();
     RingChannel ring = RingChannel.open(message.takeSharedMemory(0, RingChannel.SEALS));  // checked as open(name) checks
     Sender sender = ring.sender()) {
    sender.send(1, bytes);
}
    }

    void peer(DescriptorSocket client) {
PeerCredentials peer = client.peer();          // SO_PEERCRED: pid, uid, gid, filled in by the kernel
if (!peer.isSameUser()) {
    client.close();                            // serve only processes of this user
}
    }
}
