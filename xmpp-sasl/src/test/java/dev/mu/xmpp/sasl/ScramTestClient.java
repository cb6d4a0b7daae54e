package dev.mu.xmpp.sasl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * A SCRAM client written from RFC 5802 §3 and §5 for the tests, with the JDK's own PBKDF2 as
 * {@code Hi()} so that it shares no crypto code with the server.
 */
final class ScramTestClient {
    private final ScramHash hash;
    private final String username;
    private final String password;
    private final String clientNonce;
    private String gs2Flag = "n";
    private byte[] channelBindingData = new byte[0];
    private String authzid;

    private String clientFirstBare;
    private byte[] serverSignature;

    ScramTestClient(ScramHash hash, String username, String password, String clientNonce) {
        this.hash = hash;
        this.username = username;
        this.password = password;
        this.clientNonce = clientNonce;
    }

    /** Binds to the channel with the given type and data ("p=" flag). */
    ScramTestClient bind(String type, byte[] data) {
        gs2Flag = "p=" + type;
        channelBindingData = data.clone();
        return this;
    }

    /** Says it supports channel binding but thinks the server does not ("y" flag). */
    ScramTestClient flagY() {
        gs2Flag = "y";
        return this;
    }

    ScramTestClient authzid(String authzid) {
        this.authzid = authzid;
        return this;
    }

    String gs2Header() {
        return gs2Flag + "," + (authzid == null ? "" : "a=" + escape(authzid)) + ",";
    }

    byte[] first() {
        clientFirstBare = "n=" + escape(username) + ",r=" + clientNonce;
        return (gs2Header() + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /** The client-final message without ",p=...". */
    String finalWithoutProof(String serverFirst) {
        byte[] header = gs2Header().getBytes(StandardCharsets.UTF_8);
        byte[] cbind = new byte[header.length + channelBindingData.length];
        System.arraycopy(header, 0, cbind, 0, header.length);
        System.arraycopy(channelBindingData, 0, cbind, header.length, channelBindingData.length);
        return "c=" + Base64.getEncoder().encodeToString(cbind) + ",r=" + attribute(serverFirst, "r");
    }

    byte[] finalMessage(byte[] serverFirstBytes) {
        return finalMessage(serverFirstBytes, finalWithoutProof(new String(serverFirstBytes, StandardCharsets.UTF_8)));
    }

    /** The client-final message for an arbitrary (possibly tampered) message without proof. */
    byte[] finalMessage(byte[] serverFirstBytes, String withoutProof) {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        if (!attribute(serverFirst, "r").startsWith(clientNonce)) {
            throw new IllegalStateException("server nonce does not extend the client nonce");
        }
        byte[] salt = Base64.getDecoder().decode(attribute(serverFirst, "s"));
        int iterations = Integer.parseInt(attribute(serverFirst, "i"));
        byte[] saltedPassword = pbkdf2(PrecisProfiles.OPAQUE_STRING.enforce(password), salt, iterations);
        byte[] clientKey = hmac(saltedPassword, "Client Key");
        byte[] storedKey = sha(clientKey);
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        serverSignature = hmac(hmac(saltedPassword, "Server Key"), authMessage);
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the server-final message carries the expected ServerSignature. */
    boolean verifyServerFinal(byte[] serverFinal) {
        String expected = "v=" + Base64.getEncoder().encodeToString(serverSignature);
        return expected.equals(new String(serverFinal, StandardCharsets.UTF_8));
    }

    static String escape(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    private static String attribute(String message, String name) {
        for (String part : message.split(",")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalArgumentException("no " + name + " in " + message);
    }

    private byte[] pbkdf2(String preparedPassword, byte[] salt, int iterations) {
        try {
            String algorithm = "PBKDF2With" + hash.macAlgorithm();
            PBEKeySpec spec = new PBEKeySpec(preparedPassword.toCharArray(), salt, iterations, hash.length() * 8);
            return SecretKeyFactory.getInstance(algorithm).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(hash.macAlgorithm());
            mac.init(new SecretKeySpec(key, hash.macAlgorithm()));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] sha(byte[] data) {
        try {
            return MessageDigest.getInstance(hash.jcaName()).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
