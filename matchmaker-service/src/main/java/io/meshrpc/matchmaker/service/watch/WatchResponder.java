package io.meshrpc.matchmaker.service.watch;

/**
 * Where a waiting watch's answer goes: the HTTP exchange held open for it. Called at most once, from a thread of
 * the hub.
 */
public interface WatchResponder {

    /** Writes the answer, a JSON document, and ends the exchange; a client that went away is ignored. */
    void answer(byte[] json);

    /** Ends the exchange with 503: the answer could not be built (the store failed); the client retries. */
    void unavailable();
}
