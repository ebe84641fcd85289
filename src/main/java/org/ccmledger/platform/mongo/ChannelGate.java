package org.ccmledger.platform.mongo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Closes the embedded server to every client but the service itself. mongo-java-server has no authentication, and any
 * local process can reach a port on the loopback interface; so each start draws a secret, the service's driver names
 * it as its application name (which the driver sends in the handshake that opens every connection), and a connection
 * whose handshake does not carry it may do nothing but that handshake: every other command is refused with code 13
 * ({@code Unauthorized}). What remains open is in {@code docs/security.md}.
 */
final class ChannelGate implements MongoBackend {

    private static final AttributeKey<Boolean> ADMITTED = AttributeKey.valueOf("ccm-ledger-admitted");
    private static final Set<String> HANDSHAKES = Set.of("hello", "ismaster");

    private final MongoBackend backend;
    private final String secret;

    ChannelGate(MongoBackend backend, String secret) {
        this.backend = backend;
        this.secret = secret;
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        admit(channel, command, query);
        return backend.handleCommand(channel, database, command, query);
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        Document body = message.getDocument();
        String command = body.isEmpty() ? "" : body.keySet().iterator().next();
        admit(message.getChannel(), command, body);
        return backend.handleMessage(message);
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        if (!admitted(query.getChannel())) {
            throw refused();
        }
        return backend.handleQuery(query);
    }

    /** A handshake naming the secret admits its connection; anything else needs an admitted connection. */
    private void admit(Channel channel, String command, Document query) {
        if (HANDSHAKES.contains(command.toLowerCase(Locale.ROOT))) {
            if (query.get("client") instanceof Document client && client.get("application") instanceof Document app
                    && app.get("name") instanceof String name
                    && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                                         name.getBytes(StandardCharsets.UTF_8))) {
                channel.attr(ADMITTED).set(Boolean.TRUE);
            }
            return;
        }
        if (!admitted(channel)) {
            throw refused();
        }
    }

    private static boolean admitted(Channel channel) {
        return channel != null && Boolean.TRUE.equals(channel.attr(ADMITTED).get());
    }

    private static MongoServerError refused() {
        return new MongoServerError(13, "Unauthorized", "this server serves the ccm-ledger service only");
    }

    @Override
    public void handleClose(Channel channel) {
        backend.handleClose(channel);
    }

    @Override
    public void dropDatabase(String database) {
        backend.dropDatabase(database);
    }

    @Override
    public Collection<Document> getCurrentOperations(MongoQuery query) {
        if (!admitted(query.getChannel())) {
            throw refused();
        }
        return backend.getCurrentOperations(query);
    }

    @Override
    public Document getServerStatus() {
        return backend.getServerStatus();
    }

    @Override
    public void close() {
        backend.close();
    }

    @Override
    public void closeCursors(List<Long> cursorIds) {
        backend.closeCursors(cursorIds);
    }

    @Override
    public Clock getClock() {
        return backend.getClock();
    }

    @Override
    public void enableOplog() {
        backend.enableOplog();
    }

    @Override
    public void disableOplog() {
        backend.disableOplog();
    }

    @Override
    public MongoDatabase resolveDatabase(String database) {
        return backend.resolveDatabase(database);
    }

    @Override
    public MongoBackend version(MongoVersion version) {
        backend.version(version);
        return this;
    }
}
