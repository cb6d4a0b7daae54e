package dev.mu.xmpp.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny authoritative DNS responder on a loopback UDP port, answering A and SRV questions from
 * what the test registered (RFC 1035 §4.1, RFC 2782) and NXDOMAIN for names it does not know. It
 * reads only the question and ignores EDNS; it is what tests and Prosody resolve test domains
 * with. Tests only.
 */
final class TestDnsServer implements AutoCloseable {

    private static final int A = 1;
    private static final int SRV = 33;

    /** One SRV record (RFC 2782). */
    record Srv(int priority, int weight, int port, String target) {
    }

    private final DatagramSocket socket;
    private final Map<String, InetAddress> addresses = new ConcurrentHashMap<>();
    private final Map<String, List<Srv>> services = new ConcurrentHashMap<>();
    private final Thread thread;

    /** Listens on any free UDP port of the address and answers until closed. */
    TestDnsServer(String address) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(address, 0));
        thread = new Thread(this::serve, "test-dns");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where to send queries. */
    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Answers A questions for {@code name} with {@code address}. */
    TestDnsServer a(String name, String address) throws IOException {
        addresses.put(key(name), InetAddress.getByName(address));
        return this;
    }

    /** Adds an SRV record at {@code name}, e.g. {@code _xmpps-server._tcp.example.test}. */
    TestDnsServer srv(String name, Srv record) {
        services.computeIfAbsent(key(name), k -> new CopyOnWriteArrayList<>()).add(record);
        return this;
    }

    private void serve() {
        byte[] buf = new byte[1500];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
                byte[] reply = answer(buf, packet.getLength());
                if (reply != null) {
                    socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (SocketException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // a malformed query: no answer, the client retries or gives up
            }
        }
    }

    private byte[] answer(byte[] q, int length) {
        if (length < 12 || (q[4] << 8 | q[5] & 0xff) != 1) {
            return null;
        }
        // The question: labels, then type and class.
        int p = 12;
        StringBuilder name = new StringBuilder();
        while (q[p] != 0) {
            int n = q[p] & 0xff;
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(q, p + 1, n, StandardCharsets.US_ASCII));
            p += n + 1;
        }
        p++;
        int type = (q[p] & 0xff) << 8 | q[p + 1] & 0xff;
        int questionEnd = p + 4;
        String key = key(name.toString());

        ByteArrayOutputStream answers = new ByteArrayOutputStream();
        int count = 0;
        boolean known = addresses.containsKey(key) || services.containsKey(key);
        if (type == A && addresses.containsKey(key)) {
            record(answers, A, addresses.get(key).getAddress());
            count++;
        } else if (type == SRV && services.containsKey(key)) {
            for (Srv s : services.get(key)) {
                ByteArrayOutputStream rdata = new ByteArrayOutputStream();
                short16(rdata, s.priority());
                short16(rdata, s.weight());
                short16(rdata, s.port());
                for (String label : s.target().split("\\.")) {
                    rdata.write(label.length());
                    rdata.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
                }
                rdata.write(0);
                record(answers, SRV, rdata.toByteArray());
                count++;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(q[0]);
        out.write(q[1]);
        // QR, opcode 0, AA, RD copied; RA; RCODE 3 (NXDOMAIN) for unknown names.
        out.write(0x84 | q[2] & 0x01);
        out.write(0x80 | (known ? 0 : 3));
        short16(out, 1);
        short16(out, count);
        short16(out, 0);
        short16(out, 0);
        out.write(q, 12, questionEnd - 12);
        out.writeBytes(answers.toByteArray());
        return out.toByteArray();
    }

    /** A resource record named by a pointer to the question name at offset 12. */
    private static void record(ByteArrayOutputStream out, int type, byte[] rdata) {
        out.write(0xc0);
        out.write(12);
        short16(out, type);
        short16(out, 1);
        short16(out, 0);
        short16(out, 60);
        short16(out, rdata.length);
        out.writeBytes(rdata);
    }

    private static void short16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8 & 0xff);
        out.write(v & 0xff);
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
