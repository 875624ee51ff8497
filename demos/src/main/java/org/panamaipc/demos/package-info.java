/**
 * Small programs between two JVMs that read as tutorials; {@code ipc demo} runs them. Each
 * {@link org.panamaipc.demos.Demo} starts its other side in a second JVM with {@link org.panamaipc.demos.ChildJvm}.
 */
package org.panamaipc.demos;
