/**
 * The {@code ipc} command line: {@code ls}, {@code stat} and {@code rm} find, inspect, watch and
 * remove IPC objects; {@code shm}, {@code mq} and {@code channel} create, read and write them;
 * {@code demo} runs a demo between processes, {@code doctor} checks the machine and {@code bench}
 * measures. {@link org.panamaipc.cli.IpcCommand} is the entry point; the {@code ipc} launcher
 * script at the root of the repository finds a JDK, builds on first use, and runs it.
 */
package org.panamaipc.cli;
