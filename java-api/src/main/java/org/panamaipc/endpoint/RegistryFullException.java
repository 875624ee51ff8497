package org.panamaipc.endpoint;

import org.panamaipc.LimitReachedException;

/**
 * Every entry of an {@link EndpointRegistry} is held by a live process, so a name cannot be
 * registered: "Unable to register endpoint printer in registry /apps since the limit registry
 * entries (now 64) is reached; raise it with ...". Entries of processes that have died are freed
 * before this is thrown, so the names counted are all live. {@link #errno()} is 0.
 */
public class RegistryFullException extends LimitReachedException {

    private static final long serialVersionUID = 1L;

    /**
     * @param registry the registry's name
     * @param endpoint the endpoint name that found no room
     * @param entries  the registry's number of entries
     */
    public RegistryFullException(String registry, String endpoint, int entries) {
        super("register endpoint " + endpoint + " in registry", registry, 0, null, null, "registry entries",
                Integer.toString(entries), "a registry created with more entries (EndpointRegistry.create(name, entries),"
                        + " default " + EndpointRegistry.DEFAULT_ENTRIES + "), or by closing endpoints no longer used");
    }
}
