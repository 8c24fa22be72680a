package io.meshrpc.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.meshrpc.api.RpcEndpoint;
import io.meshrpc.api.RpcInterface;
import io.meshrpc.api.RpcMethod;

/** Endpoints used by the integration tests: small, observable, OpenStack-flavoured. */
final class Endpoints {

    private Endpoints() {
    }

    record BuildRequest(String name, int vcpus, int ramMb) {
    }

    record HostRef(String host, int freeVcpus) {
    }

    @RpcInterface(topic = "scheduler")
    interface SchedulerApi {
        @RpcMethod("select_destination")
        HostRef selectDestination(BuildRequest request);

        CompletableFuture<List<HostRef>> hosts(int limit);

        void refresh(String reason);
    }

    /** Answers with its own node name, so tests can see which node served a call. */
    @RpcEndpoint(topic = "scheduler")
    static final class Scheduler implements SchedulerApi {
        final String name;
        final AtomicInteger refreshes = new AtomicInteger();

        Scheduler(String name) {
            this.name = name;
        }

        @Override
        public HostRef selectDestination(BuildRequest request) {
            return new HostRef(name, 64 - request.vcpus());
        }

        @Override
        public CompletableFuture<List<HostRef>> hosts(int limit) {
            return CompletableFuture.completedFuture(List.of(new HostRef(name, limit)));
        }

        @Override
        public void refresh(String reason) {
            refreshes.incrementAndGet();
        }

        public String whoami() {
            return name;
        }

        public String fail(String message) {
            throw new IllegalStateException(message);
        }

        public String slow(long millis) throws InterruptedException {
            Thread.sleep(millis);
            return "done";
        }

        public int add(int a, int b) {
            return a + b;
        }
    }

    /** Counts every message it handles, per key, and can release waiters. */
    @RpcEndpoint(topic = "compute")
    static final class Compute {
        final String name;
        final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
        final AtomicInteger total = new AtomicInteger();
        volatile CountDownLatch latch = new CountDownLatch(0);

        Compute(String name) {
            this.name = name;
        }

        @RpcMethod("build_instance")
        public void buildInstanceSnake(String id) {
            buildInstance(id);
        }

        public void buildInstance(String id) {
            handled.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
            latch.countDown();
        }

        public void refreshFlavors(String version) {
            total.incrementAndGet();
            latch.countDown();
        }

        public String host() {
            return name;
        }
    }

    /** Version 1.3 of an interface served side by side with {@link InventoryTwo}. */
    @RpcEndpoint(topic = "inventory", version = "1.3")
    static final class InventoryOne {
        public String served() {
            return "1.3";
        }
    }

    /** Version 2.1 of the same interface, on the same node. */
    @RpcEndpoint(topic = "inventory", version = "2.1")
    static final class InventoryTwo {
        public String served() {
            return "2.1";
        }
    }
}
