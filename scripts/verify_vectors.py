#!/usr/bin/env python3
"""Verify the test vectors of docs/PROTOCOL.md with an implementation independent of the Rust code.

For each record vector this script decodes the body with its own reader (written from the
encoding tables of PROTOCOL.md), compares the fields with the vector's JSON, verifies the
Ed25519 signature with the `cryptography` package, recomputes the record hash, and checks that
each record's previous_hash is the hash of the vector before it. It also verifies the plan
revision and the signed envelope, and checks that a changed byte fails verification.

`cryptography` comes from scripts/setup, which installs a pinned version into .cache/pylib;
the Rust test `protocol_vectors` puts that folder on PYTHONPATH.

Usage: scripts/verify_vectors.py [docs/PROTOCOL.md]
"""

import hashlib
import json
import re
import struct
import sys
import uuid
from pathlib import Path

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:
    print(
        "verify_vectors: the Python package `cryptography` is missing; run scripts/setup, which "
        "installs it into .cache/pylib, and put that folder on PYTHONPATH",
        file=sys.stderr,
    )
    sys.exit(2)

SIGNATURE_LEN = 64
KINDS = {1: "check_in", 2: "check_out"}
TIME_SOURCES = {1: "server_anchor", 2: "wall_clock"}
GEOFENCE_CODES = {0: "not_evaluated", 1: "inside", 2: "outside", 3: "uncertain"}
ACTIVE_LIVENESS = {0: "not_run", 1: "passed", 2: "failed"}
PLAN_STATUS = {1: "planned", 2: "done", 3: "not_done"}


class DecodeError(Exception):
    pass


class Reader:
    """Reads big-endian fixed-width integers and u32-length-prefixed strings in order."""

    def __init__(self, data: bytes, magic: bytes, version: int):
        self.data = data
        self.position = 0
        if self.take("magic", 4) != magic:
            raise DecodeError(f"magic is not {magic!r}")
        if self.unpack("format_version", ">H") != version:
            raise DecodeError("unsupported format version")

    def take(self, field: str, count: int) -> bytes:
        if self.position + count > len(self.data):
            raise DecodeError(f"{field}: input ends early")
        chunk = self.data[self.position : self.position + count]
        self.position += count
        return chunk

    def unpack(self, field: str, layout: str) -> int:
        return struct.unpack(layout, self.take(field, struct.calcsize(layout)))[0]

    def boolean(self, field: str) -> bool:
        value = self.unpack(field, ">B")
        if value not in (0, 1):
            raise DecodeError(f"{field}: boolean byte {value}")
        return value == 1

    def code(self, field: str, names: dict) -> str:
        value = self.unpack(field, ">B")
        if value not in names:
            raise DecodeError(f"{field}: unknown code {value}")
        return names[value]

    def uuid(self, field: str) -> str:
        return str(uuid.UUID(bytes=self.take(field, 16)))

    def string(self, field: str, maximum: int) -> str:
        length = self.unpack(field, ">I")
        if length > maximum:
            raise DecodeError(f"{field}: length {length} above {maximum}")
        return self.take(field, length).decode("utf-8")

    def strings(self, field: str, max_count: int, max_length: int) -> list:
        count = self.unpack(field, ">I")
        if count > max_count:
            raise DecodeError(f"{field}: count {count} above {max_count}")
        return [self.string(field, max_length) for _ in range(count)]

    def finish(self) -> None:
        if self.position != len(self.data):
            raise DecodeError(f"{len(self.data) - self.position} bytes after the last field")


def decode_record(body: bytes) -> dict:
    reader = Reader(body, b"SPRC", 2)
    record = {"format_version": 2}
    record["record_id"] = reader.uuid("record_id")
    record["device_id"] = reader.uuid("device_id")
    record["nip"] = reader.string("nip", 18)
    record["kind"] = reader.code("kind", KINDS)
    record["wall_clock_ms"] = reader.unpack("wall_clock_ms", ">q")
    record["elapsed_ms"] = reader.unpack("elapsed_ms", ">q")
    record["boot_id"] = reader.string("boot_id", 128)
    record["trusted_time_ms"] = reader.unpack("trusted_time_ms", ">q")
    record["trusted_uncertainty_ms"] = reader.unpack("trusted_uncertainty_ms", ">I")
    record["time_source"] = reader.code("time_source", TIME_SOURCES)
    # The anchor fields follow only for time source 1 (server anchor).
    if record["time_source"] == "server_anchor":
        record["anchor"] = {
            "server_time_ms": reader.unpack("anchor_server_time_ms", ">q"),
            "elapsed_ms": reader.unpack("anchor_elapsed_ms", ">q"),
            "round_trip_uncertainty_ms": reader.unpack("anchor_round_trip_uncertainty_ms", ">I"),
        }
        if record["anchor"]["elapsed_ms"] < 0:
            raise DecodeError("anchor_elapsed_ms: negative")
    else:
        record["anchor"] = None
    record["zone_offset_minutes"] = reader.unpack("zone_offset_minutes", ">h")
    record["location"] = {
        "latitude_e7": reader.unpack("latitude_e7", ">i"),
        "longitude_e7": reader.unpack("longitude_e7", ">i"),
        "accuracy_mm": reader.unpack("accuracy_mm", ">I"),
        "fix_time_ms": reader.unpack("fix_time_ms", ">q"),
        "provider": reader.string("provider", 128),
        "mock": reader.boolean("mock"),
    }
    record["geofence"] = {
        "code": reader.code("geofence_code", GEOFENCE_CODES),
        "office_id": reader.string("office_id", 128),
        "distance_mm": reader.unpack("distance_mm", ">q"),
    }
    record["face"] = {
        "matched": reader.boolean("matched"),
        "score_milli": reader.unpack("score_milli", ">i"),
        "liveness_milli": reader.unpack("liveness_milli", ">i"),
        "active_liveness": reader.code("active_liveness", ACTIVE_LIVENESS),
    }
    record["reasons"] = reader.strings("reasons", 32, 128)
    record["template_id"] = reader.string("template_id", 128)
    record["model_ids"] = reader.strings("model_ids", 16, 128)
    record["sequence"] = reader.unpack("sequence", ">Q")
    record["previous_hash"] = reader.take("previous_hash", 32).hex()
    reader.finish()
    if not (len(record["nip"]) == 18 and record["nip"].isdigit()):
        raise DecodeError("nip: not 18 digits")
    return record


def decode_plan(body: bytes) -> dict:
    reader = Reader(body, b"SPPR", 1)
    plan = {
        "device_id": reader.uuid("device_id"),
        "nip": reader.string("nip", 18),
        "day": reader.unpack("day", ">i"),
        "revision": reader.unpack("revision", ">I"),
        "created_ms": reader.unpack("created_ms", ">q"),
        "items": [],
    }
    for _ in range(reader.unpack("items", ">I")):
        item = {
            "title": reader.string("title", 200),
            "expected_output": reader.string("expected_output", 500),
        }
        if reader.boolean("window"):
            item["window"] = (reader.unpack("window", ">H"), reader.unpack("window", ">H"))
        item["status"] = reader.code("status", PLAN_STATUS)
        item["note"] = reader.string("note", 1000)
        plan["items"].append(item)
    reader.finish()
    return plan


def parse_blocks(section: str) -> dict:
    """Return the fenced blocks of a section keyed by their label (`hex body` gives `body`)."""
    blocks = {}
    for kind, label, content in re.findall(r"```(\w+) (\w+)\n(.*?)```", section, re.S):
        blocks[label] = json.loads(content) if kind == "json" else bytes.fromhex("".join(content.split()))
    return blocks


def verifies(public_key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        public_key.verify(signature, message)
        return True
    except InvalidSignature:
        return False


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "docs" / "PROTOCOL.md"
    document = path.read_text(encoding="utf-8")
    begin, end = document.index("<!-- BEGIN GENERATED VECTORS -->"), document.index("<!-- END GENERATED VECTORS -->")
    sections = re.split(r"\n### ", document[begin:end])
    header = parse_blocks(sections[0])
    public_key = Ed25519PublicKey.from_public_bytes(header["public_key"])

    passed, failed = 0, 0

    def check(name: str, condition: bool) -> None:
        nonlocal passed, failed
        if not condition:
            failed += 1
            print(f"FAILED: {name}")

    previous_hash = bytes(32)
    vectors = 0
    for section in sections[1:]:
        title = section.splitlines()[0]
        blocks = parse_blocks(section)
        if title.startswith("Record vector"):
            body, signature = blocks["body"], blocks["signature"]
            record = decode_record(body)
            check(f"{title}: decoded fields equal the JSON", record == blocks["fields"])
            check(f"{title}: signature verifies", verifies(public_key, signature, body))
            changed = bytearray(body)
            changed[len(changed) // 2] ^= 0x01
            check(f"{title}: a changed byte fails", not verifies(public_key, signature, bytes(changed)))
            record_hash = hashlib.sha256(body + signature).digest()
            check(f"{title}: record hash", record_hash == blocks["hash"])
            check(f"{title}: previous_hash links to the vector before", bytes.fromhex(record["previous_hash"]) == previous_hash)
            previous_hash = record_hash
            anchor = record["anchor"]
            if anchor is not None:
                # Trusted time is the anchor's server time plus the elapsed time since, and its
                # bound is the half round trip plus 100 ppm of that elapsed time.
                since_ms = record["elapsed_ms"] - anchor["elapsed_ms"]
                check(f"{title}: trusted time recomputes from the anchor", record["trusted_time_ms"] == anchor["server_time_ms"] + since_ms)
                uncertainty_ms = anchor["round_trip_uncertainty_ms"] + since_ms * 100 // 1_000_000
                check(f"{title}: uncertainty recomputes from the anchor", record["trusted_uncertainty_ms"] == uncertainty_ms)
        elif title.startswith("Plan revision vector"):
            body, signature = blocks["plan_body"], blocks["plan_signature"]
            plan = decode_plan(body)
            check(f"{title}: decodes", plan["revision"] == 2 and len(plan["items"]) == 2)
            check(f"{title}: signature verifies", verifies(public_key, signature, body))
        elif title.startswith("Signed envelope vector"):
            envelope = blocks["envelope"]
            check(f"{title}: signature verifies", verifies(public_key, envelope[-SIGNATURE_LEN:], envelope[:-SIGNATURE_LEN]))
        else:
            check(f"unknown vector section {title!r}", False)
            continue
        vectors += 1
        passed += 1

    if failed:
        print(f"{passed} passed, {failed} failed")
        return 1
    print(f"{vectors} vectors verified")
    print(f"{passed} passed, {failed} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
