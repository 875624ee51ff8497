/**
 * JMH micro-benchmarks of in-process costs: one send and receive per channel kind, two-thread
 * channel throughput, codecs, the cost of a call through the Foreign Function and Memory API, and a
 * message-queue round trip; run with {@code -prof gc} for the bytes allocated per operation. See
 * {@code benchmarks/README.md}, section JMH.
 */
package org.panamaipc.bench.jmh;
