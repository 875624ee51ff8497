/**
 * JMH micro-benchmarks of in-process costs: one send and receive per channel kind, two-thread
 * channel throughput, codecs, the cost of a call through the Foreign Function and Memory API, and a
 * message-queue round trip; run with {@code -prof gc} for the bytes allocated per operation. See
 * {@code benchmarks/README.md}, section JMH.
 *
 * <p>Every fork runs with {@code --enable-native-access=ALL-UNNAMED} and a fixed, pre-touched heap
 * ({@code -Xms256m -Xmx256m -XX:+AlwaysPreTouch}): on the VMs we measure, a page fault on memory
 * touched for the first time costs some 15 µs, and a heap that grows into fresh memory made
 * allocating benchmarks (the decoders) 15 times slower in some iterations than in others.
 */
package org.panamaipc.bench.jmh;
