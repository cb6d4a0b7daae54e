package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.caps.packet.CapsExtension;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.iqlast.LastActivityManager;
import org.jivesoftware.smackx.iqversion.VersionManager;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.jivesoftware.smackx.ping.PingManager;
import org.jivesoftware.smackx.time.EntityTimeManager;
import org.jivesoftware.smackx.time.packet.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.DomainBareJid;

/** The bundled modules over the wire, as Smack's managers use them: disco, caps, ping, version, time, last. */
class ServerModulesIT {

    @TempDir
    Path dataDir;

    XmppServer server;
    Instant beforeStart;
    XMPPTCPConnection alice;
    DomainBareJid domain;

    @BeforeEach
    void start() throws Exception {
        beforeStart = Instant.now();
        server = TestServers.start(dataDir);
        alice = SmackClients.login(server, "alice", TestServers.ALICE_PASSWORD, "phone");
        domain = alice.getXMPPServiceDomain();
    }

    @AfterEach
    void stop() {
        if (alice != null) {
            alice.disconnect();
        }
        server.close();
    }

    @Test
    void discoInfoOfTheServerListsItsFeaturesAndIdentity() throws Exception {
        DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(domain);

        assertTrue(info.hasIdentity("server", "im"), info.toXML().toString());
        for (String feature : List.of("http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items",
                "urn:xmpp:ping", "jabber:iq:version", "urn:xmpp:time", "jabber:iq:last")) {
            assertTrue(info.containsFeature(feature), feature + " missing from " + info.toXML());
        }
        assertFalse(info.containsDuplicateFeatures());
        assertFalse(info.containsDuplicateIdentities());
    }

    @Test
    void capsInTheStreamFeaturesMatchTheDiscoInfo() throws Exception {
        CapsExtension caps = alice.getFeature(CapsExtension.QNAME);
        assertNotNull(caps, "XEP-0115 §6.3: caps in the stream features");
        assertEquals("sha-1", caps.getHash());

        DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(domain);
        assertEquals(verification(info), caps.getVer(), "XEP-0115 §5.1 verification string");
        DiscoverInfo byNode = ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(domain, caps.getNode() + "#" + caps.getVer());
        assertEquals(info.getFeatures(), byNode.getFeatures(), "XEP-0115 §6.2: the caps node answers the same");
    }

    @Test
    void pingMyServer() throws Exception {
        assertTrue(PingManager.getInstanceFor(alice).pingMyServer(false, SmackClients.REPLY_TIMEOUT_MS));
    }

    @Test
    void softwareVersion() throws Exception {
        Version version = VersionManager.getInstanceFor(alice).getVersion(domain);

        assertEquals("Mu XMPP", version.getName());
        assertFalse(version.getVersion() == null || version.getVersion().isBlank());
    }

    @Test
    void entityTime() throws Exception {
        Instant before = Instant.now();
        Time time = EntityTimeManager.getInstanceFor(alice).getTime(domain);
        Instant after = Instant.now();

        assertTrue(time.getTzo().matches("[+-]\\d\\d:\\d\\d"), time.getTzo());
        assertTrue(time.getUtc().endsWith("Z"), "XEP-0082 UTC: " + time.getUtc());
        // Same machine, same clock: the answer lies between asking and hearing back (millisecond precision).
        Instant told = time.getTime().toInstant();
        assertFalse(told.isBefore(before.minusMillis(1)) || told.isAfter(after), told + " not in [" + before + ", " + after + "]");
    }

    @Test
    void lastActivityOfTheServerIsItsUptime() throws Exception {
        long uptime = LastActivityManager.getInstanceFor(alice).getLastActivity(domain).getIdleTime();
        long bound = Duration.between(beforeStart, Instant.now()).toSeconds() + 1;

        assertTrue(uptime >= 0 && uptime <= bound, "XEP-0012 §5 uptime " + uptime + " s, started at most " + bound + " s ago");
    }

    @Test
    void disabledModulesAreLeftOutAndUnknownNamesRefused(@TempDir Path otherDir) throws Exception {
        // XEP-0313 §7: the archive is advertised on the account's bare JID.
        DiscoverInfo account = ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(alice.getUser().asBareJid());
        assertTrue(account.containsFeature("urn:xmpp:mam:2"), account.toXML().toString());

        XmppServer lean = TestServers.builder(otherDir).disableModules(List.of("mam", "version")).build().start();
        XMPPTCPConnection bob = SmackClients.login(lean, "bob", TestServers.BOB_PASSWORD, "desk");
        try {
            DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(bob).discoverInfo(domain);
            DiscoverInfo bobs = ServiceDiscoveryManager.getInstanceFor(bob).discoverInfo(bob.getUser().asBareJid());
            assertFalse(bobs.containsFeature("urn:xmpp:mam:2"), bobs.toXML().toString());
            assertFalse(info.containsFeature("jabber:iq:version"), info.toXML().toString());
            assertTrue(info.containsFeature("urn:xmpp:ping"), info.toXML().toString());
        } finally {
            bob.disconnect();
            lean.close();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestServers.builder(otherDir).disableModules(List.of("mamm")).build());
        assertTrue(e.getMessage().contains("mamm") && e.getMessage().contains("mam"), e.getMessage());
    }

    /** XEP-0115 §5.1, computed independently of the server: identities, then features, sorted. */
    private static String verification(DiscoverInfo info) throws Exception {
        StringBuilder s = new StringBuilder();
        info.getIdentities().stream()
                .sorted(Comparator.comparing(DiscoverInfo.Identity::getCategory)
                        .thenComparing(DiscoverInfo.Identity::getType)
                        .thenComparing(i -> Objects.toString(i.getLanguage(), ""))
                        .thenComparing(i -> Objects.toString(i.getName(), "")))
                .forEach(i -> s.append(i.getCategory()).append('/').append(i.getType()).append('/')
                        .append(Objects.toString(i.getLanguage(), "")).append('/')
                        .append(Objects.toString(i.getName(), "")).append('<'));
        info.getFeatures().stream().map(DiscoverInfo.Feature::getVar).sorted().forEach(f -> s.append(f).append('<'));
        byte[] hash = MessageDigest.getInstance("SHA-1").digest(s.toString().getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(hash);
    }
}
