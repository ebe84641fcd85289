/** What the integrity feature offers the console: the ledger's digests, its public key, its verification. */
package org.ccmledger.integrity.api;
