package io.meshrpc.it;

import java.util.ArrayList;
import java.util.List;

/** What a test started and must stop, closed in the reverse order it was kept. */
final class Closeables implements AutoCloseable {

    private final List<AutoCloseable> kept = new ArrayList<>();

    <T extends AutoCloseable> T keep(T closeable) {
        kept.add(closeable);
        return closeable;
    }

    @Override
    public void close() throws Exception {
        for (int i = kept.size() - 1; i >= 0; i--) {
            kept.get(i).close();
        }
        kept.clear();
    }
}
