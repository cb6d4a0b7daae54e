package dev.mu.xmpp.mu;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One service's entry on Mu's {@code /status} page.
 *
 * @param name    the service's name, {@value #XMPP_SERVICE} for this server
 * @param status  whether it runs
 * @param details what Mu shows beside it: {@code domain:port (N sessions)}
 */
public record MuStatus(String name, boolean status, String details) {

    /** The name the XMPP service has on Mu's status page. */
    public static final String XMPP_SERVICE = "XMPP Server";

    /** This entry as Mu writes it: {@code {"name":"XMPP Server","status":true,"details":"..."}}. */
    public String toJson() {
        return node().toString();
    }

    /**
     * A whole {@code /status} document: {@code {"healthy":..., "services":[...]}}, healthy when every
     * service runs.
     */
    public static String document(List<MuStatus> services) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("healthy", services.stream().allMatch(MuStatus::status));
        ArrayNode list = root.putArray("services");
        services.forEach(s -> list.add(s.node()));
        return root.toString();
    }

    private ObjectNode node() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("status", status);
        o.put("details", details);
        return o;
    }
}
