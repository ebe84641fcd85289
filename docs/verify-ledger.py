#!/usr/bin/env python3
"""Verify a ccm-ledger export with nothing but Python's standard library.

Usage: verify-ledger.py EVENTS.json [HIGHEST_INDEX]

EVENTS.json is the `events` collection in MongoDB Extended JSON (canonical or relaxed), as a JSON array, e.g.
    mongoexport --collection=events --sort='{_id:1}' --jsonArray --jsonFormat=canonical -o events.json
HIGHEST_INDEX is `counters.globalIndex.value` read before the export (optional).
The canonical form is described in docs/ledger.md. Exit status 0: every hash, chain and index checks out.
"""
import hashlib
import json
import sys
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def plain(value):
    """Unwrap MongoDB Extended JSON numbers."""
    if isinstance(value, dict):
        for key in ("$numberLong", "$numberInt"):
            if key in value:
                return int(value[key])
    return value


def millis(value):
    """recordedAt as milliseconds since the epoch, from canonical or relaxed Extended JSON."""
    value = value["$date"]
    if isinstance(value, dict):
        return int(value["$numberLong"])
    if isinstance(value, (int, float)):
        return int(value)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (moment - EPOCH) // timedelta(milliseconds=1)


def netstring(value):
    data = ("" if value is None else str(value)).encode("utf-8")
    return str(len(data)).encode("ascii") + b":" + data + b","


def event_hash(e):
    fields = ["ccm-ledger/event/v1", plain(e["_id"]), e.get("aggregateIdentifier"), plain(e.get("sequenceNumber", 0)),
              e.get("aggregateType"), e["eventIdentifier"], e["timestamp"], millis(e["recordedAt"]),
              e["payloadType"], e.get("payloadRevision"), e["payload"], e["metaData"], e["previousHash"]]
    return hashlib.sha256(b"".join(netstring(f) for f in fields)).hexdigest()


def main(argv):
    events = sorted(json.load(open(argv[1])), key=lambda e: plain(e["_id"]))
    highest = int(argv[2]) if len(argv) > 2 else max((plain(e["_id"]) for e in events), default=0)
    by_index = {plain(e["_id"]): e for e in events}
    heads = {}
    for index in range(1, highest + 1):
        e = by_index.get(index)
        if e is None:
            return f"MISSING_EVENT at {index} (or a commit still in flight)"
        if e.get("tombstone") is True:
            continue  # the slot of a commit that failed: decided, holds no event
        if event_hash(e) != e["hash"]:
            return f"HASH_MISMATCH at {index}"
        aggregate = e.get("aggregateIdentifier")
        expected_key = f"e:{e['eventIdentifier']}" if aggregate is None else f"a:{aggregate}#{plain(e['sequenceNumber'])}"
        if e["streamKey"] != expected_key:
            return f"KEY_MISMATCH at {index}"
        if aggregate is None:
            if e["previousHash"] != "0" * 64:
                return f"CHAIN_BROKEN at {index}"
            continue
        previous = heads.get(aggregate)
        if plain(e["sequenceNumber"]) != (0 if previous is None else previous[0] + 1):
            return f"SEQUENCE_BROKEN at {index}"
        if e["previousHash"] != ("0" * 64 if previous is None else previous[1]):
            return f"CHAIN_BROKEN at {index}"
        heads[aggregate] = (plain(e["sequenceNumber"]), e["hash"])
    tombstones = sum(1 for e in events if e.get("tombstone") is True)
    print(f"OK: {len(events) - tombstones} events, {tombstones} tombstones, every hash and chain matches")
    return None


if __name__ == "__main__":
    problem = main(sys.argv)
    if problem:
        print(problem)
        sys.exit(1)
