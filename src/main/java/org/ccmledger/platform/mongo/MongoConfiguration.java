package org.ccmledger.platform.mongo;

import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

/**
 * One {@link MongoClient} for the whole service: to the configured MongoDB, or to the embedded server when no URI is
 * configured. Against a real MongoDB, writes use write concern {@code majority} with journaling unless the URI says
 * otherwise, so an acknowledged event survives the loss of the primary.
 */
@Configuration(proxyBeanMethods = false)
class MongoConfiguration {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MongoConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedMongoServerHolder embeddedMongoServer(MongoProperties properties) {
        return new EmbeddedMongoServerHolder(
                properties.useEmbedded() ? EmbeddedMongoServer.start(properties.embedded()) : null);
    }

    @Bean(destroyMethod = "close")
    MongoClient mongoClient(MongoProperties properties, ObjectProvider<EmbeddedMongoServerHolder> embedded,
                            ObjectProvider<SslBundles> bundles) {
        if (properties.useEmbedded()) {
            return MongoClients.create(MongoClientSettings.builder().applicationName("ccm-ledger")
                    .applyConnectionString(new ConnectionString(embedded.getObject().server().connectionString()))
                    .build());
        }
        MongoClientSettings settings = settings(properties, bundles.getIfAvailable());
        warnUnlessEncrypted(settings);
        return MongoClients.create(settings);
    }

    /**
     * The driver's settings for the configured MongoDB: the URI's, TLS as it says ({@link MongoTls}: its TLS files or
     * {@code ccm.mongo.ssl-bundle}), and write concern {@code majority} with journaling unless the URI names one.
     */
    static MongoClientSettings settings(MongoProperties properties, SslBundles bundles) {
        MongoClientSettings.Builder settings = MongoClientSettings.builder().applicationName("ccm-ledger");
        ConnectionString uri = MongoTls.apply(properties.uri(), properties.sslBundle(), bundles, settings);
        if (uri.getWriteConcern() == null) {
            settings.writeConcern(WriteConcern.MAJORITY.withJournal(true).withWTimeout(10, TimeUnit.SECONDS));
        }
        return settings.build();
    }

    /**
     * Logs a warning when the configured MongoDB is reached without TLS (neither {@code tls=true} nor {@code ssl=true}
     * nor a TLS file in the URI, nor {@code mongodb+srv}, which implies it, nor an SSL bundle): patient data would
     * cross the network in clear (HIPAA 164.312(e), docs/security.md). Names only the hosts, never the URI, which may
     * hold a password.
     *
     * @return whether it warned
     */
    static boolean warnUnlessEncrypted(MongoClientSettings settings) {
        if (settings.getSslSettings().isEnabled()) {
            return false;
        }
        log.warn("MongoDB at {} is reached without TLS: patient data crosses the network unencrypted. Add tls=true "
                 + "to CCM_MONGO_URI (docs/operations.md)", settings.getClusterSettings().getHosts());
        return true;
    }

    /**
     * {@code ccm_embedded_store_scans_total}: the queries the embedded H2 store answered by reading a whole collection,
     * {@code filter="filtered"} (a filter no index served: a hot query that is not a key lookup shows here) or
     * {@code filter="empty"} (a deliberate read of everything). Per collection: {@code {ccmScans: 1}}. Absent with
     * a configured MongoDB or the in-memory backend.
     */
    @Bean
    io.micrometer.core.instrument.binder.MeterBinder embeddedStoreScans(
            ObjectProvider<EmbeddedMongoServerHolder> embedded) {
        return registry -> {
            EmbeddedMongoServerHolder holder = embedded.getIfAvailable();
            StoreScans scans = holder == null || holder.server() == null ? null : holder.server().scans();
            if (scans == null) {
                return;
            }
            for (boolean filtered : new boolean[] {true, false}) {
                io.micrometer.core.instrument.FunctionCounter
                        .builder("ccm.embedded.store.scans", scans, s -> s.total(filtered))
                        .description("Queries the embedded store answered by reading a whole collection")
                        .tag("filter", filtered ? "filtered" : "empty").register(registry);
            }
        };
    }

    /**
     * {@code ccm_embedded_store_commits_total}: the embedded H2 store's commits (each forced to disk unless
     * {@code force-to-disk} is off), {@code trigger="write"} for writes waiting to be answered (concurrent writers share
     * one) or {@code trigger="background"}; and {@code ccm_embedded_store_writes_total}, its write commands,
     * {@code wait="commit"} (answered once durable) or {@code wait="none"} (read models, tokens, idempotency claims:
     * made durable by the next commit; the ledger's counter reservations are not counted). Commits per write is how
     * well writes are grouped. {@code ccm_embedded_store_file_bytes}, the store file's size;
     * {@code ccm_embedded_store_chunks_live_percent}, how much of what its chunks hold is live; and
     * {@code ccm_embedded_store_chunk_rewrites_total}, rounds that rewrote sparse chunks to keep the file from growing
     * ({@link ChunkRewrites}). Absent with a configured MongoDB or the in-memory backend.
     */
    @Bean
    io.micrometer.core.instrument.binder.MeterBinder embeddedStoreCommits(
            ObjectProvider<EmbeddedMongoServerHolder> embedded) {
        return registry -> {
            EmbeddedMongoServerHolder holder = embedded.getIfAvailable();
            DurableH2Backend store = holder == null || holder.server() == null ? null
                    : holder.server().durableBackend();
            if (store == null) {
                return;
            }
            for (boolean background : new boolean[] {false, true}) {
                io.micrometer.core.instrument.FunctionCounter
                        .builder("ccm.embedded.store.commits", store, s -> s.commits(background))
                        .description("Commits of the embedded store")
                        .tag("trigger", background ? "background" : "write").register(registry);
            }
            for (boolean waited : new boolean[] {true, false}) {
                io.micrometer.core.instrument.FunctionCounter
                        .builder("ccm.embedded.store.writes", store, s -> s.writes(waited))
                        .description("Write commands of the embedded store")
                        .tag("wait", waited ? "commit" : "none").register(registry);
            }
            io.micrometer.core.instrument.Gauge.builder("ccm.embedded.store.file", store.chunks(), ChunkRewrites::fileSize)
                    .description("Size of the embedded store's file").baseUnit("bytes").register(registry);
            io.micrometer.core.instrument.Gauge
                    .builder("ccm.embedded.store.chunks.live", store.chunks(), ChunkRewrites::liveShare)
                    .description("Share of what the store file's chunks hold that is live").baseUnit("percent")
                    .register(registry);
            io.micrometer.core.instrument.FunctionCounter
                    .builder("ccm.embedded.store.chunk.rewrites", store.chunks(), ChunkRewrites::rounds)
                    .description("Rounds that rewrote the live pages of the store file's sparsest chunks")
                    .register(registry);
        };
    }

    @Bean
    MongoDatabase mongoDatabase(MongoClient client, MongoProperties properties) {
        return client.getDatabase(properties.database());
    }

    /** Keeps the optional embedded server as a bean, so that it is closed after the client that uses it. */
    record EmbeddedMongoServerHolder(EmbeddedMongoServer server) implements AutoCloseable {
        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }
}
