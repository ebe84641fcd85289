package org.ccmledger.platform.crypto;

import java.nio.file.Path;

import org.ccmledger.platform.mongo.MongoProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.mongodb.client.MongoDatabase;

/** The master key and the vault that seals PHI fields with a key per subject. */
@Configuration(proxyBeanMethods = false)
class CryptoConfiguration {

    @Bean
    MasterKey masterKey(CryptoProperties crypto, MongoProperties mongo) {
        return MasterKey.load(crypto.masterKeyFile(), mongo.embedded().dataDir());
    }

    @Bean
    FieldVault fieldVault(MongoDatabase database, MasterKey masterKey) {
        return new FieldVault(database, masterKey);
    }
}
