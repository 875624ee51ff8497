/**
 * Request and reply between processes: a typed {@link org.panamaipc.rpc.RpcServer} that answers
 * requests with a handler on worker threads, and an {@link org.panamaipc.rpc.RpcClient} whose calls
 * wait for the answer (or complete a {@link java.util.concurrent.CompletableFuture}), with
 * correlation ids, deadlines, remote exceptions, and the death of either side noticed at once.
 * Both run on {@link org.panamaipc.message.Port}s: the server's, and one per client for its replies.
 */
package org.panamaipc.rpc;
