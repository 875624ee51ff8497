/**
 * What every family of panama-ipc shares: the convention its classes follow, the values that say
 * "nothing happened" ({@link org.panamaipc.Outcome}), how objects are opened
 * ({@link org.panamaipc.Access}), and the exceptions: {@link org.panamaipc.IpcException} and one
 * subclass per cause of an operating-system failure.
 *
 * <h2>Three forms of every operation that can wait</h2>
 * Named as {@code java.util.concurrent} names them; what each returns when nothing happened is in
 * parentheses.
 * <table class="striped">
 * <caption>The three forms</caption>
 * <thead><tr><th>operation</th><th>returns at once</th><th>waits as long as it takes</th>
 *     <th>waits at most a {@code Duration}</th></tr></thead>
 * <tbody>
 * <tr><td>send a message</td><td>{@code trySend(...)} ({@link org.panamaipc.Outcome#FULL})</td>
 *     <td>{@code send(...)}</td><td>{@code send(..., Duration)} ({@code FULL})</td></tr>
 * <tr><td>receive into your memory</td><td>{@code tryReceive(segment or buffer)} ({@link org.panamaipc.Outcome#EMPTY})</td>
 *     <td>{@code receive(...)}</td><td>{@code receive(..., Duration)} ({@code EMPTY})</td></tr>
 * <tr><td>receive an object</td><td>{@code tryReceive()}, {@code tryReceiveBytes()} ({@code null})</td>
 *     <td>{@code receive()}, {@code receiveBytes()}</td><td>{@code receive(Duration)},
 *     {@code receiveBytes(Duration)} ({@code null})</td></tr>
 * <tr><td>hand messages to a handler</td><td>{@code poll(handler, limit)} ({@code EMPTY})</td>
 *     <td>{@code receive(handler, limit)}</td><td>{@code receive(handler, limit, Duration)} ({@code EMPTY})</td></tr>
 * <tr><td>claim room (zero-copy)</td><td>{@code tryClaim(...)} ({@code FULL})</td>
 *     <td>{@code claim(...)}</td><td>{@code claim(..., Duration)} ({@code FULL})</td></tr>
 * <tr><td>lock a mutex</td><td>{@code tryLock()} ({@code false})</td><td>{@code lock()}</td>
 *     <td>{@code tryLock(Duration)} ({@code false})</td></tr>
 * <tr><td>take a permit</td><td>{@code tryAcquire()} ({@code false})</td><td>{@code acquire()}</td>
 *     <td>{@code tryAcquire(Duration)} ({@code false})</td></tr>
 * <tr><td>wait for an event or latch</td><td>{@code tryAwait()} ({@code false})</td><td>{@code await()}</td>
 *     <td>{@code await(Duration)} ({@code false})</td></tr>
 * </tbody>
 * </table>
 * A send returns a {@code long}, {@code >= 0} when the message went; a receive into the caller's
 * memory returns the length as an {@code int} and leaves the rest of the message's header in
 * {@code lastHeader()}, without allocation; a handler receive returns how many messages it
 * handed over; {@link org.panamaipc.Outcome#CLOSED} says that the other side has gone (a blocking
 * send, and a receive of an object, throw {@link org.panamaipc.PeerGoneException} instead). A
 * message longer than the object takes is a {@link org.panamaipc.MessageTooLongException}
 * ({@code EMSGSIZE}) in every family. A {@code ByteBuffer} is read from or written at its position, which moves
 * past the message, and stays when nothing happened.
 *
 * <p>A {@link java.time.Duration} of zero or less does not wait (the try form); one too long to
 * count in nanoseconds (such as {@code Duration.ofSeconds(Long.MAX_VALUE)}) waits as long as it
 * takes; never an {@link java.lang.ArithmeticException}. A thread interrupted in a wait it asked
 * for throws {@link java.lang.InterruptedException}; in a lifecycle call that waits briefly for
 * another process, {@link org.panamaipc.IpcInterruptedException}. A {@code null} argument is a
 * {@link java.lang.NullPointerException} naming the parameter.
 *
 * <h2>One lifecycle for every named object</h2>
 * Shared memory, segments, mutexes, semaphores, events, latches, message queues and ring channels all have
 * {@code create(name, ...)} (fails with {@link org.panamaipc.AlreadyExistsException}),
 * {@code open(name)} (fails with {@link org.panamaipc.NotFoundException}),
 * {@code openOrCreate(name, ...)} (race-free; {@code created()} says which happened), the static
 * {@code unlink(name)}, {@code unlinkIfExists(name)} and {@code exists(name)}, the instance
 * {@code unlink()}, and a mode: {@code 0600} unless given, applied exactly whatever the umask.
 * {@code close()} wakes the threads of this process blocked in the object, which throw
 * {@link java.lang.IllegalStateException} naming it, releases the mapping or descriptor before it
 * returns, does nothing the second time, and never removes the name. An object with endpoints (a
 * ring channel) closes the endpoints it attached with it, so the other side counts them as gone.
 *
 * <p>docs/conventions.md in the repository holds the full rule set, and a test walks the public
 * classes to hold them to it.
 */
package org.panamaipc;
