package org.panamaipc.channel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.panamaipc.channel.RecordDescriptor.*;

/**
 * Every store a sender makes into the records, in one place: the header (all but the tag), the
 * payload, and the release store of the tag that publishes the record. A receiver trusts a record
 * only once it reads its tag with acquire, so everything else must be stored before the tag: the
 * order of these calls in the senders is the protocol.
 *
 * <p>With the system property {@value #TRACE_PROPERTY} set to {@code true} when this class is
 * loaded, each store is also recorded, in the order made, for the store-order test
 * ({@code RecordStoreOrderTest}) to check; otherwise the recording is a constant {@code false}
 * that the JIT removes.
 */
final class RecordWrites {

    /** The system property that turns the recording on: for tests only. */
    static final String TRACE_PROPERTY = "org.panamaipc.channel.traceRecordStores";

    private static final boolean TRACE = Boolean.getBoolean(TRACE_PROPERTY);
    private static final List<Store> TRACED = new ArrayList<>();

    /** What a recorded store wrote: a header, a payload or a tag, at an index of the records. */
    enum Kind { HEADER, PAYLOAD, TAG }

    /** One recorded store: {@code value} is the message type of a header, the length of a payload, the tag of a tag. */
    record Store(Kind kind, long index, long value) {
    }

    private RecordWrites() {
    }

    /**
     * Writes the header of the record at {@code index}, all but the tag: length and type, then
     * source and the reserved word, then the sequence, one little-endian store each. Plain stores,
     * published by the release store of the tag; unaligned layouts, as records are 8-aligned by
     * construction, so FFM need not check it on every store.
     */
    static void header(MemorySegment records, long index, int type, int length, int source, long sequence) {
        records.set(ValueLayout.JAVA_LONG_UNALIGNED, index + LENGTH_OFFSET, (length & 0xFFFF_FFFFL) | ((long) type << 32));
        records.set(ValueLayout.JAVA_LONG_UNALIGNED, index + SOURCE_OFFSET, source & 0xFFFF_FFFFL);
        records.set(ValueLayout.JAVA_LONG_UNALIGNED, index + SEQUENCE_OFFSET, sequence);
        if (TRACE) {
            trace(Kind.HEADER, index, type);
        }
    }

    /** Copies {@code length} bytes of {@code source} from {@code offset} into the payload of the record at {@code index}. */
    static void payload(MemorySegment source, long offset, MemorySegment records, long index, int length) {
        MemorySegment.copy(source, offset, records, index + HEADER_LENGTH, length);
        if (TRACE) {
            trace(Kind.PAYLOAD, index, length);
        }
    }

    /** Copies {@code message} into the payload of the record at {@code index}. */
    static void payload(byte[] message, MemorySegment records, long index) {
        MemorySegment.copy(message, 0, records, ValueLayout.JAVA_BYTE, index + HEADER_LENGTH, message.length);
        if (TRACE) {
            trace(Kind.PAYLOAD, index, message.length);
        }
    }

    /** Publishes the record at {@code index}: a release store of {@code tag}, after everything else of it. */
    static void publish(MemorySegment records, long index, long tag) {
        ChannelMemory.LONG.setRelease(records, index, tag);
        if (TRACE) {
            trace(Kind.TAG, index, tag);
        }
    }

    private static void trace(Kind kind, long index, long value) {
        synchronized (TRACED) {
            TRACED.add(new Store(kind, index, value));
        }
    }

    /** {@return the stores recorded so far, and forgets them} Empty unless {@value #TRACE_PROPERTY} was set. */
    static List<Store> drain() {
        synchronized (TRACED) {
            List<Store> stores = List.copyOf(TRACED);
            TRACED.clear();
            return stores;
        }
    }
}
