/*
 * pipc_ring_ops.h - the ring channel protocol in C: the same algorithm as the Java endpoints
 * (org.panamaipc.channel: SoleSender and ConcurrentSender, SoleReceiver and ConcurrentReceiver,
 * over ChannelMemory, EndpointTable and WaitLoop) over the layout of pipc_ring.h, as static inline
 * functions in the three headers this one includes. It is what the C peer
 * (src/ring_peer.c) speaks to Java, and the C reference the benchmarks measure Java against.
 *
 *   pipc_ring_channel.h   struct pipc_ring (a mapped channel: validated configuration and
 *                         pointers into it), records, pipc_channel_* (create, attach),
 *                         signals, pipc_endpoint_* (register, retire, liveness of the others)
 *   pipc_ring_sender.h    pipc_sender_*: claim, commit, abort, for one sender (SPSC) or many
 *   pipc_ring_receiver.h  pipc_receiver_*: poll, for one receiver (SPSC, MPSC) or many (MPMC)
 *
 * Memory ordering follows the Java side one for one: a record is published by a release store of
 * its tag and read after an acquire load of it; positions are release-stored (one writer) or
 * compare-and-set (many); the signal check after a commit or a consume is ordered after it by a
 * full fence, which pairs with the sleeper's atomic increment of the waiter count.
 *
 * Not here (the Java receiver has it, org.panamaipc.channel.DeadSenders): passing over the space a
 * dead sender claimed but never committed. A C receiver waits for such a gap until its own
 * deadline; a C registration keeps the slot of a dead sender whose claim is open, so that a Java
 * receiver can still pass over it.
 *
 * Both senders withdraw a claim whose compare-and-set lost and which then finds the ring full
 * (claim_start = -1): left there, it would cover another sender's record and keep a receiver
 * from passing over it should that sender die. Registration runs under the channel's repair lock
 * on both sides, so two processes attaching an SPSC sender at the same moment cannot both pass
 * the "only one" check.
 *
 * The memory ordering of the signals has one asymmetric part: a commit reads the blocking count
 * with only a compiler barrier after its stores; an endpoint that registers as blocking calls
 * membarrier(MEMBARRIER_CMD_GLOBAL) after raising the count (pipc_order_every_thread), which
 * stands in for the fence every commit would otherwise pay.
 */
#ifndef PIPC_RING_OPS_H
#define PIPC_RING_OPS_H

#include "pipc_ring_channel.h"
#include "pipc_ring_sender.h"
#include "pipc_ring_receiver.h"

#endif /* PIPC_RING_OPS_H */
