/**
 * Direct communication: an {@link org.panamaipc.endpoint.EndpointRegistry} in shared memory maps
 * names to the live processes that hold them and their ports; an
 * {@link org.panamaipc.endpoint.Endpoint} receives what is sent to its name, sends to others by
 * name, and replies to the endpoint a message came from.
 */
package org.panamaipc.endpoint;
