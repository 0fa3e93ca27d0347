"""docs/operations.md gives the commands the failover fault test runs: the two must not drift apart."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNBOOK = (ROOT / "docs" / "operations.md").read_text()
HELPER = (ROOT / "tests" / "faults" / "replication.py").read_text()
FAULT_TEST = (ROOT / "tests" / "faults" / "test_standby_failover.py").read_text()


def _commands(tool: str) -> list[str]:
    blocks = re.findall(r"```\n(.*?)```", RUNBOOK, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip().startswith(tool)]


def test_runbook_commands_use_the_flags_the_fault_test_runs():
    (basebackup,) = _commands("pg_basebackup")
    for flag in ("-X stream", "-R", "-c fast"):
        assert flag in basebackup
        assert f'"{flag.split()[0]}"' in HELPER  # the helper passes the same flag
    assert any("promote" in line for line in _commands("pg_ctl")) and '"promote"' in HELPER
    (rewind,) = _commands("pg_rewind")
    for flag in ("--target-pgdata", "--source-server"):
        assert flag in rewind and f'"{flag}"' in HELPER
    assert "standby.signal" in RUNBOOK and "standby.signal" in HELPER
    assert "application_name=node_a" in RUNBOOK and "application_name={self.name}" in HELPER


def test_runbook_clears_and_restores_the_synchronous_standby_list_as_the_test_does():
    assert "ALTER SYSTEM SET synchronous_standby_names = ''" in RUNBOOK
    assert "ALTER SYSTEM SET synchronous_standby_names = ''" in FAULT_TEST
    assert RUNBOOK.count("ALTER SYSTEM RESET synchronous_standby_names") >= 2
    assert FAULT_TEST.count("ALTER SYSTEM RESET synchronous_standby_names") >= 2
    for setting in ("wal_log_hints = on", "synchronous_commit = local", "synchronous_standby_names = 'node_a,node_b'"):
        assert setting in RUNBOOK and setting in HELPER
