package org.ccmledger.integrity;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of ledger verification and digests ({@code ccm.integrity.*}).
 *
 * @param signingKeyFile a PKCS#8 PEM file holding the Ed25519 private key that signs digests; when not set, the key
 *                       is {@code ledger-signing-key.pem} in the data directory ({@code ccm.mongo.embedded.data-dir}),
 *                       generated on the first start and reused afterwards
 * @param digestInterval how often a digest is taken when the ledger grew (default one hour); zero turns the schedule
 *                       off (digests are then taken only on request)
 * @param blockSize      global indexes read per query when verifying or sealing, and so per progress line
 *                       (default 500)
 */
@ConfigurationProperties("ccm.integrity")
record IntegrityProperties(Path signingKeyFile, Duration digestInterval, Integer blockSize) {

    IntegrityProperties {
        digestInterval = digestInterval == null ? Duration.ofHours(1) : digestInterval;
        blockSize = blockSize == null ? 500 : blockSize;
        if (blockSize < 1 || blockSize > 10_000) {
            throw new IllegalArgumentException("ccm.integrity.block-size must be 1-10000");
        }
        if (digestInterval.isNegative()) {
            throw new IllegalArgumentException("ccm.integrity.digest-interval must not be negative");
        }
    }

    boolean scheduled() {
        return !digestInterval.isZero();
    }
}
