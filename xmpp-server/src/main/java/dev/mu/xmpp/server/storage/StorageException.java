package dev.mu.xmpp.server.storage;

import java.sql.SQLException;

/** A database operation failed; the stanza that needed it gets an {@code internal-server-error}. */
public final class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StorageException(SQLException cause) {
        super(cause.getMessage(), cause);
    }
}
