/**
 * A transport inside one JVM, without sockets or a broker: for tests of routing, failover and
 * dispatch that run in milliseconds, as grpc-java's in-process transport is for its users.
 *
 * <p>An {@link io.meshrpc.transport.inprocess.InProcessNetwork} joins the transports of several
 * nodes; each node takes a direct one (standing in for ZeroMQ) and, if it has a broker, a broker
 * one (standing in for AMQP). The network injects the faults a fleet sees: a node cut off (sends
 * to it get no ACK), the broker down.
 */
package io.meshrpc.transport.inprocess;
