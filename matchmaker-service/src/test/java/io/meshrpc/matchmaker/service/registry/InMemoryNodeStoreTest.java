package io.meshrpc.matchmaker.service.registry;

class InMemoryNodeStoreTest extends NodeStoreContractTest {

    @Override
    protected NodeStore newStore() {
        return new InMemoryNodeStore();
    }
}
