/**
 * Unix-domain sockets that do what the JDK's cannot: pass file descriptors ({@code SCM_RIGHTS}) —
 * shared memory, named or anonymous and sealed, and message queues — with a small payload, and
 * tell who is at the other end ({@code SO_PEERCRED}: pid, uid, gid). See
 * {@link org.panamaipc.socket.DescriptorServer} and {@link org.panamaipc.socket.DescriptorSocket}.
 */
package org.panamaipc.socket;
