package dev.mu.xmpp.xep.delay;

import dev.mu.xmpp.core.xml.XmlElement;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import javax.xml.namespace.QName;

/** Builds the XEP-0203 {@code <delay/>} element, with the XEP-0082 UTC timestamp format. */
public final class Delay {

    /** The delayed delivery namespace. */
    public static final String NAMESPACE = "urn:xmpp:delay";
    /** The delay element. */
    public static final QName QNAME = new QName(NAMESPACE, "delay");

    private Delay() {
    }

    /**
     * A delay stamp.
     *
     * @param from   the entity that delayed the stanza, usually the server's domain
     * @param stamp  when the stanza was originally received
     * @param reason a human-readable reason, or {@code null}
     */
    public static XmlElement of(String from, Instant stamp, String reason) {
        return XmlElement.builder(NAMESPACE, "delay")
                .attribute("from", from)
                .attribute("stamp", format(stamp))
                .apply(b -> {
                    if (reason != null) {
                        b.text(reason);
                    }
                })
                .build();
    }

    /** XEP-0082 DateTime in UTC with millisecond precision, e.g. {@code 2026-11-25T10:00:00.123Z}. */
    public static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
