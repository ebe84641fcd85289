/**
 * The embedded store's file kept safe offline: {@code backup} (a consistent copy while the service runs),
 * {@code restore --verify} (the restore drill: a service started on the copy verifies the whole ledger against its
 * latest signed digest) and {@code data-key migrate|rotate} (the file encrypted, or re-encrypted under a new key, then
 * verified the same way). Commands of the jar, run without starting the service ({@link StorageCommand}).
 */
package org.ccmledger.platform.storage;
