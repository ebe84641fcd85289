package org.ccmledger.integrity;

import java.time.Clock;

import org.ccmledger.ledger.LedgerCollections;
import org.ccmledger.ledger.LedgerDigestLog;
import org.ccmledger.ledger.LedgerSealer;
import org.ccmledger.ledger.LedgerVerifier;
import org.ccmledger.ledger.SealedRecord;
import org.ccmledger.platform.axon.LedgerProperties;
import org.ccmledger.platform.mongo.MongoProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The ledger's verifier, sealer and digest log, and the key that signs digests. */
@Configuration(proxyBeanMethods = false)
class IntegrityConfiguration {

    /** Judges an empty slot by the store's own gap timeout: younger ones belong to commits in flight. */
    @Bean
    LedgerVerifier ledgerVerifier(LedgerCollections collections, IntegrityProperties integrity,
                                  LedgerProperties ledger) {
        return new LedgerVerifier(collections, integrity.blockSize(), Clock.systemUTC(), ledger.gapTimeout());
    }

    @Bean
    LedgerSealer ledgerSealer(LedgerCollections collections, IntegrityProperties integrity) {
        return new LedgerSealer(collections, integrity.blockSize());
    }

    @Bean
    LedgerDigestLog ledgerDigestLog(LedgerCollections collections) {
        return new LedgerDigestLog(collections);
    }

    @Bean
    SealedRecord sealedRecord(LedgerCollections collections) {
        return new SealedRecord(collections);
    }

    @Bean
    SigningKey ledgerSigningKey(IntegrityProperties integrity, MongoProperties mongo) {
        return SigningKey.load(integrity.signingKeyFile(), mongo.embedded().dataDir());
    }
}
