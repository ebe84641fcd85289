package org.ccmledger.platform.mongo;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * Where the ledger's MongoDB lives.
 *
 * @param uri      a MongoDB connection string ({@code CCM_MONGO_URI}); when blank the service starts its embedded
 *                 MongoDB-wire server and connects to that
 * @param database the database name, {@code ccm_ledger} by default
 * @param embedded  settings of the embedded server
 * @param sslBundle the name of a Spring SSL bundle ({@code spring.ssl.bundle.*}) whose trust and key material the
 *                  connection to {@code uri} uses, with TLS; empty by default (the URI's own TLS options apply,
 *                  {@code tlsCAFile} and {@code tlsCertificateKeyFile} included: {@link MongoTls})
 */
@ConfigurationProperties("ccm.mongo")
public record MongoProperties(String uri, String database, Embedded embedded, String sslBundle) {

    public MongoProperties(String uri, String database, Embedded embedded) {
        this(uri, database, embedded, null);
    }

    @ConstructorBinding
    public MongoProperties {
        database = database == null || database.isBlank() ? "ccm_ledger" : database;
        embedded = embedded == null ? new Embedded(null, null, null, null, null) : embedded;
        sslBundle = sslBundle == null || sslBundle.isBlank() ? null : sslBundle;
    }

    public boolean useEmbedded() {
        return uri == null || uri.isBlank();
    }

    /**
     * @param backend     {@code h2} (durable file, the default) or {@code memory} (tests)
     * @param dataDir     directory of the H2 file, {@code ./data} by default
     * @param forceToDisk whether each commit is forced to disk (fsync), {@code true} by default
     * @param dataKey     the key that encrypts the H2 file, Base64 of 256 bits ({@code CCM_DATA_KEY}); see
     *                    {@link DataKey}
     * @param dataKeyFile a file holding that key ({@code CCM_DATA_KEY_FILE}); when neither is set, {@code data-key}
     *                    in the data directory, generated owner-only when the store file is created
     * @param cacheSizeMb the H2 page cache in MB: pages read and decrypted once stay in memory; by default an eighth
     *                    of the JVM's heap, between 16 (H2's own default) and 1,024
     */
    public record Embedded(String backend, Path dataDir, Boolean forceToDisk, String dataKey, Path dataKeyFile,
                           Integer cacheSizeMb) {
        @org.springframework.boot.context.properties.bind.ConstructorBinding
        public Embedded {
            backend = backend == null || backend.isBlank() ? "h2" : backend;
            dataDir = dataDir == null ? Path.of("data") : dataDir;
            forceToDisk = forceToDisk == null || forceToDisk;
            cacheSizeMb = cacheSizeMb == null ? defaultCacheSizeMb(Runtime.getRuntime().maxMemory()) : cacheSizeMb;
            if (cacheSizeMb < 1) {
                throw new IllegalArgumentException("ccm.mongo.embedded.cache-size-mb must be at least 1");
            }
        }

        public Embedded(String backend, Path dataDir, Boolean forceToDisk, String dataKey, Path dataKeyFile) {
            this(backend, dataDir, forceToDisk, dataKey, dataKeyFile, null);
        }

        /** An eighth of the heap, between 16 and 1,024 MB. */
        static int defaultCacheSizeMb(long maxHeapBytes) {
            return (int) Math.max(16, Math.min(1024, maxHeapBytes / 8 / (1024 * 1024)));
        }

        @Override
        public String toString() {
            return "Embedded[backend=" + backend + ", dataDir=" + dataDir + ", forceToDisk=" + forceToDisk
                   + ", dataKeyFile=" + dataKeyFile + ", cacheSizeMb=" + cacheSizeMb + "]";
        }
    }
}
