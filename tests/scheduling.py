"""How `make test` spreads the suite over its pytest-xdist workers (`--dist worksteal`, tests/conftest.py).

xdist's work stealing hands each worker one contiguous quarter of the collection and lets idle
workers steal the tail of the longest queue. With the browser tests (tests/e2e) sorted last, their
waits (a throttled phone, a regency going live, servers starting) and the few long modules (real
servers, 100 concurrent issuances, isolation probes) started wherever collection put them, so they
made the suite's last minutes while cores sat idle.

This scheduler keeps work stealing and changes what it starts from:
- whole modules are dealt longest first, browser modules before ordinary ones (seconds from
  tests/durations.json, overlaid by this machine's last run in var/test-durations.json), each to
  the worker with the least work so far, so every long module starts in the first minute; a module
  not listed counts as one second a test;
- browser modules go only to the first `PINTU_TEST_BROWSER_WORKERS` workers (2 by default): each
  worker that runs one starts its own gunicorn, Celery worker and Chromium, so two keep that cost
  (and the memory) at two; a browser worker runs its browser modules first, then ordinary ones;
- an idle worker steals half of the longest queue's tail that it may run (browser tests only onto a
  browser worker); tests no live worker may run go to any idle one.

Order on a worker no longer matters: a module that commits puts the database back when it is done
(`database_restored`, tests/dbstate.py), and `_database_as_found` errors on one that does not.
"""
from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

from xdist.scheduler.worksteal import MIN_PENDING, WorkStealingScheduling

ROOT = Path(__file__).resolve().parents[1]
# Seconds per module: the committed figures, overlaid by this machine's last run (written by every run).
DURATIONS = ROOT / "tests" / "durations.json"
LAST_RUN = ROOT / "var" / "test-durations.json"
BROWSER = "tests/e2e/"


def durations() -> dict[str, float]:
    seconds: dict[str, float] = {}
    for path in (DURATIONS, LAST_RUN):
        try:
            seconds.update(json.loads(path.read_text()))
        except (OSError, ValueError):
            pass
    return seconds


def module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def is_browser(nodeid: str) -> bool:
    return nodeid.startswith(BROWSER)


class PoolScheduling(WorkStealingScheduling):
    """Work stealing from a longest-first deal; browser tests only on the browser workers."""

    def __init__(self, config, log=None) -> None:
        super().__init__(config, log)
        self.browser_workers = 0  # set once the collection is known (schedule)
        self.seconds = durations()

    def _is_browser_node(self, node) -> bool:
        return int(node.gateway.id.removeprefix("gw")) < self.browser_workers

    def _accepts(self, node, index: int) -> bool:
        return self._is_browser_node(node) or not is_browser(self.collection[index])

    def _give(self, node, indices: list[int]) -> None:
        if not indices:
            return
        taken = set(indices)
        self.pending[:] = [i for i in self.pending if i not in taken]
        self.node2pending[node].extend(indices)
        node.send_runtest_some(indices)

    def _deal(self) -> None:
        """The first distribution: whole modules, longest first, each to the least loaded worker that may run it."""
        modules: dict[str, list[int]] = defaultdict(list)
        for index in self.pending:
            modules[module_of(self.collection[index])].append(index)

        def cost(module: str) -> float:
            return float(self.seconds.get(module, len(modules[module])))

        wanted = int(os.environ.get("PINTU_TEST_BROWSER_WORKERS", "2"))
        self.browser_workers = max(0, min(wanted, self.numnodes, sum(1 for m in modules if is_browser(m))))
        nodes = sorted(self.node2pending, key=lambda n: int(n.gateway.id.removeprefix("gw")))
        load = {node: 0.0 for node in nodes}
        plan: dict = {node: ([], []) for node in nodes}  # (browser, ordinary) modules of each worker, as dealt
        # Browser modules first (to their workers), then the ordinary ones onto whichever worker is least loaded.
        for module in sorted(modules, key=lambda m: (not is_browser(m), -cost(m), m)):
            browser = is_browser(module)
            pool = [n for n in nodes if self._is_browser_node(n)] if browser else nodes
            node = min(pool or nodes, key=lambda n: (load[n], n.gateway.id))
            load[node] += cost(module)
            plan[node][not browser].extend(modules[module])
        for node, (browser, ordinary) in plan.items():
            self._give(node, browser + ordinary)  # the servers and Chromium start, and stop, first

    def schedule(self) -> None:
        assert self.collection_is_completed
        if self.collection is not None:
            self.check_schedule()
            return
        if not self._check_nodes_have_same_collection():
            self.log("**Different tests collected, aborting run**")
            return
        self.collection = next(iter(self.node2collection.values()))
        self.pending[:] = range(len(self.collection))
        if self.collection:
            self._deal()

    def check_schedule(self) -> None:
        nodes_up = [node for node in self.node2pending if not node.shutting_down]

        def idle() -> list:
            return [node for node in nodes_up if len(self.node2pending[node]) < MIN_PENDING]

        if not idle():
            return
        # Tests handed back (a steal, a crashed worker) go to idle workers that may run them.
        for node in idle():
            mine = [i for i in self.pending if self._accepts(node, i)]
            if mine:
                takers = sum(1 for n in idle() if all(self._accepts(n, i) for i in mine))
                self._give(node, mine[: max(1, len(mine) // max(1, takers))])
        # Tests no live worker may run (the browser workers crashed or stopped): better run than lost.
        orphans = [i for i in self.pending if not any(self._accepts(n, i) for n in nodes_up)]
        if orphans and idle():
            self._give(idle()[0], orphans)
        waiting = idle()
        if not waiting or self.steal_requested_from_node is not None:
            return
        # Steal half of the longest queue whose tail the idle worker may run.
        for node in waiting:
            candidates = []
            for victim in nodes_up:
                queue = self.node2pending[victim]
                count = min(len(queue) // 2, max(0, len(queue) - MIN_PENDING))
                tail = queue[len(queue) - count:] if count else []
                if victim is not node and tail and all(self._accepts(node, i) for i in tail):
                    candidates.append((len(tail), victim.gateway.id, victim, tail))
            if candidates:
                *_, victim, tail = max(candidates, key=lambda c: (c[0], c[1]))
                victim.send_steal(tail)
                self.steal_requested_from_node = victim
                return
        # Nothing left that they may run: let them finish their last test and stop.
        for node in waiting:
            if not any(self._accepts(node, i) for i in self.pending) and not self.pending:
                node.shutdown()


def durations_save(path: Path, reports) -> None:
    """Seconds per test module (setup + call + teardown) of this run's reports, merged into `path`."""
    seconds: dict[str, float] = defaultdict(float)
    for report in reports:
        seconds[module_of(report.nodeid)] += report.duration
    try:
        kept = json.loads(path.read_text())
    except (OSError, ValueError):
        kept = {}
    kept.update({module: round(value, 1) for module, value in seconds.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(sorted(kept.items())), indent=1) + "\n")
