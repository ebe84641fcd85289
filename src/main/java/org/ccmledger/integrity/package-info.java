/**
 * Integrity: proofs that the ledger was not rewritten. Verifies the whole ledger (streaming its progress) or one
 * patient's streams, and seals the ledger with signed, chained digests (a Merkle root over every slot up to a global
 * index, Ed25519) taken on a schedule and on demand, which anyone can check later against the ledger with their own
 * tools (docs/ledger.md, "Digests: sealing the ledger").
 */
package org.ccmledger.integrity;
