"""The evidence pack of one published variant: what a legal team or an auditor needs, in one folder or zip.

Files (``factory audit evidence VARIANT --out PATH``; PATH ending in ``.zip`` gives a zip):

- ``provenance.json``: the signed envelope as sent (manifest, signature, manifest hash; the C2PA part
  without its store), and ``copy.txt``: the published text exactly as the content hash covers it;
- ``<variant>.c2pa``: the C2PA sidecar manifest store of ``copy.txt``, when one was made;
- ``public-key.pem`` and ``certificate-chain.pem``: the key that signed the manifest and the checkpoints,
  and the chain C2PA validators need;
- ``audit-excerpt.jsonl``: every audit entry of the brief (content, ``prev_hash``, ``entry_hash``), for reading;
- ``chain-segment.jsonl``: every entry (of any brief, since the chain hashes them all) from the
  ``provenance.signed`` entry of this variant to the first checkpoint covering it, so its hashes can be
  recomputed up to that checkpoint's signed head;
- ``checkpoints.json``: that checkpoint and every later one to the newest, each signed and chained to the
  one before (the export format of :mod:`app.audit.checkpoints`);
- ``HOW-TO-VERIFY.md`` and ``summary.json``: the steps, and their results when the pack was made.

:func:`check_pack` repeats every step on a pack with only its public key (``factory audit evidence-check``).
Entries of other briefs inside the segment are part of the proof; redact the pack's copy (and say so)
before it leaves the organisation, or keep the proof to ``factory audit verify`` on the live log.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.audit import chain
from app.audit.checkpoints import body_of, document
from app.audit.keys import key_id, public_pem, raw_public, signature_valid
from app.audit.models import AuditCheckpoint
from app.errors import NotFound
from app.models import AuditEntry, Variant
from app.pipeline.stages import variant_text
from app.provenance.models import ProvenanceRecord
from app.provenance.verify import load_public_key, signed_bytes, verify_manifest

HOW_TO = """# How to verify this evidence pack

Everything here can be checked with the public key in `public-key.pem` alone
(`factory audit evidence-check THIS_FOLDER --public-key public-key.pem` does all of it).

1. **The manifest and the copy.** `provenance.json` holds `manifest` and an Ed25519 `signature` over
   `"factory-provenance/1" || 0x00 || JCS(manifest)` (JCS: RFC 8785 canonical JSON). Verify it with the public
   key, then check that SHA-256 of `copy.txt` (UTF-8, exactly as stored) equals `manifest.content.sha256`.
   `app.provenance.verify.verify_manifest` does both in one call.
2. **The manifest is in the audit chain.** `chain-segment.jsonl` starts with this variant's `provenance.signed`
   entry; its `details.manifest_sha256` must equal SHA-256 of the signed bytes of step 1.
3. **The chain up to a signed checkpoint.** For each line of `chain-segment.jsonl`, recompute
   `entry_hash = SHA-256(0x00 || JCS(content) || bytes.fromhex(prev_hash))` and check that each `prev_hash` is
   the previous line's `entry_hash`. The last line's `entry_hash` and `seq` must equal the first checkpoint's
   `head_hash` and `count` in `checkpoints.json`.
4. **The checkpoints.** Each checkpoint's signature verifies over `0x01 || JCS(body)`, where body is
   `{number, count, head_hash, created_at, previous, key_id}`; `checkpoint_hash` is SHA-256 of the same bytes;
   each checkpoint's `previous` is the `checkpoint_hash` of the one before it. Compare the newest with the copy
   exported outside the database (`CF_AUDIT_CHECKPOINT_DIR`, or the CMS that received it).
5. **C2PA (optional).** `<variant>.c2pa` is a sidecar manifest store for `copy.txt`; check it with C2PA tools
   (`c2pa-python`: `Reader("text/plain", open("copy.txt","rb"), store_bytes)`), trusting the last
   certificate of `certificate-chain.pem` as the anchor.
"""


@dataclass
class PackSummary:
    """Where the pack went and what its own checks found (``problems`` empty: every step passed)."""

    path: Path
    files: list[str]
    checkpoint_number: int
    segment_entries: int
    problems: list[str] = field(default_factory=list)


def _entry_line(entry: AuditEntry) -> dict[str, Any]:
    return {"content": chain.entry_content(entry), "prev_hash": entry.prev_hash, "entry_hash": entry.entry_hash}


def _jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in rows)


def gather(engine: Engine, variant_id: str) -> dict[str, Any]:
    """Everything the pack holds, read from the database. NotFound when the variant has no provenance, or when
    no checkpoint covers its ``provenance.signed`` entry yet (``factory audit checkpoint`` makes one)."""
    with Session(engine) as session:
        record = session.get(ProvenanceRecord, variant_id)
        variant = session.get(Variant, variant_id)
        if record is None or variant is None:
            raise NotFound(f"variant {variant_id!r} has no provenance: only variants that passed compliance have one")
        signed = session.exec(select(AuditEntry).where(AuditEntry.action == "provenance.signed",
                                                       AuditEntry.subject_id == variant_id)).first()
        if signed is None or signed.seq is None:
            raise NotFound(f"no provenance.signed audit entry for variant {variant_id}")
        checkpoints = list(session.exec(select(AuditCheckpoint).where(AuditCheckpoint.count >= signed.seq)
                                        .order_by(col(AuditCheckpoint.number))))
        if not checkpoints:
            raise NotFound(f"no checkpoint covers audit entry {signed.seq} yet: run `factory audit checkpoint`")
        segment = session.exec(select(AuditEntry).where(col(AuditEntry.seq) >= signed.seq,
                                                        col(AuditEntry.seq) <= checkpoints[0].count)
                               .order_by(col(AuditEntry.seq))).all()
        excerpt = session.exec(select(AuditEntry).where(AuditEntry.brief_id == record.brief_id)
                               .order_by(col(AuditEntry.seq))).all()
        return {"record": record, "text": variant_text(variant), "segment": [_entry_line(e) for e in segment],
                "excerpt": [_entry_line(e) for e in excerpt], "checkpoints": checkpoints}


def write_pack(engine: Engine, variant_id: str, out: Path, *, public_key: Ed25519PublicKey,
               chain_pem: str | None, audit_key: Ed25519PublicKey | None = None) -> PackSummary:
    """Write the pack of ``variant_id`` to the folder ``out`` (or the zip ``out`` when it ends in ``.zip``), then
    check it with :func:`check_pack`. ``audit_key`` is the checkpoints' key when it is not ``public_key`` (a
    separate ``CF_PROVENANCE_SIGNING_KEY``); it is written as ``audit-public-key.pem``. Raises NotFound (see
    :func:`gather`) and FileExistsError if ``out`` exists."""
    if out.exists():
        raise FileExistsError(f"{out} exists; evidence packs are never overwritten")
    facts = gather(engine, variant_id)
    record: ProvenanceRecord = facts["record"]
    audit_key = audit_key or public_key
    raw = raw_public(audit_key)
    envelope = {"manifest": record.manifest, "manifest_sha256": record.manifest_sha256,
                "signature": {"alg": "Ed25519", "key_id": record.key_id, "value": record.signature},
                "c2pa": {"store_file": f"{variant_id}.c2pa"} if record.c2pa_store_b64 else
                        {"unavailable": record.c2pa_note}}
    files: dict[str, bytes] = {
        "provenance.json": json.dumps(envelope, indent=2, sort_keys=True, ensure_ascii=False).encode() + b"\n",
        "copy.txt": facts["text"].encode("utf-8"),
        "public-key.pem": public_pem(public_key).encode("ascii"),
        "audit-excerpt.jsonl": _jsonl(facts["excerpt"]).encode("utf-8"),
        "chain-segment.jsonl": _jsonl(facts["segment"]).encode("utf-8"),
        "checkpoints.json": json.dumps([document(c, raw) for c in facts["checkpoints"]], indent=2).encode() + b"\n",
        "HOW-TO-VERIFY.md": HOW_TO.encode("utf-8"),
    }
    if raw != raw_public(public_key):
        files["audit-public-key.pem"] = public_pem(audit_key).encode("ascii")
    if chain_pem:
        files["certificate-chain.pem"] = chain_pem.encode("ascii")
    if record.c2pa_store_b64:
        files[f"{variant_id}.c2pa"] = base64.b64decode(record.c2pa_store_b64)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / out.stem
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        problems = check_pack(folder, public_key, audit_key=audit_key)
        summary = {"variant_id": variant_id, "checked_with_key_id": key_id(public_key), "problems": problems,
                   "checkpoint": facts["checkpoints"][0].number, "segment_entries": len(facts["segment"])}
        (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        if out.suffix == ".zip":
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.make_archive(str(out.with_suffix("")), "zip", root_dir=folder)
        else:
            shutil.copytree(folder, out)
    return PackSummary(path=out, files=sorted([*files, "summary.json"]), problems=problems,
                       checkpoint_number=facts["checkpoints"][0].number, segment_entries=len(facts["segment"]))


def check_pack(folder: Path, public_key: Ed25519PublicKey | str | bytes,
               audit_key: Ed25519PublicKey | str | bytes | None = None) -> list[str]:
    """Every step of ``HOW-TO-VERIFY.md`` on an unpacked pack; the problems found (empty: all passed).
    ``audit_key`` checks the checkpoints; default ``public_key`` (one key signs both, unless configured apart)."""
    key = load_public_key(public_key)
    envelope = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    text = (folder / "copy.txt").read_bytes().decode("utf-8")
    problems = [f"manifest: {r}" for r in verify_manifest(envelope, key, text=text).reasons]
    segment = [json.loads(line) for line in (folder / "chain-segment.jsonl").read_text(encoding="utf-8").splitlines()]
    checkpoints = json.loads((folder / "checkpoints.json").read_text(encoding="utf-8"))
    if not segment or not checkpoints:
        return [*problems, "the pack has no chain segment or no checkpoint"]
    first = segment[0]["content"]
    manifest_hash = hashlib.sha256(signed_bytes(envelope["manifest"])).hexdigest()
    if first["action"] != "provenance.signed" or first["details"].get("manifest_sha256") != manifest_hash:
        problems.append("the segment does not start with this manifest's provenance.signed entry")
    problems += _segment_problems(segment, checkpoints[0])
    problems += _checkpoint_problems(checkpoints, load_public_key(audit_key) if audit_key is not None else key)
    return problems


def _segment_problems(segment: list[dict[str, Any]], checkpoint: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for i, line in enumerate(segment):
        seq = line["content"]["seq"]
        if i and line["prev_hash"] != segment[i - 1]["entry_hash"]:
            problems.append(f"entry {seq}: prev_hash is not the previous entry's hash")
        if chain.entry_hash(line["content"], line["prev_hash"]) != line["entry_hash"]:
            problems.append(f"entry {seq}: its hash does not match its content")
    last = segment[-1]
    if (last["content"]["seq"], last["entry_hash"]) != (checkpoint["count"], checkpoint["head_hash"]):
        problems.append(f"the segment ends at entry {last['content']['seq']}, not at checkpoint "
                        f"{checkpoint['number']}'s head (entry {checkpoint['count']})")
    return problems


def _checkpoint_problems(checkpoints: list[dict[str, Any]], key: Ed25519PublicKey) -> list[str]:
    problems: list[str] = []
    for i, doc in enumerate(checkpoints):
        body = body_of(doc)
        if chain.node_hash(body) != doc["checkpoint_hash"]:
            problems.append(f"checkpoint {doc['number']}: its hash does not match its body")
        if not signature_valid(key, doc["signature"], chain.NODE_PREFIX + chain.canonical(body)):
            problems.append(f"checkpoint {doc['number']}: the signature does not verify with this key")
        if i and doc["previous"] != checkpoints[i - 1]["checkpoint_hash"]:
            problems.append(f"checkpoint {doc['number']}: not chained to checkpoint {checkpoints[i - 1]['number']}")
    return problems
