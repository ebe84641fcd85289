#!/usr/bin/env python3
"""Verify a ccm-ledger export with nothing but Python's standard library.

Usage: verify-ledger.py EVENTS.json [HIGHEST_INDEX] [--heads HEADS.json]

EVENTS.json is the `events` collection in MongoDB Extended JSON, canonical form, as a JSON array, e.g.
    mongoexport --collection=events --sort='{_id:1}' --jsonArray --jsonFormat=canonical -o events.json
HIGHEST_INDEX is `counters.globalIndex.value` read before the export (optional). HEADS.json is the `stream_heads`
collection exported the same way (optional): every stream must then end where its head says.
The canonical forms (v1 and the typed v2) are described in docs/ledger.md. Exit status 0: every hash, chain, index
and head checks out.
"""
import hashlib
import json
import struct
import sys
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
GENESIS = "0" * 64


def plain(value):
    """Unwrap MongoDB Extended JSON numbers."""
    if isinstance(value, dict):
        for key in ("$numberLong", "$numberInt"):
            if key in value:
                return int(value[key])
    return value


def millis(value):
    """A date as milliseconds since the epoch, from canonical or relaxed Extended JSON."""
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


def v1_hash(e):
    """ccm-ledger/event/v1: fixed fields, values only. The global index and sequence number must be 64-bit."""
    for field in ("_id", "sequenceNumber"):
        if field in e and not (isinstance(e[field], dict) and "$numberLong" in e[field]):
            return None
    fields = ["ccm-ledger/event/v1", plain(e["_id"]), e.get("aggregateIdentifier"), plain(e.get("sequenceNumber", 0)),
              e.get("aggregateType"), e["eventIdentifier"], e["timestamp"], millis(e["recordedAt"]),
              e["payloadType"], e.get("payloadRevision"), e["payload"], e["metaData"], e["previousHash"]]
    return hashlib.sha256(b"".join(netstring(f) for f in fields)).hexdigest()


def typed(value):
    """The netstrings of one value of the typed form: its BSON type, then its value (documents and arrays inside)."""
    if value is None:
        return netstring("null") + netstring("")
    if isinstance(value, bool):
        return netstring("bool") + netstring("true" if value else "false")
    if isinstance(value, str):
        return netstring("string") + netstring(value)
    if isinstance(value, list):
        return netstring("array") + netstring(len(value)) + b"".join(typed(v) for v in value)
    if isinstance(value, (int, float)):
        raise ValueError("a number without its type: export with --jsonFormat=canonical")
    if "$numberLong" in value:
        return netstring("int64") + netstring(int(value["$numberLong"]))
    if "$numberInt" in value:
        return netstring("int32") + netstring(int(value["$numberInt"]))
    if "$numberDouble" in value:
        bits = struct.unpack(">Q", struct.pack(">d", float(value["$numberDouble"])))[0]
        return netstring("double") + netstring(format(bits, "x"))
    if "$numberDecimal" in value:
        return netstring("decimal128") + netstring(value["$numberDecimal"])
    if "$date" in value:
        return netstring("date") + netstring(millis(value))
    if "$oid" in value:
        return netstring("objectId") + netstring(value["$oid"])
    if "$binary" in value:
        binary = value["$binary"]
        data = __import__("base64").b64decode(binary["base64"]).hex()
        return netstring("binary") + netstring(f"{int(binary['subType'], 16)}:{data}")
    return netstring("document") + fields(value)


def fields(document, leave_out=()):
    names = sorted(k for k in document if k not in leave_out)
    return netstring(len(names)) + b"".join(netstring(k) + typed(document[k]) for k in names)


def v2_hash(e):
    """ccm-ledger/event/v2: every field but the hash, in order of name, each with its type."""
    return hashlib.sha256(netstring("ccm-ledger/event/v2") + fields(e, leave_out=("hash",))).hexdigest()


def event_hash(e):
    """The hash of an exported event's content, by the form it was written with; None where v1 types were changed."""
    return v2_hash(e) if "hashFormat" in e else v1_hash(e)


def check_heads(heads_file, ends):
    for head in sorted(json.load(open(heads_file)), key=lambda h: h["_id"]):
        stream, sequence = head["_id"], plain(head["sequence"])
        end = ends.get(stream)
        if end is None or end[0] < sequence:
            return f"STREAM_TRUNCATED at {plain(head['globalIndex'])}"
        if end[0] > sequence or end[1] != head["hash"] or end[2] != plain(head["globalIndex"]):
            return f"HEAD_MISMATCH at {end[2]}"
    headed = {h["_id"] for h in json.load(open(heads_file))}
    for stream, end in sorted(ends.items()):
        if end[3] and stream not in headed:
            return f"HEAD_MISMATCH at {end[2]}"
    return None


def main(argv):
    args = list(argv[1:])
    heads_file = None
    if "--heads" in args:
        at = args.index("--heads")
        heads_file = args[at + 1]
        del args[at:at + 2]
    events = sorted(json.load(open(args[0])), key=lambda e: plain(e["_id"]))
    highest = int(args[1]) if len(args) > 1 else max((plain(e["_id"]) for e in events), default=0)
    by_index = {plain(e["_id"]): e for e in events}
    ends = {}
    for index in range(1, highest + 1):
        e = by_index.get(index)
        if e is None:
            return f"MISSING_EVENT at {index} (or a commit still in flight)"
        if e.get("tombstone") is True:
            continue  # the slot of a commit that failed: decided, holds no event
        aggregate = e.get("aggregateIdentifier")
        expected_key = f"e:{e['eventIdentifier']}" if aggregate is None else f"a:{aggregate}#{plain(e['sequenceNumber'])}"
        if e["streamKey"] != expected_key:
            return f"KEY_MISMATCH at {index}"
        if event_hash(e) != e["hash"]:
            return f"HASH_MISMATCH at {index}"
        if aggregate is None:
            if e["previousHash"] != GENESIS:
                return f"CHAIN_BROKEN at {index}"
            continue
        previous = ends.get(aggregate)
        if plain(e["sequenceNumber"]) != (0 if previous is None else previous[0] + 1):
            return f"SEQUENCE_BROKEN at {index}"
        if e["previousHash"] != (GENESIS if previous is None else previous[1]):
            return f"CHAIN_BROKEN at {index}"
        ends[aggregate] = (plain(e["sequenceNumber"]), e["hash"], index, "hashFormat" in e)
    if heads_file:
        problem = check_heads(heads_file, ends)
        if problem:
            return problem
    tombstones = sum(1 for e in events if e.get("tombstone") is True)
    print(f"OK: {len(events) - tombstones} events, {tombstones} tombstones, every hash and chain matches"
          + (", every stream ends at its head" if heads_file else ""))
    return None


if __name__ == "__main__":
    problem = main(sys.argv)
    if problem:
        print(problem)
        sys.exit(1)
