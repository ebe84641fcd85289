package org.ccmledger.platform.crypto;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Crypto settings ({@code ccm.crypto.*}).
 *
 * @param masterKeyFile a file holding the 256-bit master key, Base64 ({@code head -c32 /dev/urandom | base64}); empty:
 *                      {@code master-key} in the data directory, generated owner-only on first start
 */
@ConfigurationProperties("ccm.crypto")
public record CryptoProperties(Path masterKeyFile) {
}
