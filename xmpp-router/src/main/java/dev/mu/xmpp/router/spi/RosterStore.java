package dev.mu.xmpp.router.spi;

import dev.mu.xmpp.core.jid.BareJid;
import java.util.function.UnaryOperator;

/**
 * Stores each user's roster.
 *
 * <p>Implementations are thread-safe, and {@link #update} is atomic per owner: two concurrent
 * subscription changes for the same user never lose one another.
 */
public interface RosterStore {

    /** The owner's roster, {@link Roster#EMPTY} for a user who has none. */
    Roster get(BareJid owner);

    /**
     * Applies a change to the owner's roster atomically and stores the result.
     *
     * @return the roster after the change
     */
    Roster update(BareJid owner, UnaryOperator<Roster> change);

    /** Removes the owner's roster, when the account is deleted. */
    void delete(BareJid owner);
}
