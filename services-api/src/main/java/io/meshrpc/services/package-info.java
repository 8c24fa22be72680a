/**
 * The contracts between the example services: one sub-package per service, each with
 * its {@link io.meshrpc.api.RpcInterface} (the wire names of its methods), the records it takes and
 * answers, and the exceptions whose type names callers switch on.
 *
 * <p>Both sides compile against the same interface, so a renamed method or field breaks the build
 * rather than a running fleet. The records are plain values mapped by Jackson; unknown JSON fields
 * are ignored by the wire codec, so a field can be added without a fleet-wide restart.
 */
package io.meshrpc.services;
