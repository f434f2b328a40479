package io.openons.message.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;

/** Body checksums: the MD5 the MQ HTTP protocol answers and the CRC32 the message queries report. */
public final class Digests {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private Digests() {
    }

    /** MD5 of the body bytes as 32 upper-case hex characters (MD5("hello") = 5D41402ABC4B2A76B9719D911017C592). */
    public static String md5Hex(byte[] body) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CRC32 of the body as a signed 32-bit integer (RocketMQ's BodyCRC). */
    public static int crc32(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return (int) crc.getValue();
    }
}
