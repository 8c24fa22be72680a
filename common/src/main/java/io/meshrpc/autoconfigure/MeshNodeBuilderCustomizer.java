package io.meshrpc.autoconfigure;

import io.meshrpc.node.MeshNode;

/**
 * Customizes the {@link MeshNode.Builder} the auto-configuration fills from {@code meshrpc.*}
 * properties, before the node is built: for what properties do not say (a custom JSON mapper, a
 * directory of its own, the in-process transport in tests). Every bean of this type is applied, in
 * {@link org.springframework.core.annotation.Order} order, after the properties, so a customizer
 * wins over them.
 */
@FunctionalInterface
public interface MeshNodeBuilderCustomizer {

    void customize(MeshNode.Builder builder);
}
