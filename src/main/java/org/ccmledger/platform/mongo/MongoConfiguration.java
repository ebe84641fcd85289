package org.ccmledger.platform.mongo;

import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.ObjectProvider;
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

    @Bean(destroyMethod = "close")
    EmbeddedMongoServerHolder embeddedMongoServer(MongoProperties properties) {
        return new EmbeddedMongoServerHolder(
                properties.useEmbedded() ? EmbeddedMongoServer.start(properties.embedded()) : null);
    }

    @Bean(destroyMethod = "close")
    MongoClient mongoClient(MongoProperties properties, ObjectProvider<EmbeddedMongoServerHolder> embedded) {
        MongoClientSettings.Builder settings = MongoClientSettings.builder().applicationName("ccm-ledger");
        if (properties.useEmbedded()) {
            settings.applyConnectionString(new ConnectionString(embedded.getObject().server().connectionString()));
        } else {
            ConnectionString uri = new ConnectionString(properties.uri());
            settings.applyConnectionString(uri);
            if (uri.getWriteConcern() == null) {
                settings.writeConcern(WriteConcern.MAJORITY.withJournal(true).withWTimeout(10, TimeUnit.SECONDS));
            }
        }
        return MongoClients.create(settings.build());
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
