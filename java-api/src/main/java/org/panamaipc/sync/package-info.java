/**
 * Synchronisation between processes over shared memory: futex words, and the primitives built on
 * them (mutex, semaphore, event, latch).
 */
package org.panamaipc.sync;
