package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;

/**
 * A hand-written XMPP client stream for transcript tests: writes the XML it is given and reads
 * until the server's bytes match a pattern, within a bounded time. Tests only.
 */
final class RawXmppSocket implements AutoCloseable {

    private static final int TIMEOUT_MS = 5000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final StringBuilder unread = new StringBuilder();
    private boolean eof;

    private RawXmppSocket(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(TIMEOUT_MS);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A plain TCP connection. */
    static RawXmppSocket plain(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
        return new RawXmppSocket(s);
    }

    /** A plain TCP connection to an address of the loopback network. */
    static RawXmppSocket plain(String host, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
        return new RawXmppSocket(s);
    }

    /**
     * After {@code <proceed/>}: the same connection with a TLS handshake of the given factory
     * (RFC 6120 §5.4.3.3); this object must not be used any more.
     */
    RawXmppSocket startTls(javax.net.ssl.SSLSocketFactory tls, String host) throws IOException {
        SSLSocket s = (SSLSocket) tls.createSocket(socket, host, socket.getPort(), true);
        s.setSoTimeout(TIMEOUT_MS);
        s.startHandshake();
        return new RawXmppSocket(s);
    }

    /** A plain TCP connection from another loopback address, such as 127.0.0.2, as a second client host. */
    static RawXmppSocket plain(int port, String localAddress) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(localAddress, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
        return new RawXmppSocket(s);
    }

    /** A direct TLS (XEP-0368) connection trusting any certificate. */
    static RawXmppSocket directTls(int port) throws Exception {
        return directTls(port, "127.0.0.1");
    }

    /** A direct TLS connection from another loopback address, with a small receive buffer. */
    static RawXmppSocket directTls(int port, String localAddress) throws Exception {
        SSLSocket s = (SSLSocket) SmackClients.trustAllSocketFactory().createSocket();
        s.setReceiveBufferSize(4096);
        s.bind(new InetSocketAddress(localAddress, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
        s.setSoTimeout(TIMEOUT_MS);
        s.startHandshake();
        return new RawXmppSocket(s);
    }

    /** Sends the initial stream header of a client stream to the domain (RFC 6120 §4.7). */
    RawXmppSocket openStream(String domain) throws IOException {
        return send("<?xml version='1.0'?><stream:stream to='" + domain + "' version='1.0' xml:lang='en'"
                + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
    }

    /** Whether the server has closed the connection: reads what is left and reports end of stream. */
    boolean closedByServer() {
        try {
            byte[] buf = new byte[4096];
            while (!eof) {
                int n = in.read(buf);
                if (n < 0) {
                    eof = true;
                } else {
                    unread.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            }
            return true;
        } catch (IOException e) {
            // A reset is a close too; a timeout means the connection is still open.
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }

    /** Everything received and not yet consumed by {@link #readUntil}. */
    String received() {
        return unread.toString();
    }

    /** Writes raw XML. */
    RawXmppSocket send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** Writes {@code length} raw bytes from {@code offset}, e.g. part of a multi-byte character. */
    RawXmppSocket send(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        out.flush();
        return this;
    }

    /** SASL PLAIN with an initial response (RFC 4616, RFC 6120 §6.4.2). */
    RawXmppSocket authPlain(String user, String password) throws IOException {
        String initial = java.util.Base64.getEncoder()
                .encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        return send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + initial + "</auth>");
    }

    /**
     * Reads until the received text matches the regular expression, and returns everything up to the
     * end of the match; what follows stays for the next read. Fails after five seconds or at EOF.
     */
    String readUntil(String regex) throws IOException {
        Pattern p = Pattern.compile(regex, Pattern.DOTALL);
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        byte[] buf = new byte[4096];
        while (true) {
            Matcher m = p.matcher(unread);
            if (m.find()) {
                String upTo = unread.substring(0, m.end());
                unread.delete(0, m.end());
                return upTo;
            }
            if (eof || System.nanoTime() - deadline > 0) {
                fail("expected /" + regex + "/ but the server sent" + (eof ? " (then closed)" : "") + ": " + unread);
            }
            try {
                int n = in.read(buf);
                if (n < 0) {
                    eof = true;
                } else {
                    // The server's replies in these tests are ASCII, so decoding per read is exact.
                    unread.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (SocketTimeoutException e) {
                // loop to the deadline check
            }
        }
    }

    /** Reads until the server closes the connection; returns what came before. */
    String readToEnd() throws IOException {
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        byte[] buf = new byte[4096];
        while (!eof) {
            if (System.nanoTime() - deadline > 0) {
                fail("the server did not close the connection; it sent: " + unread);
            }
            try {
                int n = in.read(buf);
                if (n < 0) {
                    eof = true;
                } else {
                    unread.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (SocketTimeoutException e) {
                // loop to the deadline check
            } catch (IOException e) {
                // a reset after the server's close also ends the stream
                eof = true;
            }
        }
        String all = unread.toString();
        unread.setLength(0);
        return all;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
