package org.iotpipeline.gateway.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A client on a plain socket, for what well-behaved HTTP clients never do: send a request a byte
 * at a time. A reader thread collects everything the server sends until it closes the connection.
 */
final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final CompletableFuture<String> closedByServer = new CompletableFuture<>();
    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "raw-connection-trickler");
        thread.setDaemon(true);
        return thread;
    });

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        Thread reader = new Thread(() -> readUntilClosed(in), "raw-connection-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static RawConnection open(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return new RawConnection(socket);
    }

    /** A TLS connection whose handshake is done before this returns. */
    static RawConnection openTls(int port, javax.net.ssl.SSLContext context) throws IOException {
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.startHandshake();
        return new RawConnection(socket);
    }

    synchronized void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * Sends {@code text} now, then one byte of {@code endless} every {@code interval} (cycling)
     * until the connection breaks: a client that never finishes.
     */
    void sendThenTrickle(String text, String endless, Duration interval) throws IOException {
        send(text);
        int[] next = {0};
        trickler.scheduleAtFixedRate(() -> {
            try {
                send(String.valueOf(endless.charAt(next[0]++ % endless.length())));
            } catch (IOException e) {
                trickler.shutdown(); // the server closed the connection: what the tests wait for
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether this client is still sending (it stops only when a write fails). */
    boolean stillTrickling() {
        return !trickler.isShutdown();
    }

    /** Completes with everything the server sent, once the server closed the connection. */
    CompletableFuture<String> closedByServer() {
        return closedByServer;
    }

    private void readUntilClosed(InputStream in) {
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (received) {
                    received.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // A reset instead of a FIN: closed all the same.
        }
        synchronized (received) {
            closedByServer.complete(received.toString(StandardCharsets.ISO_8859_1));
        }
    }

    @Override
    public void close() throws IOException {
        trickler.shutdownNow();
        socket.close();
    }
}
