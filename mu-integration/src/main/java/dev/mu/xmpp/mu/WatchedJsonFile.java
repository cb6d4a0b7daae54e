package dev.mu.xmpp.mu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON file another program owns, parsed again whenever its modification time, size or file key
 * (inode) changed since the last read; never written. Thread-safe.
 *
 * <p>A file that does not parse (Mu may be half-way through rewriting it) keeps the last good value
 * and is tried again on the next use; a missing file reads as {@code missing}.
 */
final class WatchedJsonFile<T> {

    private static final Logger log = LoggerFactory.getLogger(WatchedJsonFile.class);

    private final Path file;
    private final ObjectMapper json;
    private final Function<JsonNode, T> parser;
    private final T missing;
    private Stamp stamp;
    private T value;

    /** A stamp that tells whether the file changed without reading it. */
    private record Stamp(FileTime modified, long size, Object key) {
    }

    WatchedJsonFile(Path file, ObjectMapper json, Function<JsonNode, T> parser, T missing) {
        this.file = file;
        this.json = json;
        this.parser = parser;
        this.missing = missing;
        this.value = missing;
    }

    /** The file's current content, read again first if it changed. */
    synchronized T get() {
        Stamp now;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            now = new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (NoSuchFileException e) {
            stamp = null;
            value = missing;
            return value;
        } catch (IOException e) {
            log.warn("xmpp mu: cannot read {}: {}; keeping what was read before", file, e.toString());
            return value;
        }
        if (!Objects.equals(now, stamp)) {
            try {
                value = parser.apply(json.readTree(file.toFile()));
                stamp = now;
                log.info("xmpp mu: read {}", file);
            } catch (IOException | RuntimeException e) {
                log.warn("xmpp mu: cannot parse {}: {}; keeping what was read before", file, e.getMessage());
            }
        }
        return value;
    }

    /** The file read. */
    Path file() {
        return file;
    }
}
