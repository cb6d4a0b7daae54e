package dev.mu.xmpp.xep.mam;

import dev.mu.xmpp.core.jid.BareJid;
import dev.mu.xmpp.core.jid.Jid;
import dev.mu.xmpp.core.jid.JidFormatException;
import dev.mu.xmpp.core.stanza.Iq;
import dev.mu.xmpp.core.stanza.IqType;
import dev.mu.xmpp.core.stanza.Message;
import dev.mu.xmpp.core.stanza.MessageType;
import dev.mu.xmpp.core.stanza.StanzaError;
import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.Addressing;
import dev.mu.xmpp.router.spi.ArchivePage;
import dev.mu.xmpp.router.spi.ArchivePreferences;
import dev.mu.xmpp.router.spi.ArchiveQuery;
import dev.mu.xmpp.router.spi.ArchiveStore;
import dev.mu.xmpp.router.spi.ArchivedMessage;
import dev.mu.xmpp.router.spi.ModuleContext;
import dev.mu.xmpp.router.spi.Session;
import dev.mu.xmpp.router.spi.XmppModule;
import dev.mu.xmpp.xep.delay.Delay;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.xml.namespace.QName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0313: archives the one-to-one messages each local user sends and receives, stamps received
 * ones with an XEP-0359 stanza-id, and answers archive queries with XEP-0059 paging and archiving
 * preferences.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #RETENTION_OPTION}</td><td>none: kept forever</td><td>a {@link Duration}
 *   after which archived messages are removed, checked hourly</td></tr>
 *   <tr><td>{@value #MAX_PAGE_OPTION}</td><td>{@value #DEFAULT_MAX_PAGE}</td><td>the largest page
 *   a query gets, whatever its {@code <max/>} says</td></tr>
 * </table>
 */
public final class MamModule implements XmppModule {

    private static final Logger log = LoggerFactory.getLogger(MamModule.class);

    /** The MAM namespace. */
    public static final String NAMESPACE = "urn:xmpp:mam:2";
    /** The query element. */
    public static final QName QUERY = new QName(NAMESPACE, "query");
    /** The preferences element. */
    public static final QName PREFS = new QName(NAMESPACE, "prefs");
    /** The archive metadata element. */
    public static final QName METADATA = new QName(NAMESPACE, "metadata");
    /** The XEP-0359 namespace. */
    public static final String SID_NAMESPACE = "urn:xmpp:sid:0";
    /** The option naming the retention period. */
    public static final String RETENTION_OPTION = "mam.retention";
    /** The option naming the page size cap. */
    public static final String MAX_PAGE_OPTION = "mam.max-page";
    /** The page size cap unless configured otherwise. */
    public static final int DEFAULT_MAX_PAGE = 100;

    static final String FORWARD_NS = "urn:xmpp:forward:0";
    static final String RSM_NS = "http://jabber.org/protocol/rsm";
    static final String DATA_NS = "jabber:x:data";
    static final String VALIDATE_NS = "http://jabber.org/protocol/xdata-validate";

    /** A form field this module does not know: XEP-0313 answers it with feature-not-implemented. */
    private static final class UnknownField extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnknownField(String var) {
            super("Unsupported field " + var);
        }
    }

    private final Clock clock;
    private ModuleContext ctx;
    private ArchiveStore store;
    private int maxPage;
    private ScheduledExecutorService purger;

    /** A module using the system clock. */
    public MamModule() {
        this(Clock.systemUTC());
    }

    /** A module using the given clock for archive timestamps. */
    public MamModule(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void start(ModuleContext context) {
        this.ctx = context;
        this.store = context.storage().archive();
        this.maxPage = context.option(MAX_PAGE_OPTION, Integer.class, DEFAULT_MAX_PAGE);
        context.addAccountFeature(NAMESPACE);
        context.addAccountFeature(NAMESPACE + "#extended");
        context.addAccountFeature(SID_NAMESPACE);
        context.interceptOutbound(this::outgoing);
        context.interceptInbound(this::incoming);
        context.onIq(Addressing.BARE, IqType.SET, QUERY, this::query);
        context.onIq(Addressing.BARE, IqType.GET, QUERY, this::form);
        context.onIq(Addressing.BARE, IqType.GET, PREFS, this::getPreferences);
        context.onIq(Addressing.BARE, IqType.SET, PREFS, this::setPreferences);
        context.onIq(Addressing.BARE, IqType.GET, METADATA, this::metadata);
        Duration retention = context.option(RETENTION_OPTION, Duration.class, null);
        if (retention != null) {
            purger = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "xmpp-mam-retention");
                t.setDaemon(true);
                return t;
            });
            purger.scheduleWithFixedDelay(() -> purge(retention), 0, 1, TimeUnit.HOURS);
        }
    }

    @Override
    public void stop() {
        if (purger != null) {
            purger.shutdownNow();
        }
    }

    private void purge(Duration retention) {
        try {
            int removed = store.purgeBefore(clock.instant().minus(retention));
            if (removed > 0) {
                log.info("xmpp mam retention removed {} archived messages", removed);
            }
        } catch (RuntimeException e) {
            log.warn("xmpp mam retention failed", e);
        }
    }

    /** XEP-0313 §5.1.1: one-to-one messages with a body are archived; errors and groupchat are not. */
    private static boolean archivable(Message m) {
        return (m.type() == MessageType.CHAT || m.type() == MessageType.NORMAL) && m.body() != null;
    }

    private Message outgoing(Message m) {
        BareJid owner = m.from().asBare();
        BareJid with = m.to().asBare();
        // XEP-0313 §"User Archives": a stanza is stored within an archive only once; a message to one's
        // own account is archived, and stamped, as it comes in.
        if (archivable(m) && !owner.equals(with) && wanted(owner, with)) {
            store.append(owner, with, m.element(), clock.instant());
        }
        return m;
    }

    private Message incoming(Message m) {
        BareJid owner = m.to().asBare();
        // XEP-0359 §3.1: a stanza-id claiming to be ours that we did not add must go.
        XmlElement cleaned = ownStanzaIds(m.element(), owner) ? stripped(m.element(), owner) : m.element();
        if (m.from() == null || !archivable(m) || !wanted(owner, m.from().asBare())) {
            return cleaned == m.element() ? m : Message.wrap(cleaned);
        }
        ArchivedMessage archived = store.append(owner, m.from().asBare(), cleaned, clock.instant());
        return Message.wrap(cleaned.toBuilder().child(XmlElement.builder(SID_NAMESPACE, "stanza-id")
                .attribute("id", archived.id()).attribute("by", owner.toString()).build()).build());
    }

    private static boolean ownStanzaIds(XmlElement message, BareJid owner) {
        for (XmlElement e : message.elements()) {
            if (e.is(SID_NAMESPACE, "stanza-id") && owner.toString().equals(e.attribute("by"))) {
                return true;
            }
        }
        return false;
    }

    private static XmlElement stripped(XmlElement message, BareJid owner) {
        XmlElement.Builder b = XmlElement.builder(message.namespace(), message.name());
        message.attributes().forEach(a -> b.attribute(a.namespace(), a.name(), a.value()));
        message.children().forEach(n -> {
            if (!(n instanceof XmlElement e && e.is(SID_NAMESPACE, "stanza-id") && owner.toString().equals(e.attribute("by")))) {
                b.child(n);
            }
        });
        return b.build();
    }

    /** XEP-0313 §6: the owner's preferences decide; without any, everything is archived. */
    private boolean wanted(BareJid owner, BareJid with) {
        ArchivePreferences p = store.preferences(owner).orElse(ArchivePreferences.DEFAULT);
        if (p.always().contains(with)) {
            return true;
        }
        if (p.never().contains(with)) {
            return false;
        }
        return switch (p.defaultMode()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case ROSTER -> ctx.rosters().get(owner).item(with) != null;
        };
    }

    /** XEP-0313 §4: only the archive's owner may query it. */
    private boolean owner(Session requester, Iq iq) {
        if (!iq.to().asBare().equals(iq.from().asBare())) {
            requester.send(iq.errorReply(StanzaError.FORBIDDEN));
            return false;
        }
        return true;
    }

    /** XEP-0313 §4.1.1: the fields a client may filter by. */
    private void form(Session requester, Iq iq) {
        if (!owner(requester, iq)) {
            return;
        }
        XmlElement.Builder x = XmlElement.builder(DATA_NS, "x").attribute("type", "form")
                .child(field("FORM_TYPE", "hidden", NAMESPACE))
                .child(field("with", "jid-single", null))
                .child(field("start", "text-single", null))
                .child(field("end", "text-single", null))
                .child(field("before-id", "text-single", null))
                .child(field("after-id", "text-single", null))
                // XEP-0313 §"Retrieving form fields": 'ids' is list-multi, and the server MUST include a
                // XEP-0122 <validate/> that signals the list is open to arbitrary values.
                .child(XmlElement.builder(DATA_NS, "field").attribute("var", "ids").attribute("type", "list-multi")
                        .child(XmlElement.builder(VALIDATE_NS, "validate").attribute("datatype", "xs:string")
                                .child(XmlElement.empty(VALIDATE_NS, "open")).build())
                        .build());
        requester.send(iq.resultReply(XmlElement.builder(NAMESPACE, "query").child(x.build()).build()));
    }

    private static XmlElement field(String var, String type, String value) {
        XmlElement.Builder f = XmlElement.builder(DATA_NS, "field").attribute("var", var).attribute("type", type);
        if (value != null) {
            f.child(XmlElement.builder(DATA_NS, "value").text(value).build());
        }
        return f.build();
    }

    /** XEP-0313 §4 with XEP-0059: results as messages, then the {@code <fin/>} in the iq result. */
    private void query(Session requester, Iq iq) {
        if (!owner(requester, iq)) {
            return;
        }
        BareJid owner = iq.to().asBare();
        XmlElement q = iq.payload();
        ArchiveQuery query;
        try {
            query = parse(q);
        } catch (UnknownField e) {
            // XEP-0313 §"Retrieving form fields": "If a client includes a form field that the server does
            // not recognise, the server MUST respond with a 'feature-not-implemented' error."
            requester.send(iq.errorReply(StanzaError.of(StanzaError.Condition.FEATURE_NOT_IMPLEMENTED, e.getMessage())));
            return;
        } catch (IllegalArgumentException e) {
            requester.send(iq.errorReply(StanzaError.of(StanzaError.Condition.BAD_REQUEST, e.getMessage())));
            return;
        }
        ArchivePage page;
        try {
            page = store.query(owner, query);
        } catch (NoSuchElementException e) {
            // XEP-0313 §4.1.3 / XEP-0059 §2.5: a page boundary that is not in the archive.
            requester.send(iq.errorReply(StanzaError.ITEM_NOT_FOUND));
            return;
        }
        String queryId = q.attribute("queryid");
        List<ArchivedMessage> sent = new ArrayList<>(page.messages());
        if (q.firstChild(NAMESPACE, "flip-page") != null) {
            // XEP-0313 §"Flipped pages": the same page, transmitted newest first.
            java.util.Collections.reverse(sent);
        }
        for (ArchivedMessage m : sent) {
            XmlElement result = XmlElement.builder(NAMESPACE, "result")
                    .attribute("queryid", queryId)
                    .attribute("id", m.id())
                    .child(XmlElement.builder(FORWARD_NS, "forwarded")
                            .child(Delay.of(null, m.timestamp(), null))
                            .child(m.message())
                            .build())
                    .build();
            requester.send(Message.builder().from(owner).to(requester.address()).id(ctx.domain() + "-" + m.id())
                    .payload(result).build());
        }
        XmlElement.Builder set = XmlElement.builder(RSM_NS, "set");
        if (!page.messages().isEmpty()) {
            set.child(XmlElement.builder(RSM_NS, "first").attribute("index", Integer.toString(page.index()))
                    .text(page.messages().get(0).id()).build());
            set.child(XmlElement.builder(RSM_NS, "last").text(page.messages().get(page.messages().size() - 1).id()).build());
        }
        set.child(XmlElement.builder(RSM_NS, "count").text(Integer.toString(page.count())).build());
        XmlElement fin = XmlElement.builder(NAMESPACE, "fin")
                .attribute("queryid", queryId)
                .attribute("complete", page.complete() ? "true" : null)
                .child(set.build())
                .build();
        requester.send(iq.resultReply(fin));
    }

    private ArchiveQuery parse(XmlElement q) {
        BareJid with = null;
        Instant start = null;
        Instant end = null;
        String afterId = null;
        String beforeId = null;
        List<String> ids = null;
        XmlElement x = q.firstChild(DATA_NS, "x");
        if (x != null) {
            for (XmlElement f : x.elements()) {
                if (!f.is(DATA_NS, "field")) {
                    continue;
                }
                List<String> values = new ArrayList<>();
                for (XmlElement v : f.elements()) {
                    if (v.is(DATA_NS, "value")) {
                        values.add(v.text().trim());
                    }
                }
                String value = values.isEmpty() ? null : values.get(0);
                switch (String.valueOf(f.attribute("var"))) {
                    case "FORM_TYPE" -> {
                        if (value != null && !value.equals(NAMESPACE)) {
                            throw new IllegalArgumentException("Unknown FORM_TYPE " + value);
                        }
                    }
                    case "with" -> with = value == null ? null : bareJid(value);
                    case "start" -> start = value == null ? null : instant(value);
                    case "end" -> end = value == null ? null : instant(value);
                    case "after-id" -> afterId = value;
                    case "before-id" -> beforeId = value;
                    case "ids" -> ids = values;
                    default -> throw new UnknownField(String.valueOf(f.attribute("var")));
                }
            }
        }
        int max = maxPage;
        boolean last = false;
        XmlElement set = q.firstChild(RSM_NS, "set");
        if (set != null) {
            XmlElement maxElement = set.firstChild(RSM_NS, "max");
            if (maxElement != null) {
                try {
                    max = Math.min(maxPage, Math.max(0, Integer.parseInt(maxElement.text().trim())));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Bad <max/>");
                }
            }
            XmlElement after = set.firstChild(RSM_NS, "after");
            if (after != null && !after.text().isBlank()) {
                afterId = after.text().trim();
            }
            XmlElement before = set.firstChild(RSM_NS, "before");
            if (before != null) {
                // XEP-0059 §2.5: <before/> pages from the end; with an id, from before that item.
                last = true;
                if (!before.text().isBlank()) {
                    beforeId = before.text().trim();
                }
            }
        }
        return new ArchiveQuery(with, start, end, afterId, beforeId, ids, max, last);
    }

    private static BareJid bareJid(String value) {
        try {
            return Jid.of(value).asBare();
        } catch (JidFormatException e) {
            throw new IllegalArgumentException("Bad 'with' JID");
        }
    }

    private static Instant instant(String value) {
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Bad XEP-0082 timestamp " + value);
        }
    }

    /**
     * XEP-0313 §"Archive metadata": the id and timestamp of the first and last message of the archive;
     * an empty archive answers an empty element.
     */
    private void metadata(Session requester, Iq iq) {
        if (!owner(requester, iq)) {
            return;
        }
        BareJid owner = iq.to().asBare();
        ArchivePage first = store.query(owner, new ArchiveQuery(null, null, null, null, null, null, 1, false));
        XmlElement.Builder metadata = XmlElement.builder(NAMESPACE, "metadata");
        if (!first.messages().isEmpty()) {
            ArchivePage last = store.query(owner, new ArchiveQuery(null, null, null, null, null, null, 1, true));
            metadata.child(edge("start", first.messages().get(0))).child(edge("end", last.messages().get(0)));
        }
        requester.send(iq.resultReply(metadata.build()));
    }

    private static XmlElement edge(String name, ArchivedMessage m) {
        return XmlElement.builder(NAMESPACE, name).attribute("id", m.id())
                .attribute("timestamp", Delay.format(m.timestamp())).build();
    }

    private void getPreferences(Session requester, Iq iq) {
        if (!owner(requester, iq)) {
            return;
        }
        requester.send(iq.resultReply(prefsElement(store.preferences(iq.to().asBare()).orElse(ArchivePreferences.DEFAULT))));
    }

    /** XEP-0313 §6.1: replaces the preferences and answers with them as stored. */
    private void setPreferences(Session requester, Iq iq) {
        if (!owner(requester, iq)) {
            return;
        }
        XmlElement p = iq.payload();
        ArchivePreferences.Mode mode;
        try {
            mode = ArchivePreferences.Mode.valueOf(String.valueOf(p.attribute("default")).toUpperCase(java.util.Locale.ROOT));
            ArchivePreferences prefs = new ArchivePreferences(mode, jids(p, "always"), jids(p, "never"));
            store.preferences(iq.to().asBare(), prefs);
            requester.send(iq.resultReply(prefsElement(prefs)));
        } catch (IllegalArgumentException e) {
            requester.send(iq.errorReply(StanzaError.BAD_REQUEST));
        }
    }

    private static Set<BareJid> jids(XmlElement prefs, String list) {
        Set<BareJid> out = new LinkedHashSet<>();
        XmlElement l = prefs.firstChild(NAMESPACE, list);
        if (l != null) {
            for (XmlElement j : l.elements()) {
                if (j.is(NAMESPACE, "jid")) {
                    out.add(bareJid(j.text().trim()));
                }
            }
        }
        return out;
    }

    private static XmlElement prefsElement(ArchivePreferences p) {
        XmlElement.Builder always = XmlElement.builder(NAMESPACE, "always");
        p.always().forEach(j -> always.child(XmlElement.builder(NAMESPACE, "jid").text(j.toString()).build()));
        XmlElement.Builder never = XmlElement.builder(NAMESPACE, "never");
        p.never().forEach(j -> never.child(XmlElement.builder(NAMESPACE, "jid").text(j.toString()).build()));
        return XmlElement.builder(NAMESPACE, "prefs").attribute("default", p.defaultMode().value())
                .child(always.build()).child(never.build()).build();
    }
}
