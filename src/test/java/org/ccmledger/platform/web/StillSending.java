package org.ccmledger.platform.web;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that goes on sending its body after the server refused the request, over a raw socket: what the staged
 * close of {@link TransportProblems} is for.
 */
final class StillSending {

    private StillSending() {
    }

    /** A plain TCP connection to the service on this host, each read waiting at most 10 s. */
    record Connection(Socket socket, InputStream in, OutputStream out) implements AutoCloseable {

        static Connection open(int port) throws IOException {
            Socket socket = new Socket("localhost", port);
            socket.setSoTimeout(10_000);
            return new Connection(socket, socket.getInputStream(), socket.getOutputStream());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Waits, with a deadline, until the server's answer has begun to arrive. */
    static void awaitAnswer(InputStream in) {
        await().atMost(Duration.ofSeconds(10)).until(() -> in.available() > 0);
    }

    /**
     * Writes {@code parts} parts of {@code bytes} each, one per poll: a connection the server closed at once answers
     * the first with a reset, which has come back by the next poll, and that write fails the test.
     */
    static void sendParts(OutputStream out, int parts, int bytes) {
        AtomicInteger sent = new AtomicInteger();
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
               .until(() -> {
                   out.write(new byte[bytes]);
                   out.flush();
                   return sent.incrementAndGet() == parts;
               });
    }

    /** Waits, with a deadline, until a write meets a socket the server has closed. */
    static void awaitClosedByServer(OutputStream out) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            try {
                out.write(new byte[1024]);
                out.flush();
                return false;
            } catch (IOException reset) {
                return true;
            }
        });
    }
}
