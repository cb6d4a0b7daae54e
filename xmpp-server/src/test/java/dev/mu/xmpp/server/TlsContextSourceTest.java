package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsContextSourceTest {

    @TempDir
    Path dir;

    @Test
    void aRenewedCertificateReplacesTheContextOnTheNextLook() throws IOException {
        TlsContextSource source = liveSource(Duration.ZERO);
        SslContext before = source.context();
        assertSame(before, source.context(), "unchanged files keep the context");

        renew();

        SslContext after = source.context();
        assertNotSame(before, after);
        assertSame(after, source.context());
    }

    @Test
    void filesAreNotLookedAtAgainWithinTheInterval() throws IOException {
        TlsContextSource source = liveSource(Duration.ofHours(1));
        SslContext before = source.context();

        renew();

        assertSame(before, source.context(), "the renewal waits for the next look");
    }

    @Test
    void boringSslKeepsSmallHandshakeBuffers() throws IOException {
        TlsContextSource source = TlsContextSource.selfSigned("chat.example", dir.resolve("live"));
        assumeTrue(source.context() instanceof ReferenceCountedOpenSslContext, "BoringSSL is not available here");
        assertEquals(TlsContextSource.HANDSHAKE_BUFFER_BYTES,
                ((ReferenceCountedOpenSslContext) source.context()).getBioNonApplicationBufferSize());
    }

    /** A source over a fresh self-signed certificate in {@code live/}, looking at it once per interval. */
    private TlsContextSource liveSource(Duration checkInterval) {
        TlsContextSource.selfSigned("chat.example", dir.resolve("live"));
        return new TlsContextSource(dir.resolve("live/chat.example.crt"), dir.resolve("live/chat.example.key"),
                checkInterval);
    }

    /** Replaces the files in {@code live/} with a new certificate and key, as certbot's renewal would. */
    private void renew() throws IOException {
        Path cert = dir.resolve("live/chat.example.crt");
        Path key = dir.resolve("live/chat.example.key");
        TlsContextSource.selfSigned("chat.example", dir.resolve("renewed"));
        FileTime later = FileTime.from(Instant.now().plusSeconds(60));
        Files.copy(dir.resolve("renewed/chat.example.crt"), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("renewed/chat.example.key"), key, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(cert, later);
        Files.setLastModifiedTime(key, later);
    }
}
