/**
 * Broadcast (one to many) in shared memory: one publisher, any number of subscribers that join and
 * leave at run time, each receiving every message published after it joined; a slow subscriber
 * either holds the publisher back or learns exactly how many messages it lost.
 */
package org.panamaipc.broadcast;
