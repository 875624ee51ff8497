/**
 * The cross-process benchmark harness: a ping JVM and a pong JVM, pinned to different CPUs where
 * {@code taskset} allows, measure round-trip latency (into an HdrHistogram) and one-way throughput
 * over each transport. See {@code benchmarks/README.md} for the method.
 */
package org.panamaipc.bench;
