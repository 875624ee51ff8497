package org.panamaipc.codec;

import java.util.Arrays;

/**
 * Records that the codec tests lay out, C peers included: every primitive alone and as an array,
 * a bounded string, and nested records with padding inside, between and after fields.
 */
final class CodecRecords {

    private CodecRecords() {
    }

    /** 8 bytes, aligned to 4, with 2 bytes of tail padding. */
    record Level(int price, short size) {
    }

    /** A nested record holding an array and a record. */
    record Quote(double bid, double ask, @Length(3) short[] sizes, Level best) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Quote q && Double.compare(bid, q.bid) == 0 && Double.compare(ask, q.ask) == 0
                    && Arrays.equals(sizes, q.sizes) && best.equals(q.best);
        }

        @Override
        public int hashCode() {
            return Double.hashCode(bid) ^ Arrays.hashCode(sizes);
        }

        @Override
        public String toString() {
            return "Quote[" + bid + ", " + ask + ", " + Arrays.toString(sizes) + ", " + best + "]";
        }
    }

    /** Every kind of component; its C mirror is in {@code record_peer.c}. */
    record Order(byte kind, long id, @MaxLength(13) String symbol, boolean buy, @Length(5) int[] levels, char side,
                 Quote quote, float weight, @Length(3) boolean[] flags, @Length(2) double[] marks,
                 @Length(3) char[] code, @Length(4) byte[] raw, @Length(2) long[] ids, @Length(2) float[] ratios,
                 short tail) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Order r && kind == r.kind && id == r.id && symbol.equals(r.symbol) && buy == r.buy
                    && Arrays.equals(levels, r.levels) && side == r.side && quote.equals(r.quote)
                    && Float.compare(weight, r.weight) == 0 && Arrays.equals(flags, r.flags)
                    && Arrays.equals(marks, r.marks) && Arrays.equals(code, r.code) && Arrays.equals(raw, r.raw)
                    && Arrays.equals(ids, r.ids) && Arrays.equals(ratios, r.ratios) && tail == r.tail;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id);
        }

        @Override
        public String toString() {
            return "Order[kind=" + kind + ", id=" + id + ", symbol=" + symbol + ", buy=" + buy + ", levels="
                    + Arrays.toString(levels) + ", side=" + side + ", quote=" + quote + ", weight=" + weight
                    + ", flags=" + Arrays.toString(flags) + ", marks=" + Arrays.toString(marks) + ", code="
                    + Arrays.toString(code) + ", raw=" + Arrays.toString(raw) + ", ids=" + Arrays.toString(ids)
                    + ", ratios=" + Arrays.toString(ratios) + ", tail=" + tail + "]";
        }
    }

    /** The order Java writes for the C peer; {@code record_peer.c} checks each of these values. */
    static Order javaOrder() {
        return new Order((byte) -7, 0x0102030405060708L, "Gr\u00fc\u00dfe \u20ac", true, new int[] {1, -2, 3, -4, 2_000_000_000},
                '\u00e9', new Quote(101.25, 101.5, new short[] {10, -20, 30}, new Level(-99, (short) 7)), -0.75f,
                new boolean[] {true, false, true}, new double[] {Math.PI, -1e300}, new char[] {'J', '\u20ac', 'v'},
                new byte[] {1, -1, 127, -128}, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, new float[] {1.5f, -2.25f},
                (short) -12345);
    }

    /** The order {@code record_peer.c} writes for Java (its second flag is the byte 2, which reads as true). */
    static Order cOrder() {
        return new Order((byte) 42, -5L, "ABCDEFGHIJKLM", false, new int[] {5, 4, 3, 2, 1}, 'C',
                new Quote(-0.5, 0.25, new short[] {-1, 0, 1}, new Level(123456, (short) -2)), 3.0f,
                new boolean[] {false, true, true}, new double[] {2.5, -0.125}, new char[] {'c', '\u00df', '\u4e2d'},
                new byte[] {9, 8, 7, 6}, new long[] {-1L, 1L << 40}, new float[] {0.5f, -8.0f}, (short) 321);
    }
}
