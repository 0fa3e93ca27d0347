"""Security suite plumbing: counters printed at the end of the session."""
from __future__ import annotations

from tests.services import COUNTS


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not COUNTS:
        return
    write = terminalreporter.write_line
    if COUNTS["probes"]:
        write(f"isolation probes: {COUNTS['probes']}, leaks: {COUNTS['leaks']}")
    if COUNTS["sso_tricks"]:
        write(f"sso: crafted next values: {COUNTS['sso_tricks']}, tickets leaked: {COUNTS['sso_leaks']}")
    if COUNTS["fuzzed_cases"]:
        write(f"api fuzz: operations: {COUNTS['fuzzed_operations']}, fuzzed cases: {COUNTS['fuzzed_cases']}, "
              f"server errors: {COUNTS['server_errors']}, schema violations: {COUNTS['schema_violations']}")
    if COUNTS["hostile_inputs"]:
        write(f"hostile form inputs: {COUNTS['hostile_inputs']}, server errors: {COUNTS['hostile_server_errors']}, "
              f"unescaped renderings: {COUNTS['unescaped']}")
