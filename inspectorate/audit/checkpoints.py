"""Signed checkpoints of the hash chain's head, kept outside the database (DP-4).

The chain (chain.py) proves that no event was altered, removed or inserted *as long as the
links after it were left alone*. Whoever can write the database (its superuser, with
triggers off) can also delete the newest events with their links, or recompute every digest
after an altered event. A checkpoint closes that: it records, outside the database, which link
was the head, its digest and how many links there were, signed with HMAC-SHA256 under a key
the database does not hold. Each line also carries the previous line's signature, so lines
cannot be dropped from the middle of the log or reordered without the break showing.

The log is an append-only file of JSON lines (in production, any write-once store the file
is shipped to). `verify_checkpoints` checks the signatures and the sequence, that each
checkpointed link is still there with the same digest, and that the chain has not shrunk
below the last checkpoint.
"""

from __future__ import annotations

import bisect
import dataclasses
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from inspectorate.audit.models import ChainLink

MINIMUM_KEY_LENGTH = 32
SIGNED_FIELDS = ("link", "digest", "links", "at", "previous", "key")


class CheckpointRefused(Exception):
    """A checkpoint cannot be written (no link yet, or the chain does not verify)."""


@dataclass(frozen=True)
class Checkpoint:
    link: int  # the ChainLink id that was the head
    digest: str  # that link's digest
    links: int  # how many links there were, up to and including it
    at: str  # when, ISO 8601 in UTC
    previous: str  # the signature of the line before ("" for the first)
    key: str  # which key signed it (a fingerprint, not the key)
    signature: str

    def signed_text(self) -> str:
        return _canonical({name: getattr(self, name) for name in SIGNED_FIELDS})

    def line(self) -> str:
        values = {name: getattr(self, name) for name in SIGNED_FIELDS}
        return _canonical({**values, "signature": self.signature})


def _canonical(values: dict[str, Any]) -> str:
    return json.dumps(values, sort_keys=True, separators=(",", ":"))


# -- where the key and the log live -------------------------------------------------------


def checkpoint_path() -> Path:
    """The log's file: INSPECTORATE_AUDIT_CHECKPOINTS, else one file per database under var/.

    One file per database name, because a log belongs to one chain: a test database or a
    restored copy must not be judged against the checkpoints of another.
    """
    configured = getattr(settings, "INSPECTORATE_AUDIT_CHECKPOINTS", None)
    if configured:
        return Path(configured)
    name = str(connection.settings_dict.get("NAME") or "default")
    return Path(settings.BASE_DIR) / "var" / "audit-checkpoints" / f"{name}.jsonl"


def audit_key() -> bytes:
    """The signing key: INSPECTORATE_AUDIT_KEY, else (development and demo only) a key file
    under var/, created on first use, readable by its owner alone."""
    configured = getattr(settings, "INSPECTORATE_AUDIT_KEY", "")
    if configured:
        if len(configured) < MINIMUM_KEY_LENGTH:
            raise ImproperlyConfigured(
                f"INSPECTORATE_AUDIT_KEY must be at least {MINIMUM_KEY_LENGTH} characters."
            )
        return str(configured).encode()
    return _key_file(Path(settings.INSPECTORATE_AUDIT_KEY_FILE))


def _key_file(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip().encode()
    with os.fdopen(descriptor, "w") as key_file:
        key_file.write(secrets.token_hex(32) + "\n")
    return path.read_text().strip().encode()


def key_fingerprint(key: bytes) -> str:
    return hashlib.sha256(b"inspectorate audit key\0" + key).hexdigest()[:16]


def _sign(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


# -- reading and writing the log ----------------------------------------------------------


@contextmanager
def _locked_log(path: Path) -> Iterator[IO[str]]:
    """The log opened for appending under an exclusive lock: one writer at a time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as log:
        fcntl.flock(log, fcntl.LOCK_EX)
        try:
            yield log
        finally:
            fcntl.flock(log, fcntl.LOCK_UN)


def read_lines(path: Path | None = None) -> list[str]:
    path = path or checkpoint_path()
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _last_checkpoint(log: IO[str]) -> Checkpoint | None:
    log.seek(0)
    lines = [line for line in log.read().splitlines() if line.strip()]
    if not lines:
        return None
    parsed = _parse(len(lines), lines[-1])
    if isinstance(parsed, str):
        raise CheckpointRefused(
            f"The last line of the checkpoint log is not a checkpoint ({parsed}); "
            "run audit_verify and investigate before writing another."
        )
    return parsed


def chain_head() -> tuple[int, str, int] | None:
    """The newest committed link: its id, its digest and how many links there are up to it."""
    head = ChainLink.objects.order_by("-id").values_list("id", "digest").first()
    if head is None:
        return None
    link_id, digest = head
    return link_id, digest, ChainLink.objects.filter(id__lte=link_id).count()


def checkpoint_write(*, now: datetime | None = None) -> Checkpoint:
    """Verify the chain, then append a signed checkpoint of its head to the log.

    Refuses when the chain does not verify: signing a broken chain would vouch for it.
    """
    from inspectorate.audit.selectors import chain_verify

    key = audit_key()
    head = chain_head()  # read before the verification, so that the verification covers it
    report = chain_verify()
    if not report.intact:
        raise CheckpointRefused(f"The audit chain does not verify: {report.first_bad}")
    if head is None:
        raise CheckpointRefused("The audit chain has no link yet: there is nothing to checkpoint.")
    link_id, digest, links = head
    at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    with _locked_log(checkpoint_path()) as log:
        last = _last_checkpoint(log)
        if last is not None and last.link > link_id:
            return last  # another writer signed a newer head meanwhile: the log stays in order
        unsigned = Checkpoint(
            link=link_id,
            digest=digest,
            links=links,
            at=at,
            previous=last.signature if last else "",
            key=key_fingerprint(key),
            signature="",
        )
        checkpoint = dataclasses.replace(unsigned, signature=_sign(key, unsigned.signed_text()))
        log.seek(0, os.SEEK_END)
        log.write(checkpoint.line() + "\n")
        log.flush()
        os.fsync(log.fileno())
    return checkpoint


# -- verification -------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointReport:
    checkpoints: int
    last: Checkpoint | None
    findings: list[str]

    @property
    def intact(self) -> bool:
        return not self.findings


def _parse(number: int, line: str) -> Checkpoint | str:
    try:
        values = json.loads(line)
        return Checkpoint(
            link=int(values["link"]),
            digest=str(values["digest"]),
            links=int(values["links"]),
            at=str(values["at"]),
            previous=str(values["previous"]),
            key=str(values["key"]),
            signature=str(values["signature"]),
        )
    except (ValueError, KeyError, TypeError) as error:
        return f"checkpoint line {number}: not a checkpoint ({error})"


def _line_findings(key: bytes, lines: list[str]) -> tuple[list[Checkpoint], list[str]]:
    """Each line parsed, its signature and its place in the sequence checked."""
    findings: list[str] = []
    checkpoints: list[Checkpoint] = []
    fingerprint = key_fingerprint(key)
    previous: Checkpoint | None = None
    for number, line in enumerate(lines, start=1):
        parsed = _parse(number, line)
        if isinstance(parsed, str):
            findings.append(parsed)
            continue
        where = f"checkpoint line {number} (link {parsed.link})"
        if parsed.key != fingerprint:
            findings.append(f"{where}: signed with another key ({parsed.key})")
        elif not hmac.compare_digest(_sign(key, parsed.signed_text()), parsed.signature):
            findings.append(f"{where}: the signature does not match: the line was altered")
        expected_previous = previous.signature if previous else ""
        if parsed.previous != expected_previous:
            findings.append(
                f"{where}: does not follow the line before it: a line was removed or reordered"
            )
        if previous and (parsed.link < previous.link or parsed.links < previous.links):
            findings.append(f"{where}: goes back from link {previous.link}: out of order")
        checkpoints.append(parsed)
        previous = parsed
    return checkpoints, findings


def _database_findings(checkpoints: list[Checkpoint]) -> list[str]:
    """Each checkpointed link is still there, with its digest and the links before it."""
    if not checkpoints:
        return []
    findings: list[str] = []
    digests = dict(
        ChainLink.objects.filter(id__in={c.link for c in checkpoints}).values_list("id", "digest")
    )
    link_ids = list(ChainLink.objects.order_by("id").values_list("id", flat=True))
    head = chain_head()
    for checkpoint in checkpoints:
        where = f"checkpoint of {checkpoint.at} (link {checkpoint.link})"
        digest = digests.get(checkpoint.link)
        if digest is None:
            findings.append(
                f"{where}: the link is gone: the chain was truncated or its links removed"
            )
        elif digest != checkpoint.digest:
            findings.append(
                f"{where}: the link's digest differs from the checkpoint: the chain was "
                "recomputed after an event was altered, removed or inserted"
            )
        else:
            count = bisect.bisect_right(link_ids, checkpoint.link)
            if count != checkpoint.links:
                findings.append(
                    f"{where}: {count} links up to it where the checkpoint counted "
                    f"{checkpoint.links}: links were removed or inserted"
                )
    last = checkpoints[-1]
    if head is None or head[0] < last.link or head[2] < last.links:
        now = f"{head[2]} links ending at link {head[0]}" if head else "no link at all"
        findings.append(
            f"the chain has shrunk below the last checkpoint ({last.at}: {last.links} links "
            f"ending at link {last.link}); it now holds {now}: the tail was truncated"
        )
    return findings


def verify_checkpoints(path: Path | None = None) -> CheckpointReport:
    """Check the log's signatures and sequence, and the database's chain against it."""
    lines = read_lines(path)
    if not lines:
        return CheckpointReport(0, None, [])
    checkpoints, findings = _line_findings(audit_key(), lines)
    findings += _database_findings(checkpoints)
    return CheckpointReport(len(lines), checkpoints[-1] if checkpoints else None, findings)
