package org.panamaipc.rpc;

import org.panamaipc.codec.Codec;
import org.panamaipc.codec.RecordCodec;

/** The records the RPC tests call with. */
public final class RpcRecords {

    private RpcRecords() {
    }

    /** A request: add {@code a} and {@code b}, from client {@code client}, call {@code n}. */
    public record Add(long client, long n, long a, long b) {
    }

    /** A response: the sum, and the request's client and number it answers. */
    public record Sum(long client, long n, long sum) {
    }

    public static final RecordCodec<Add> ADDS = Codec.ofRecord(Add.class);
    public static final RecordCodec<Sum> SUMS = Codec.ofRecord(Sum.class);

    /** The handler of the tests' servers: a negative {@code a} throws, with the request in the message. */
    public static Sum add(Add add) {
        if (add.a() < 0) {
            throw new IllegalArgumentException("negative a=" + add.a() + " in call " + add.n() + " of client " + add.client());
        }
        return new Sum(add.client(), add.n(), add.a() + add.b());
    }
}
