package io.meshrpc.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP relay to a real server that can go silent: while {@link #silence() silenced} it stops moving
 * bytes either way without closing anything, as a firewall that drops packets does. No RST, no FIN:
 * both ends keep a connection that looks open, writes fill the buffers and then block.
 */
final class SilentLink implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch open = new CountDownLatch(0);

    SilentLink(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "silent-link-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on no byte passes, in either direction, until {@link #restore()}. */
    void silence() {
        open = new CountDownLatch(1);
    }

    void restore() {
        open.countDown();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(target);
                pump(client, target);
                pump(target, client);
            } catch (IOException ex) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    open.await(); // silenced: hold the bytes, read nothing more
                    out.write(buffer, 0, n);
                }
            } catch (IOException | InterruptedException ex) {
                // a side closed: the pump ends
            }
        }, "silent-link-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        restore();
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
