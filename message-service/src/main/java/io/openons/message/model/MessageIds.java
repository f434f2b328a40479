package io.openons.message.model;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * RocketMQ-style message ids: 16 bytes written as 32 upper-case hex characters, like RocketMQ's
 * {@code UNIQ_KEY}: host address (4 bytes), process id (2), a random per-process salt (4, where RocketMQ
 * uses a class-loader hash), milliseconds (4, wrapping every 49 days) and a counter (2).
 *
 * <p>Two ids of one process differ in the time or the counter unless 65,536 ids are made within one
 * millisecond, or 49 days apart with the same counter value (longer than retention plus the 40-day maximum
 * delay); two processes differ in address, process id or salt. The index's primary key backs this up.
 */
public final class MessageIds {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final byte[] PREFIX = prefix();
    private static final AtomicInteger COUNTER = new AtomicInteger(new SecureRandom().nextInt());

    private MessageIds() {
    }

    /** A new unique message id. */
    public static String next() {
        ByteBuffer id = ByteBuffer.allocate(16);
        id.put(PREFIX);
        id.putInt((int) System.currentTimeMillis());
        id.putShort((short) COUNTER.getAndIncrement());
        return HEX.formatHex(id.array());
    }

    /**
     * The id of a record that carried none (a Kafka-native producer's): derived from its Kafka position, so
     * indexing the record again yields the same id (idempotence across restarts).
     */
    public static String forPosition(String kafkaTopic, int partition, long offset) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest((kafkaTopic + "/" + partition + "/" + offset).getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the text looks like an id of this form (32 hex characters). */
    public static boolean isWellFormed(String id) {
        if (id == null || id.length() != 32) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static byte[] prefix() {
        ByteBuffer prefix = ByteBuffer.allocate(10);
        byte[] address;
        try {
            address = InetAddress.getLocalHost().getAddress();
        } catch (Exception e) {
            address = new byte[] {127, 0, 0, 1};
        }
        prefix.put(address.length == 4 ? address : new byte[] {address[address.length - 4],
                address[address.length - 3], address[address.length - 2], address[address.length - 1]});
        long pid;
        try {
            pid = ProcessHandle.current().pid();
        } catch (Exception e) {
            pid = ManagementFactory.getRuntimeMXBean().getName().hashCode();
        }
        prefix.putShort((short) pid);
        prefix.putInt(new SecureRandom().nextInt());
        return prefix.array();
    }
}
