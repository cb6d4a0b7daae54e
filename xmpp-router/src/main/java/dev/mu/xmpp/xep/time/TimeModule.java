package dev.mu.xmpp.xep.time;

import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.ModuleContext;
import dev.mu.xmpp.router.spi.XmppModule;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import javax.xml.namespace.QName;

/** XEP-0202: tells the server's time in UTC and its offset, in XEP-0082 format. */
public final class TimeModule implements XmppModule {

    /** The entity time namespace. */
    public static final String NAMESPACE = "urn:xmpp:time";
    /** The time request payload. */
    public static final QName QNAME = new QName(NAMESPACE, "time");

    private final Clock clock;

    /** A module telling the system clock's time. */
    public TimeModule() {
        this(Clock.systemDefaultZone());
    }

    /** A module telling the given clock's time and zone. */
    public TimeModule(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void start(ModuleContext ctx) {
        ctx.addFeature(NAMESPACE);
        ctx.onIq(IqType.GET, QNAME, (session, iq) -> session.send(iq.resultReply(now())));
    }

    XmlElement now() {
        ZonedDateTime local = ZonedDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
        ZoneOffset offset = local.getOffset();
        String tzo = offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId();
        String utc = DateTimeFormatter.ISO_INSTANT.format(local.toInstant());
        return XmlElement.builder(NAMESPACE, "time")
                .child(XmlElement.builder(NAMESPACE, "tzo").text(tzo).build())
                .child(XmlElement.builder(NAMESPACE, "utc").text(utc).build())
                .build();
    }
}
