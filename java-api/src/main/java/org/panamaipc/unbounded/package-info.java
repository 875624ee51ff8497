/**
 * The link of unbounded capacity: a ring channel whose sends never wait or fail for lack of room,
 * because what does not fit in the ring spills, in order, into shared-memory segments made on
 * demand and removed as the receiver consumes them, up to a memory cap.
 */
package org.panamaipc.unbounded;
