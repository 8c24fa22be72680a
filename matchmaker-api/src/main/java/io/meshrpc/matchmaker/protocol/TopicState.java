package io.meshrpc.matchmaker.protocol;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One topic in a {@link WatchAnswer}.
 *
 * @param policy the topic's delivery-policy override now ({@code zmq}, {@code amqp}, {@code zmq-first}), or
 *        {@code null} (absent on the wire) for none; always the current one, in a delta too
 * @param set in a snapshot every live member; in a delta the members that joined or changed (a node whose own
 *        override changed is listed again with its new {@code policy})
 * @param removed in a delta the ids of the members that left the topic (deregistered, expired, or no longer
 *        serving it); empty in a snapshot
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TopicState(String policy, List<Member> set, List<String> removed) {

    public TopicState {
        set = set == null ? List.of() : List.copyOf(set);
        removed = removed == null ? List.of() : List.copyOf(removed);
    }
}
