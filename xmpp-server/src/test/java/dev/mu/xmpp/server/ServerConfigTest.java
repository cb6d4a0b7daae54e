package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    void disabledModulesAreACommaOrSpaceSeparatedListOfLowerCaseNames() {
        assertEquals(Set.of(), ServerConfig.fromEnvironment(Map.of()).disabledModules());
        assertEquals(Set.of("mam", "vcard"),
                ServerConfig.fromEnvironment(Map.of("XMPP_MODULES_DISABLED", " MAM, vcard ,,")).disabledModules());
        assertEquals(Set.of("mam", "offline"),
                ServerConfig.fromEnvironment(Map.of("XMPP_MODULES_DISABLED", "mam offline")).disabledModules());
    }

    @Test
    void plainCacheIsTenMinutesUnlessSetAndZeroTurnsItOff() {
        assertEquals(Duration.ofMinutes(10), ServerConfig.fromEnvironment(Map.of()).plainCache());
        assertEquals(Duration.ZERO, ServerConfig.fromEnvironment(Map.of("XMPP_PLAIN_CACHE_SECONDS", "0")).plainCache());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(Map.of("XMPP_PLAIN_CACHE_SECONDS", "-1")));
        assertTrue(e.getMessage().contains("XMPP_PLAIN_CACHE_SECONDS"), e.getMessage());
    }
}
