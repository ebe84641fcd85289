package org.ccmledger.platform.mongo;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A collection of the embedded H2 store, as mongo-java-server's own, but whose scans are counted
 * ({@link StoreScans}) and whose key filters are matched by a set lookup ({@link KeyQuery}) instead of the whole
 * matcher for every document found, whose updated documents are encoded afresh ({@link #handleUpdate}), and whose
 * data size is measured when asked for ({@link #getDataSize}) rather than kept up to date on every write.
 */
final class StoreCollection extends H2Collection {

    private final StoreScans scans;
    private final String namespace;
    /**
     * The key filter last matched, so that the documents of one query reuse it; checked by identity. The queries of
     * one collection run one at a time (mongo-java-server synchronizes them), so one slot serves.
     */
    private volatile KeyQuery lastKeyQuery;
    private final MVMap<Object, Document> data;

    StoreCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data,
                    MVMap<String, Object> meta, CursorRegistry cursors, StoreScans scans) {
        super(database, name, options, data, meta, cursors);
        this.scans = scans;
        this.data = data;
        this.namespace = database.getDatabaseName() + "." + name;
    }

    /** A query no index could serve: every document read. */
    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
                                         Document fields) {
        scans.scanned(namespace, query);
        return super.matchDocuments(query, orderBy, skip, limit, batchSize, fields);
    }

    @Override
    protected boolean documentMatchesQuery(Document document, Document query) {
        KeyQuery keyed = lastKeyQuery;
        if (keyed == null || !keyed.isOf(query)) {
            keyed = KeyQuery.of(query);
            if (keyed == null) {
                return super.documentMatchesQuery(document, query);
            }
            lastKeyQuery = keyed;
        }
        Boolean matches = keyed.matches(document);
        return matches != null ? matches : super.documentMatchesQuery(document, query);
    }

    /**
     * An update: mongo-java-server has changed the stored document in place and puts it back; the BSON kept with it
     * ({@link BsonDocumentType}) no longer says what it holds.
     */
    @Override
    protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
        BsonDocumentType.INSTANCE.forget(newDocument);
        super.handleUpdate(position, oldDocument, newDocument);
    }

    /**
     * No running data size: mongo-java-server would encode the old and the new document of every update to BSON once
     * more only to add the difference to a counter stored with the collection (a sixth of the embedded server's work
     * under a steady stream of commands, and one more page rewritten by each commit). Nothing in the service reads it;
     * {@code collStats} and {@code validate} get it measured ({@link #getDataSize}).
     */
    @Override
    protected boolean tracksDataSize() {
        return false;
    }

    /**
     * The size of the collection's documents as BSON, measured now (for {@code collStats} and {@code validate}).
     * While the collection is being opened (mongo-java-server's constructor asks for it, for a debug log line, before
     * this class has its fields) it answers 0 rather than reading the whole collection at every start.
     */
    @Override
    protected int getDataSize() {
        if (data == null) {
            return 0;
        }
        long size = 0;
        ByteBuf buffer = Unpooled.buffer();
        try {
            for (Document document : data.values()) {
                buffer.clear();
                BsonEncoder.encodeDocument(document, buffer);
                size += buffer.writerIndex();
            }
        } finally {
            buffer.release();
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }
}
