/**
 * The {@code ipc} command line: {@code ipc demo} runs a demo between two JVMs, {@code ipc doctor}
 * checks the machine. {@link org.panamaipc.cli.IpcCommand} is the entry point; the {@code ipc}
 * launcher script at the root of the repository finds a JDK, builds on first use, and runs it.
 */
package org.panamaipc.cli;
