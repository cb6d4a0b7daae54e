package dev.mu.xmpp.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Strict decoding of the text inside SASL messages: UTF-8, base64 and SCRAM's saslname. */
final class SaslText {
    private SaslText() {
    }

    /** Decodes UTF-8, rejecting malformed sequences instead of replacing them. */
    static String utf8(byte[] bytes) throws SaslRejection {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("not UTF-8");
        }
    }

    static byte[] base64(String text) throws SaslRejection {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw malformed("bad base64");
        }
    }

    /**
     * Decodes a saslname (RFC 5802 §7): {@code =2C} is a comma, {@code =3D} an equals sign, and
     * any other {@code =} or a raw comma or NUL is malformed.
     */
    static String saslName(String text) throws SaslRejection {
        if (text.isEmpty()) {
            throw malformed("empty name");
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '=') {
                if (text.startsWith("2C", i + 1)) {
                    out.append(',');
                } else if (text.startsWith("3D", i + 1)) {
                    out.append('=');
                } else {
                    throw malformed("bad escape in name");
                }
                i += 2;
            } else if (c == ',' || c == 0) {
                throw malformed("bad character in name");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether a nonce is non-empty printable ASCII without a comma (RFC 5802 §7, {@code printable}). */
    static boolean isPrintable(String nonce) {
        if (nonce.isEmpty()) {
            return false;
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                return false;
            }
        }
        return true;
    }

    /** Whether a part is an {@code attr-val} (RFC 5802 §7): one ASCII letter, {@code =}, a value. */
    static boolean isAttribute(String part) {
        return part.length() >= 3 && part.charAt(1) == '='
                && ((part.charAt(0) >= 'a' && part.charAt(0) <= 'z') || (part.charAt(0) >= 'A' && part.charAt(0) <= 'Z'))
                && part.indexOf(0) < 0;
    }

    static SaslRejection malformed(String text) {
        return new SaslRejection(SaslFailure.MALFORMED_REQUEST, text);
    }
}
