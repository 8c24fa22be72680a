/**
 * The matchmaker's REST protocol (version 1) as Java types, shared by {@code matchmaker-service}, which serves it,
 * and by a node's client, which sends and reads it. Nothing here depends on Spring or on a transport: a peer in
 * another language follows {@code docs/matchmaker-api.md}, which documents the same shapes.
 *
 * <p>{@link io.meshrpc.matchmaker.protocol.DeliveryPolicy} is here too: the service stores overrides of it, and a
 * node's routing decides by it.
 */
package io.meshrpc.matchmaker.protocol;
