package dev.mu.xmpp.xep.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.MutableClock;
import dev.mu.xmpp.router.TestClient;
import dev.mu.xmpp.router.TestServer;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** XEP-0202 entity time, in the XEP-0082 profiles. */
class TimeModuleTest {

    /** XEP-0082 §3.2 DateTime "CCYY-MM-DDThh:mm:ss[.sss]TZD", here in UTC. */
    private static final String UTC_DATETIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z";

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({
            "2024-05-01T12:00:00Z, UTC, +00:00, 2024-05-01T12:00:00Z",
            "2024-05-01T12:00:00.123456Z, Europe/Paris, +02:00, 2024-05-01T12:00:00.123Z",
            "2024-01-15T03:04:05.500Z, America/Denver, -07:00, 2024-01-15T03:04:05.500Z",
            "2024-01-15T03:04:05Z, Asia/Kolkata, +05:30, 2024-01-15T03:04:05Z"})
    void tellsUtcAndTheOffset(String now, String zone, String tzo, String utc) {
        ZoneId z = zone.equals("UTC") ? ZoneOffset.UTC : ZoneId.of(zone);
        TestServer server = new TestServer(List.of(new TimeModule(new MutableClock(Instant.parse(now), z))), "alice");
        TestClient alice = server.online("alice", "phone");

        alice.sendIq("get", "example.com", "<time xmlns='urn:xmpp:time'/>");

        XmlElement time = alice.next().firstChild(TimeModule.NAMESPACE, "time");
        String gotTzo = time.firstChild(TimeModule.NAMESPACE, "tzo").text();
        String gotUtc = time.firstChild(TimeModule.NAMESPACE, "utc").text();
        // XEP-0082 §3.3 time zone: "(+|-)hh:mm"; XEP-0202: utc in UTC with 'Z'.
        assertTrue(gotTzo.matches("[+-]\\d{2}:\\d{2}"), gotTzo);
        assertEquals(tzo, gotTzo);
        assertTrue(gotUtc.matches(UTC_DATETIME), gotUtc);
        assertEquals(utc, gotUtc);
    }
}
