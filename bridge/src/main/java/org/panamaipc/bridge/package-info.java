/**
 * Mailboxes and ports between hosts, carried by Aeron: {@link org.panamaipc.bridge.Bridge}, configured by
 * {@link org.panamaipc.bridge.BridgeConfig}. The only part of panama-ipc that depends on Aeron.
 */
package org.panamaipc.bridge;
