package org.panamaipc.endpoint;

import org.panamaipc.InvalidNameException;
import org.panamaipc.IpcInterruptedException;
import org.panamaipc.IpcTimeoutException;
import org.panamaipc.NotFoundException;
import org.panamaipc.codec.Codec;
import org.panamaipc.internal.Lifecycle;
import org.panamaipc.internal.Namespace;
import org.panamaipc.internal.PosixNames;
import org.panamaipc.message.MailboxOptions;
import org.panamaipc.message.Port;
import org.panamaipc.process.ProcessId;
import org.panamaipc.shm.InvalidSegmentException;
import org.panamaipc.shm.IpcSegment;
import org.panamaipc.shm.SegmentKind;
import org.panamaipc.sync.IpcMutex;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.panamaipc.endpoint.RegistryDescriptor.*;

/**
 * A registry of named endpoints in shared memory: processes register names ({@code "printer"}),
 * and others send to them by name without knowing any channel (direct communication). Each name
 * maps to the process that holds it and its {@link Port}, named {@code REGISTRY.NAME}
 * ({@code /apps.printer} in registry {@code /apps}).
 *
 * {@snippet lang=java :
 * // the server
 * try (EndpointRegistry registry = EndpointRegistry.openOrCreate("/apps");
 *      Endpoint<Job> printer = registry.register("printer", JOBS)) {
 *     Job job = printer.receive();
 *     printer.reply(printer.lastHeader().replyTo(), done(job));   // to whoever sent it
 * }
 * // a client that has a name of its own (symmetric: each names the other)
 * try (EndpointRegistry registry = EndpointRegistry.open("/apps");
 *      Endpoint<Job> me = registry.register("client-7", JOBS)) {
 *     me.send("printer", job);
 *     Job answer = me.receive(Duration.ofSeconds(5));
 * }
 * // a client without one (asymmetric: only the sender names the receiver)
 * try (EndpointRegistry registry = EndpointRegistry.open("/apps");
 *      Port<Job> printer = registry.lookup("printer", JOBS)) {
 *     printer.send(job);
 * }
 * }
 *
 * <h2>Who may register, how many, and what happens when full</h2>
 * Whoever may write the registry's segment may register: its mode ({@code 0600} by default: the
 * creating user's processes only; {@code 0660}: the group's too) decides, as for every named
 * object. A registry has a fixed number of entries, chosen when it is created
 * ({@link #DEFAULT_ENTRIES} unless given, at most {@link RegistryDescriptor#MAX_ENTRIES}): that
 * many names can be held at once. A process may hold any number of them. When every entry is
 * held by a live process, {@link #register} throws {@link RegistryFullException}; entries of
 * processes that have died are freed first, so the names it counts are all live.
 *
 * <h2>Names and liveness</h2>
 * An endpoint name is 1 to {@link RegistryDescriptor#NAME_MAX} bytes of UTF-8 without {@code '/'}
 * or NUL, and not {@code "."} or {@code ".."}; others are an {@link InvalidNameException}. A
 * registry name leaves room for its ports' names: at most {@link #MAX_REGISTRY_NAME_BYTES} bytes
 * after the {@code '/'}. Registering a name a live process holds throws
 * {@link NameTakenException} naming that process. An entry records its holder's pid and start time
 * ({@link ProcessId}), so a reused pid never passes for a dead holder: the entry of a process that
 * died is freed by the first register or look-up that finds it, and its port is taken over by
 * the next holder of the name ({@link Port#create}).
 *
 * <p>Registering and cleaning up take the registry's lock (an {@link IpcMutex} in the segment,
 * handed over if its holder dies); looking up and replying take none (each entry is read under a
 * sequence number). The lifecycle is that of every named object: {@link #create}, {@link #open},
 * {@link #openOrCreate}, {@link #unlink(String)}, {@link #unlinkIfExists}, {@link #exists},
 * {@link #unlink()}; {@link #close()} unmaps it and leaves the endpoints registered through it
 * to their own {@code close()}.
 */
public final class EndpointRegistry implements AutoCloseable {

    /** The number of entries of a registry created without saying: 64 names. */
    public static final int DEFAULT_ENTRIES = 64;
    /** The most bytes a registry name may have after its '/', so that its ports' names fit. */
    public static final int MAX_REGISTRY_NAME_BYTES = org.panamaipc.message.Mailbox.MAX_NAME_BYTES - 1 - NAME_MAX;

    static final String WHAT = "endpoint registry";

    private final IpcSegment segment;
    private final int entries;
    private final RegistryTable table;

    private EndpointRegistry(IpcSegment segment) {
        this.segment = segment;
        this.entries = segment.body().get(ValueLayout.JAVA_INT, ENTRIES_OFFSET);
        this.table = new RegistryTable(segment.name(), segment.body(), entries);
    }

    /** Creates the registry {@code name} with {@link #DEFAULT_ENTRIES} entries and mode {@code 0600}. */
    public static EndpointRegistry create(String name) {
        return create(name, DEFAULT_ENTRIES, Lifecycle.DEFAULT_MODE);
    }

    /** Creates the registry {@code name} with {@code entries} entries and mode {@code 0600}. */
    public static EndpointRegistry create(String name, int entries) {
        return create(name, entries, Lifecycle.DEFAULT_MODE);
    }

    /**
     * Creates the registry {@code name} with {@code entries} entries (that many names at once) and
     * permission bits {@code mode}, which decide who may register and look up.
     *
     * @throws org.panamaipc.AlreadyExistsException if the name exists
     * @throws InvalidNameException if the name breaks the POSIX rules or is longer than
     *         {@link #MAX_REGISTRY_NAME_BYTES}
     * @throws IllegalArgumentException if {@code entries} is outside 1..{@link RegistryDescriptor#MAX_ENTRIES}
     *         or {@code mode} does not give the owner read and write
     */
    public static EndpointRegistry create(String name, int entries, int mode) {
        checkName(name);
        checkEntryCount(entries);
        Lifecycle.checkWritableMode(mode, WHAT);
        return new EndpointRegistry(IpcSegment.create(name, SegmentKind.REGISTRY, bodySize(entries), mode,
                body -> initialize(body, entries)));
    }

    /**
     * Opens the existing registry {@code name}.
     *
     * @throws NotFoundException if it does not exist
     * @throws InvalidSegmentException if it is not a valid registry
     */
    public static EndpointRegistry open(String name) {
        checkName(name);
        IpcSegment segment = IpcSegment.open(name, SegmentKind.REGISTRY, HEADER_LENGTH);
        try {
            validate(name, segment.body());
            return new EndpointRegistry(segment);
        } catch (RuntimeException | Error e) {
            segment.close();
            throw e;
        }
    }

    /** Opens or creates {@code name} with {@link #DEFAULT_ENTRIES} entries and mode {@code 0600}. */
    public static EndpointRegistry openOrCreate(String name) {
        return openOrCreate(name, DEFAULT_ENTRIES, Lifecycle.DEFAULT_MODE);
    }

    /**
     * Opens {@code name} if it exists, or else creates it as {@link #create(String, int, int)};
     * {@link #created()} tells which. An existing registry keeps its own entry count. Race-free.
     */
    public static EndpointRegistry openOrCreate(String name, int entries, int mode) {
        checkName(name);
        checkEntryCount(entries);
        Lifecycle.checkWritableMode(mode, WHAT);
        return Lifecycle.openOrCreate(() -> create(name, entries, mode), () -> open(name));
    }

    /**
     * Removes the name {@code name}; processes that have it open keep using it. Endpoints
     * registered in it keep their ports.
     *
     * @throws NotFoundException if it does not exist
     */
    public static void unlink(String name) {
        Namespace.SHARED_MEMORY.unlink(checkName(name), WHAT);
    }

    /** {@return whether the name existed and was removed} As {@link #unlink(String)}, without failing on a missing name. */
    public static boolean unlinkIfExists(String name) {
        return Namespace.SHARED_MEMORY.unlinkIfExists(checkName(name), WHAT);
    }

    /** {@return whether a registry (or any shared-memory object) named {@code name} exists now} */
    public static boolean exists(String name) {
        return Namespace.SHARED_MEMORY.exists(checkName(name), WHAT);
    }

    private static String checkName(String name) {
        PosixNames.check(name);
        int bytes = name.substring(1).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_REGISTRY_NAME_BYTES) {
            throw new InvalidNameException(name, "length after the '/' is " + bytes + " bytes, more than the "
                    + MAX_REGISTRY_NAME_BYTES + " a registry name may have (so that its ports' names, REGISTRY.NAME"
                    + " with names of up to " + NAME_MAX + " bytes, fit)");
        }
        return name;
    }

    private static void checkEntryCount(int entries) {
        if (checkEntries(entries) != null) {
            throw new IllegalArgumentException("entries=" + entries + " must be from 1 to " + MAX_ENTRIES);
        }
    }

    private static void initialize(MemorySegment body, int entries) {
        body.set(ValueLayout.JAVA_INT, ENTRIES_OFFSET, entries);
        body.set(ValueLayout.JAVA_INT, ENTRY_SIZE_OFFSET, ENTRY_LENGTH);
        body.set(ValueLayout.JAVA_INT, NAME_MAX_OFFSET, NAME_MAX);
    }

    private static void validate(String name, MemorySegment body) {
        int entries = body.get(ValueLayout.JAVA_INT, ENTRIES_OFFSET);
        String problem = checkEntries(entries);
        if (problem == null && body.byteSize() < bodySize(entries)) {
            problem = "its body is " + body.byteSize() + " bytes, too small for " + entries + " entries";
        }
        if (problem == null && body.get(ValueLayout.JAVA_INT, ENTRY_SIZE_OFFSET) != ENTRY_LENGTH) {
            problem = "its entry size is " + body.get(ValueLayout.JAVA_INT, ENTRY_SIZE_OFFSET) + ", expected " + ENTRY_LENGTH;
        }
        if (problem == null && body.get(ValueLayout.JAVA_INT, NAME_MAX_OFFSET) != NAME_MAX) {
            problem = "its name maximum is " + body.get(ValueLayout.JAVA_INT, NAME_MAX_OFFSET) + ", expected " + NAME_MAX;
        }
        if (problem != null) {
            throw new InvalidSegmentException("open " + WHAT, name, InvalidSegmentException.Reason.CORRUPT, problem);
        }
    }

    /**
     * Checks an endpoint name. {@return its UTF-8 bytes}
     *
     * @throws InvalidNameException naming the rule it breaks
     */
    static byte[] checkEndpointName(String endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (endpoint.isEmpty() || endpoint.equals(".") || endpoint.equals("..")) {
            throw new InvalidNameException(endpoint, "an endpoint name has 1 to " + NAME_MAX + " bytes and is not \".\" or \"..\"");
        }
        if (endpoint.indexOf('/') >= 0 || endpoint.indexOf('\0') >= 0) {
            throw new InvalidNameException(endpoint, "an endpoint name must not contain '/' or NUL");
        }
        byte[] bytes = endpoint.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > NAME_MAX) {
            throw new InvalidNameException(endpoint, "an endpoint name has at most " + NAME_MAX
                    + " bytes of UTF-8; this one has " + bytes.length);
        }
        return bytes;
    }

    /** {@return the name of the port of endpoint {@code endpoint}: {@code REGISTRY.ENDPOINT}} */
    public String portName(String endpoint) {
        checkEndpointName(endpoint);
        return name() + "." + endpoint;
    }

    // registering

    /** Registers {@code endpoint} with a port over a ring ({@link MailboxOptions#ring()}); see {@link #register(String, MailboxOptions, Codec)}. */
    public <T> Endpoint<T> register(String endpoint, Codec<T> codec) {
        return register(endpoint, MailboxOptions.ring(), codec);
    }

    /**
     * Registers the name {@code endpoint} for this process and creates its port as {@code options}
     * say (taking over the port of a holder that died). {@return the endpoint, which receives what
     * is sent to the name and sends by name}
     *
     * @throws NameTakenException if a live process holds the name (the message names it)
     * @throws RegistryFullException if every entry is held by a live process
     * @throws InvalidNameException if the name breaks the rules above
     * @throws IpcTimeoutException if the registry's lock stays held for 10 seconds by a live process
     * @throws IpcInterruptedException if the thread is interrupted while waiting for the lock
     * @throws IllegalArgumentException if {@code options} are {@link MailboxOptions#withoutEnvelope()
     *         without the envelope}: an endpoint's messages carry the reply address in it
     */
    public <T> Endpoint<T> register(String endpoint, MailboxOptions options, Codec<T> codec) {
        byte[] bytes = checkEndpointName(endpoint);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(codec, "codec");
        if (!options.enveloped()) {
            throw new IllegalArgumentException("options=" + options + " are without the envelope, but an endpoint's"
                    + " messages carry the sender's reply address in it: register with options that keep it");
        }
        Port<T> port;
        try {
            port = Port.create(portName(endpoint), options, codec); // exclusive: one holder of the name
        } catch (org.panamaipc.AlreadyExistsException held) {
            RegistryTable.Entry holder = table.find(bytes);
            throw new NameTakenException(name(), endpoint, holder != null ? holder.pid() : 0);
        }
        try {
            int[] claimed = table.claim(endpoint, bytes);
            Endpoint<T> made = new Endpoint<>(this, endpoint, claimed[0], claimed[1], port);
            port.replyTo(made.address());
            return made;
        } catch (RuntimeException | Error e) {
            port.close();
            throw e;
        }
    }

    /**
     * {@return the live holder of {@code endpoint}, or {@code null} if nobody holds it} An entry
     * whose holder has died is freed on the way.
     */
    public ProcessId holder(String endpoint) {
        RegistryTable.Entry entry = table.find(checkEndpointName(endpoint));
        if (entry == null) {
            return null;
        }
        if (!entry.owner().isAlive()) {
            table.unregister(entry.index(), entry.sequence());
            return null;
        }
        return entry.owner();
    }

    /** Frees entry {@code index} if it still holds registration {@code sequence} (an endpoint's close). */
    void unregister(int index, int sequence) {
        table.unregister(index, sequence);
    }

    /** {@return the active entry of a reply address, if it still holds that registration, else null} */
    RegistryTable.Entry entryAt(int index, int sequence) {
        return table.entryAt(index, sequence);
    }

    /**
     * Opens the port of {@code endpoint} to send to it, without registering a name of this process
     * (asymmetric addressing: the receiver cannot name this sender to reply).
     *
     * @throws NotFoundException if no live process holds the name (a dead holder's entry is freed)
     * @throws org.panamaipc.message.PortGoneException if its holder went just now
     */
    public <T> Port<T> lookup(String endpoint, Codec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        if (holder(endpoint) == null) {
            throw new NotFoundException("look up endpoint " + endpoint + " in registry", name(),
                    "no live process holds that name", 0, null, null);
        }
        return Port.open(portName(endpoint), codec);
    }

    /** {@return the names held now by live processes, in entry order} Entries of dead holders are freed on the way. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            RegistryTable.Entry entry = table.read(i);
            if (entry != null) {
                if (entry.owner().isAlive()) {
                    names.add(entry.name());
                } else {
                    table.unregister(entry.index(), entry.sequence());
                }
            }
        }
        return names;
    }

    /** {@return the registry's name} */
    public String name() {
        return segment.name();
    }

    /** {@return how many names it can hold at once: its entries} */
    public int entries() {
        return entries;
    }

    /** {@return whether this handle created the registry} */
    public boolean created() {
        return segment.created();
    }

    /** Removes the registry's name; see {@link #unlink(String)}. */
    public void unlink() {
        segment.unlink();
    }

    /** Unmaps the registry; idempotent. Close the endpoints registered through it first. */
    @Override
    public void close() {
        table.close();
        segment.close();
    }

    @Override
    public String toString() {
        return "EndpointRegistry[" + name() + ", " + entries + " entries]";
    }
}
