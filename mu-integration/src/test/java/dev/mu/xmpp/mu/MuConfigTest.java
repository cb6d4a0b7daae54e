package dev.mu.xmpp.mu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MuConfigTest {

    private static final Path HOME = Path.of("/home/mu");

    @Test
    void defaultsFollowMu() {
        MuConfig c = MuConfig.fromEnvironment(Map.of(), HOME);
        assertEquals("localhost", c.server().domain());
        assertEquals(5222, c.server().port());
        assertEquals(5269, c.s2sPort());
        assertEquals(HOME.resolve(".mu/data"), c.muDataDir());
        assertEquals(HOME.resolve(".mu/data/xmpp"), c.server().dataDir());
        assertNull(c.muUrl());
        assertEquals(5280, c.statusPort());
        assertEquals("127.0.0.1", c.statusBind());
    }

    @Test
    void federationCanBeSwitchedOff() {
        assertEquals(-1, MuConfig.fromEnvironment(Map.of("XMPP_S2S_PORT", "off"), HOME).s2sPort());
    }

    @Test
    void readsEveryMuVariable() {
        MuConfig c = MuConfig.fromEnvironment(Map.of(
                "XMPP_DOMAIN", "chat.example.com", "XMPP_PORT", "15222", "XMPP_S2S_PORT", "15269",
                "MU_DATA_DIR", "/srv/mu", "XMPP_DATA_DIR", "/var/lib/xmpp", "MU_URL", "https://mu.example.com/",
                "XMPP_STATUS_PORT", "off", "XMPP_STATUS_BIND", "0.0.0.0"), HOME);
        assertEquals("chat.example.com", c.server().domain());
        assertEquals(15222, c.server().port());
        assertEquals(15269, c.s2sPort());
        assertEquals(Path.of("/srv/mu"), c.muDataDir());
        assertEquals(Path.of("/var/lib/xmpp"), c.server().dataDir());
        assertEquals(URI.create("https://mu.example.com/"), c.muUrl());
        assertEquals(-1, c.statusPort());
        assertEquals("0.0.0.0", c.statusBind());
    }

    @Test
    void onlyTrueEnables() {
        assertFalse(MuConfig.enabled(Map.of()));
        assertFalse(MuConfig.enabled(Map.of("XMPP_ENABLED", "")));
        assertFalse(MuConfig.enabled(Map.of("XMPP_ENABLED", "false")));
        assertTrue(MuConfig.enabled(Map.of("XMPP_ENABLED", "true")));
        assertTrue(MuConfig.enabled(Map.of("XMPP_ENABLED", "TRUE")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MuConfig.enabled(Map.of("XMPP_ENABLED", "yes")))
                .getMessage().startsWith("XMPP_ENABLED "));
    }

    @Test
    void aWrongValueNamesItsVariable() {
        Map<String, String> wrong = Map.of(
                "XMPP_PORT", "5222x", "XMPP_S2S_PORT", "70000", "XMPP_STATUS_PORT", "http",
                "MU_URL", "mu.example.com", "MU_DATA_DIR", " ", "XMPP_DOMAIN", " ", "XMPP_STATUS_BIND", "");
        for (Map.Entry<String, String> e : wrong.entrySet()) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> MuConfig.fromEnvironment(Map.of(e.getKey(), e.getValue()), HOME), e.getKey());
            assertTrue(ex.getMessage().startsWith(e.getKey() + " "), ex.getMessage());
            assertFalse(ex.getMessage().contains("\n"));
        }
    }
}
