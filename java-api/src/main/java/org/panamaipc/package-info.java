/**
 * The exceptions every part of panama-ipc throws: {@link org.panamaipc.IpcException} and one
 * subclass per cause of an operating-system failure.
 */
package org.panamaipc;
