package dev.creditline.kernel.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 connection over a plain socket, for what a client library will not send: odd framing, idle or slow
 * connections, several requests in one write. Reads answers byte by byte, so what follows an answer stays unread.
 */
public final class RawHttp implements Closeable {
    private final Socket socket;
    private final BufferedInputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** A connection to the server's port from 127.0.0.1. */
    public static RawHttp connect(int port) {
        return connect("127.0.0.1", port);
    }

    /**
     * A connection from the given local address (any of 127.0.0.0/8 is this machine on Linux, so a test can be
     * several clients).
     */
    public static RawHttp connect(String localAddress, int port) {
        try {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            return new RawHttp(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends text as it is (ISO-8859-1), CRLFs and all. */
    public RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether sending fails (the server closed the connection and said so with a reset). */
    public boolean sendFails(String text) {
        try {
            send(text);
            send(text);
            return false;
        } catch (UncheckedIOException e) {
            return true;
        }
    }

    /** An HTTP/1.1 request ("METHOD target") with the given headers and a Host, without a body. */
    public static String request(String methodAndTarget, String... headers) {
        StringBuilder out = new StringBuilder(methodAndTarget).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : headers) {
            out.append(header).append("\r\n");
        }
        return out.append("\r\n").toString();
    }

    /** The next answer (its body read by Content-Length or chunks); fails when none comes within ten seconds. */
    public Answer read() {
        return read(false);
    }

    /** The next answer to a HEAD request: headers only, whatever Content-Length says. */
    public Answer readHead() {
        return read(true);
    }

    private Answer read(boolean head) {
        try {
            String statusLine = line();
            if (statusLine == null) {
                throw new AssertionError("the connection closed before an answer");
            }
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line = line(); line != null && !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            String body = "";
            String length = first(headers, "Content-Length");
            String encoding = first(headers, "Transfer-Encoding");
            if (head || status == 204 || status == 304 || status / 100 == 1) {
                body = "";
            } else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                     size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                    out.write(in.readNBytes(size));
                    line();
                }
                line();
                body = out.toString(StandardCharsets.UTF_8);
            } else if (length != null) {
                body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
            }
            return new Answer(statusLine, status, headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the server closes the connection (end of stream or reset) within the time, reading and dropping
     * anything it sends before.
     */
    public boolean closedWithin(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
                try {
                    if (in.read() < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    return false;
                } catch (SocketException e) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                socket.setSoTimeout(10_000);
            } catch (SocketException ignored) {
                // closed
            }
        }
    }

    /** Sends text once; false when the connection is gone (the server closed it). */
    public boolean trySend(String text) {
        try {
            send(text);
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** Whether the server sends something (or closes) within the time; nothing is read. */
    public boolean awaitData(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            in.mark(1);
            try {
                in.read();
                in.reset();
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true;
            } finally {
                socket.setSoTimeout(10_000);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the server sends until it closes the connection (or ten seconds pass). */
    public String readToEnd() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b >= 0; b = in.read()) {
                out.write(b);
            }
        } catch (SocketTimeoutException | SocketException e) {
            // what came is what there is
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private String line() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                String text = out.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            out.write(b);
        }
        return out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /**
     * An answer.
     *
     * @param statusLine the status line as sent
     * @param status     its status code
     * @param headers    the headers by name, in any case
     * @param body       the body as text
     */
    public record Answer(String statusLine, int status, Map<String, List<String>> headers, String body) {
        /** The header's first value, or null. */
        public String header(String name) {
            return first(headers, name);
        }
    }
}
