package org.panamaipc.message;

import org.panamaipc.codec.Codec;
import org.panamaipc.codec.MaxLength;
import org.panamaipc.codec.RecordCodec;
import org.panamaipc.codec.RecordField;

/** Records the messaging tests send; their C mirror for the C peer comes from {@link RecordCodec#cHeader()}. */
public final class MessageRecords {

    private MessageRecords() {
    }

    /** 32 bytes: a job with a bounded name. */
    public record Job(long id, int producer, int attempt, @MaxLength(16) String file) {
    }

    /** 24 bytes: a tick, as the typed channel tests and the C peer send it. */
    public record Tick(long sequence, double price, int quantity, int producer) {
    }

    public static final RecordCodec<Job> JOBS = Codec.ofRecord(Job.class);
    public static final RecordCodec<Tick> TICKS = Codec.ofRecord(Tick.class);
    public static final RecordField JOB_ID = JOBS.field("id");
    public static final RecordField JOB_PRODUCER = JOBS.field("producer");
    public static final RecordField TICK_SEQUENCE = TICKS.field("sequence");
    public static final RecordField TICK_PRICE = TICKS.field("price");
}
