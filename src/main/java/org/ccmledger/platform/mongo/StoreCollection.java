package org.ccmledger.platform.mongo;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A collection of the embedded H2 store, as mongo-java-server's own, but whose scans are counted
 * ({@link StoreScans}) and whose key filters are matched by a set lookup ({@link KeyQuery}) instead of the whole
 * matcher for every document found, and whose updated documents are encoded afresh ({@link #handleUpdate}).
 */
final class StoreCollection extends H2Collection {

    private final StoreScans scans;
    private final String namespace;
    /**
     * The key filter last matched, so that the documents of one query reuse it; checked by identity. The queries of
     * one collection run one at a time (mongo-java-server synchronizes them), so one slot serves.
     */
    private volatile KeyQuery lastKeyQuery;

    StoreCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data,
                    MVMap<String, Object> meta, CursorRegistry cursors, StoreScans scans) {
        super(database, name, options, data, meta, cursors);
        this.scans = scans;
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
}
