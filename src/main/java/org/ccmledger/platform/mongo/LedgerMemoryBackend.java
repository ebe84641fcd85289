package org.ccmledger.platform.mongo;

import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/** The in-memory backend (tests, {@code ccm.mongo.embedded.backend=memory}) with the ledger's {@code ccmAppend}. */
final class LedgerMemoryBackend extends MemoryBackend {

    /** One append at a time: its collision check, insert and head updates see no other append's (microseconds). */
    private final Object appendLock = new Object();

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        if (LedgerCommands.isAppend(command)) {
            synchronized (appendLock) {
                return LedgerCommands.append(super::handleCommand, channel, database, command, query);
            }
        }
        return super.handleCommand(channel, database, command, query);
    }
}
