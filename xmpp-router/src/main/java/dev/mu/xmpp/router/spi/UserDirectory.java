package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.EntityBareJid;

/** Tells whether a local account exists, for the delivery rules of RFC 6121 §8.5.1. Thread-safe. */
@FunctionalInterface
public interface UserDirectory {

    /** Whether the account exists on this server. */
    boolean exists(EntityBareJid user);
}
