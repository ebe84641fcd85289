package org.ccmledger.platform.ids;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random version-4 UUIDs that never block. {@link UUID#randomUUID()} draws from {@code SecureRandom}, whose first use
 * reads the operating system's entropy source: a blocking call BlockHound caught on the Netty event loop. These ids
 * need to be unique, not unguessable, so {@link ThreadLocalRandom} serves.
 */
public final class RandomIds {

    private RandomIds() {
    }

    public static UUID uuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(most, least);
    }
}
