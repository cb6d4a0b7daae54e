package dev.mu.xmpp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
