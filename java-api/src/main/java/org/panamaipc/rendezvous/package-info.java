/**
 * The zero-capacity link, rendezvous: a send returns only once a receiver has taken the message,
 * acknowledged through a futex; any number of senders and receivers, each message taken by exactly
 * one receiver; a receiver that dies holding a message is noticed within milliseconds.
 */
package org.panamaipc.rendezvous;
