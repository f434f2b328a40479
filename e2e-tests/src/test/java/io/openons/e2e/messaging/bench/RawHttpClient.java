package io.openons.e2e.messaging.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 keep-alive client for load generation (one connection per thread, like wrk): the JDK's
 * HttpClient costs more CPU per request than the server under test on this 2-core machine, which would measure
 * the load generator instead of the suite. Handles Content-Length responses only (what Quarkus answers).
 */
final class RawHttpClient implements AutoCloseable {

    private final String host;
    private final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    RawHttpClient(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** The status and body of one request. */
    record Answer(int status, String body) {
    }

    Answer post(String target, String headers, byte[] body) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                connect();
                String head = "POST " + target + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + headers
                        + "Content-Length: " + body.length + "\r\n\r\n";
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                return read();
            } catch (IOException e) {
                close();
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private void connect() throws IOException {
        if (socket == null) {
            socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }
    }

    private Answer read() throws IOException {
        String status = line();
        int code = Integer.parseInt(status.substring(9, 12));
        int length = 0;
        boolean close = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(h.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("Connection") && h.toLowerCase().contains("close")) {
                close = true;
            }
        }
        byte[] body = in.readNBytes(length);
        if (close) {
            close();
        }
        return new Answer(code, new String(body, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (c == -1 && line.length() == 0) {
            throw new IOException("connection closed");
        }
        return line.toString();
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        socket = null;
    }
}
