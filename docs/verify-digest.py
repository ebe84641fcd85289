#!/usr/bin/env python3
"""Recompute a ccm-ledger digest's Merkle root with nothing but Python's standard library.

Usage: verify-digest.py EVENTS.json N [MERKLE_ROOT]

EVENTS.json is the `events` collection as docs/verify-ledger.py reads it (mongoexport ... --jsonArray), N is the
digest's `sealedUpTo`. Prints the root and the event count over global indexes 1..N, as `merkleRoot:` and
`eventCount:` lines of the digest's canonical text. Given the digest's `merkleRoot`, it also says whether they match
(exit status 0) or not (1). The formats are in docs/ledger.md, "Digests: sealing the ledger".
"""
import hashlib
import importlib.util
import json
import os
import sys

# the event hash is the one verify-ledger.py computes: one definition of the canonical form
_spec = importlib.util.spec_from_file_location(
    "verify_ledger", os.path.join(os.path.dirname(os.path.abspath(__file__)), "verify-ledger.py"))
verify_ledger = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(verify_ledger)


def leaf(index, document):
    """SHA-256(0x00 || "ccm-ledger/leaf/v1|<index>|<event hash or 'tombstone'>")."""
    value = "tombstone" if document.get("tombstone") is True else verify_ledger.event_hash(document)
    return hashlib.sha256(b"\x00" + f"ccm-ledger/leaf/v1|{index}|{value}".encode("utf-8")).digest()


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(leaves):
    """RFC 6962 Merkle Tree Hash, level by level: pairs from the left, an odd last node promoted unchanged."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = leaves
    while len(level) > 1:
        above = [node(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2 == 1:
            above.append(level[-1])
        level = above
    return level[0]


def main(argv):
    documents = {verify_ledger.plain(d["_id"]): d for d in json.load(open(argv[1]))}
    sealed_up_to = int(argv[2])
    leaves = []
    events = 0
    for index in range(1, sealed_up_to + 1):
        document = documents.get(index)
        if document is None:
            print(f"SLOT_EMPTY at {index}: the digest sealed it, the export has no document there")
            return 1
        events += 0 if document.get("tombstone") is True else 1
        leaves.append(leaf(index, document))
    root = merkle_root(leaves).hex()
    print(f"merkleRoot:{root}")
    print(f"eventCount:{events}")
    if len(argv) > 3:
        if root != argv[3].lower():
            print("MISMATCH: the ledger's slots 1..%d are not the ones the digest sealed" % sealed_up_to)
            return 1
        print("OK: the root matches the digest")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
