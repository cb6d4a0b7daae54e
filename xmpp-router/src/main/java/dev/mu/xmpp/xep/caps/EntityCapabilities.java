package dev.mu.xmpp.xep.caps;

import dev.mu.xmpp.core.xml.XmlElement;
import dev.mu.xmpp.router.spi.DiscoIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Computes the XEP-0115 verification string of the server's disco identities and features and the
 * {@code <c/>} element a server may put in its stream features (XEP-0115 §6.3).
 */
public final class EntityCapabilities {

    /** The caps namespace. */
    public static final String NAMESPACE = "http://jabber.org/protocol/caps";

    /** The node naming this software, per XEP-0115 §4. */
    public static final String NODE = "https://github.com/mu-xmpp/mu-xmpp";

    private static volatile Memo last;

    private EntityCapabilities() {
    }

    /**
     * The verification string: SHA-1 over the sorted identities and features (XEP-0115 §5.1).
     *
     * @see <a href="https://xmpp.org/extensions/xep-0115.html#ver-gen">XEP-0115 §5.1</a>
     */
    public static String verification(Collection<DiscoIdentity> identities, Collection<String> features) {
        List<DiscoIdentity> ids = new ArrayList<>(identities);
        ids.sort(Comparator.comparing(DiscoIdentity::category).thenComparing(DiscoIdentity::type)
                .thenComparing(i -> Objects.toString(i.name(), "")));
        StringBuilder s = new StringBuilder();
        for (DiscoIdentity i : ids) {
            // category/type/lang/name<, with no xml:lang on our identities
            s.append(i.category()).append('/').append(i.type()).append("//")
                    .append(Objects.toString(i.name(), "")).append('<');
        }
        features.stream().sorted().forEach(f -> s.append(f).append('<'));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-1").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }

    /**
     * The {@code <c xmlns='http://jabber.org/protocol/caps'/>} element for stream features.
     * Called again with the same two collection instances, as {@code Router} hands them out until a
     * module adds a feature, it returns the element made the last time: every stream asks for it
     * twice per login, and the features change only while modules start.
     */
    public static XmlElement featureElement(Collection<DiscoIdentity> identities, Collection<String> features) {
        Memo m = last;
        if (m != null && m.identities == identities && m.features == features) {
            return m.element;
        }
        XmlElement c = XmlElement.builder(NAMESPACE, "c")
                .attribute("hash", "sha-1")
                .attribute("node", NODE)
                .attribute("ver", verification(identities, features))
                .build();
        last = new Memo(identities, features, c);
        return c;
    }

    private record Memo(Collection<DiscoIdentity> identities, Collection<String> features, XmlElement element) {
    }
}
