package dev.mu.xmpp.mu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MuStatusTest {

    @Test
    void writesMusStatusJson() {
        MuStatus s = new MuStatus("XMPP Server", true, "chat.example.com:5222 (3 sessions)");
        assertEquals("{\"name\":\"XMPP Server\",\"status\":true,\"details\":\"chat.example.com:5222 (3 sessions)\"}", s.toJson());
        assertEquals("{\"healthy\":true,\"services\":[{\"name\":\"XMPP Server\",\"status\":true,"
                + "\"details\":\"chat.example.com:5222 (3 sessions)\"}]}", MuStatus.document(List.of(s)));
    }

    @Test
    void aStoppedServiceIsUnhealthyAndTextIsEscaped() {
        MuStatus s = new MuStatus("XMPP \"Server\"", false, "x\ny");
        assertEquals("{\"healthy\":false,\"services\":[{\"name\":\"XMPP \\\"Server\\\"\",\"status\":false,\"details\":\"x\\ny\"}]}",
                MuStatus.document(List.of(s)));
    }
}
