package io.meshrpc.transport.zmq;

import java.util.Set;

/**
 * CURVE on the ZeroMQ transport: every receiver is a CURVE server, every sender a CURVE client,
 * and a receiver accepts only the client keys it was told to.
 *
 * @param keys           this node's key pair (server key for its ROUTER, client key for its DEALERs)
 * @param allowedClients Z85 public keys of the clients this node accepts
 * @param allowAnyClient accept every CURVE client (traffic is still encrypted, but not
 *                       authenticated); for trying CURVE out, not for production
 */
public record CurveSettings(CurveKeys keys, Set<String> allowedClients, boolean allowAnyClient) {

    public CurveSettings {
        allowedClients = allowedClients == null ? Set.of() : Set.copyOf(allowedClients);
        for (String key : allowedClients) {
            if (!CurveKeys.isKey(key)) {
                throw new IllegalArgumentException("meshrpc.zmq.curve.allowed-clients holds a bad key: '" + key
                        + "' (expected 40 Z85 characters)");
            }
        }
        if (!allowAnyClient && allowedClients.isEmpty()) {
            throw new IllegalArgumentException("CURVE is on but no client may connect: set "
                    + "meshrpc.zmq.curve.allowed-clients (or allow-any-client=true to skip authentication)");
        }
    }

    boolean allows(String clientKey) {
        return allowAnyClient || allowedClients.contains(clientKey);
    }
}
