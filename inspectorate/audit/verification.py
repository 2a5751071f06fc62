"""The whole audit check: the chain, its signed checkpoints, and the rows against their
snapshots (DP-4). `manage.py audit_verify`, the nightly task and the command line run it."""

from __future__ import annotations

from dataclasses import dataclass, field

from inspectorate.audit.checkpoints import CheckpointReport, verify_checkpoints
from inspectorate.audit.drift import Drift, drift_findings
from inspectorate.audit.selectors import ChainReport, chain_verify


@dataclass(frozen=True)
class AuditReport:
    chain: ChainReport
    checkpoints: CheckpointReport
    drift: list[Drift] = field(default_factory=list)

    @property
    def findings(self) -> list[str]:
        chain = [] if self.chain.intact else [f"chain: {self.chain.first_bad}"]
        return [
            *chain,
            *(f"checkpoints: {finding}" for finding in self.checkpoints.findings),
            *(f"records: {drift}" for drift in self.drift),
        ]

    @property
    def intact(self) -> bool:
        return not self.findings


def audit_verify() -> AuditReport:
    return AuditReport(chain_verify(), verify_checkpoints(), drift_findings())
