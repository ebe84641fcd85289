#!/usr/bin/env python3
"""Recompute a ccm-ledger digest's Merkle root with nothing but Python's standard library.

Usage: verify-digest.py EVENTS.json N [MERKLE_ROOT [HEADS_ROOT]]

EVENTS.json is the `events` collection as docs/verify-ledger.py reads it (mongoexport ... --jsonArray), N is the
digest's `sealedUpTo`. Prints the root, the event count and the heads root over global indexes 1..N, as the
`merkleRoot:`, `eventCount:` and `headsRoot:` lines of the digest's canonical text (a v1 digest has no headsRoot).
Given the digest's `merkleRoot` (and, for a v2 digest, its `headsRoot`), it also says whether they match (exit status
0) or not (1). The formats are in docs/ledger.md, "Digests: sealing the ledger".
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


def head_leaf(stream, sequence, event_hash):
    """SHA-256(0x00 || "ccm-ledger/head/v1|<sequence>|<event hash>|<stream>")."""
    return hashlib.sha256(b"\x00" + f"ccm-ledger/head/v1|{sequence}|{event_hash}|{stream}".encode("utf-8")).digest()


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
    heads = {}
    for index in range(1, sealed_up_to + 1):
        document = documents.get(index)
        if document is None:
            print(f"SLOT_EMPTY at {index}: the digest sealed it, the export has no document there")
            return 1
        leaves.append(leaf(index, document))
        if document.get("tombstone") is True:
            continue
        events += 1
        stream = document.get("aggregateIdentifier")
        sequence = verify_ledger.plain(document.get("sequenceNumber", 0))
        if stream is not None and (stream not in heads or sequence >= heads[stream][0]):
            heads[stream] = (sequence, verify_ledger.event_hash(document))
    root = merkle_root(leaves).hex()
    # one leaf per stream, for its last event among slots 1..N, in order of stream name (UTF-16, as Java sorts)
    order = sorted(heads, key=lambda name: name.encode("utf-16-be"))
    heads_root = merkle_root([head_leaf(name, *heads[name]) for name in order]).hex()
    print(f"merkleRoot:{root}")
    print(f"eventCount:{events}")
    print(f"headsRoot:{heads_root}")
    if len(argv) > 3:
        if root != argv[3].lower():
            print("MISMATCH: the ledger's slots 1..%d are not the ones the digest sealed" % sealed_up_to)
            return 1
        if len(argv) > 4 and heads_root != argv[4].lower():
            print("HEADS_MISMATCH: the streams do not end where the digest sealed their heads")
            return 1
        print("OK: the root matches the digest")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
