"""How `make test` spreads the suite over its pytest-xdist workers (`--dist pools`, tests/conftest.py).

xdist's work stealing hands each worker one contiguous quarter of the collection and lets idle
workers steal the tail of the longest queue. Two things made that slow here: the browser tests
(tests/e2e), which must run after every ordinary test of their worker (they commit data that
the server process must see, and an ordinary test after them would see it too), all started in
the last minutes, so their waits (a throttled phone, a server starting) were the suite's tail;
and the few long tests (real servers, concurrent issuances) sat wherever collection put them.

This scheduler keeps work stealing and changes what it starts from:
- the first `PINTU_TEST_BROWSER_WORKERS` workers (2 by default) run only browser tests, from the
  first minute, beside the others' ordinary tests;
- whole modules are dealt longest first (seconds from tests/durations.json, refreshed by
  `make test-durations`) to the worker with the least work so far, so every long module starts
  early on its own worker; a module not listed counts as one second a test;
- an ordinary worker with nothing left steals browser tests too (they run after its ordinary
  ones, as before), never the other way round.
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
    """Work stealing in two pools: browser workers take browser tests only; ordinary workers take
    ordinary tests first, then browser tests (and only browser tests once they have run one)."""

    def __init__(self, config, log=None) -> None:
        super().__init__(config, log)
        self.browser_workers = 0  # set once the collection is known (schedule)
        self.browser_takers: set = set()  # ordinary workers that have been given a browser test
        self.seconds = durations()

    def _is_browser_node(self, node) -> bool:
        return int(node.gateway.id.removeprefix("gw")) < self.browser_workers

    def _accepts(self, node, index: int) -> bool:
        if is_browser(self.collection[index]):
            return True
        return not self._is_browser_node(node) and node not in self.browser_takers

    def _give(self, node, indices: list[int]) -> None:
        if not indices:
            return
        taken = set(indices)
        self.pending[:] = [i for i in self.pending if i not in taken]
        if not self._is_browser_node(node) and any(is_browser(self.collection[i]) for i in indices):
            self.browser_takers.add(node)
        self.node2pending[node].extend(indices)
        node.send_runtest_some(indices)

    def _deal(self) -> None:
        """The first distribution: whole modules, longest first, each to the least loaded worker of its pool."""
        modules: dict[str, list[int]] = defaultdict(list)
        for index in self.pending:
            modules[module_of(self.collection[index])].append(index)

        def cost(module: str) -> float:
            return float(self.seconds.get(module, len(modules[module])))

        wanted = int(os.environ.get("PINTU_TEST_BROWSER_WORKERS", "2"))
        self.browser_workers = min(wanted, self.numnodes - 1, sum(1 for m in modules if is_browser(m)))
        nodes = list(self.node2pending)
        load = {node: 0.0 for node in nodes}
        plan: dict = {node: ([], []) for node in nodes}  # (ordinary, browser) modules of each worker
        for module in sorted(modules, key=cost, reverse=True):
            browser = is_browser(module)
            pool = [n for n in nodes if self._is_browser_node(n) == browser] or nodes
            node = min(pool, key=lambda n: (load[n], n.gateway.id))
            load[node] += cost(module)
            plan[node][browser].extend(modules[module])
        for node, (ordinary, browser) in plan.items():
            self._give(node, ordinary + browser)  # a worker's browser tests after its ordinary ones

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
        # Tests handed back (a steal, a crashed worker) go to idle workers that may run them, ordinary first.
        for node in idle():
            ordinary = [i for i in self.pending if not is_browser(self.collection[i]) and self._accepts(node, i)]
            takers = sum(1 for n in idle() if not self._is_browser_node(n) and n not in self.browser_takers)
            if ordinary:
                self._give(node, ordinary[: max(1, len(ordinary) // max(1, takers))])
                continue
            browser = [i for i in self.pending if is_browser(self.collection[i])]
            if browser:
                self._give(node, browser[: max(1, len(browser) // len(idle()))])
        # Tests no live worker may run (their workers crashed or stopped): better run than lost.
        orphans = [i for i in self.pending if not any(self._accepts(n, i) for n in nodes_up)]
        if orphans and idle():
            self._give(idle()[0], orphans)
        waiting = idle()
        if not waiting or self.steal_requested_from_node is not None:
            return
        # Steal half of the longest queue whose tail the idle worker may run (ordinary work first).
        for node in waiting:
            candidates = []
            for victim in nodes_up:
                queue = self.node2pending[victim]
                count = min(len(queue) // 2, max(0, len(queue) - MIN_PENDING))
                tail = queue[len(queue) - count:] if count else []
                if victim is not node and tail and all(self._accepts(node, i) for i in tail):
                    candidates.append((not is_browser(self.collection[tail[0]]), len(tail), victim, tail))
            if candidates:
                *_, victim, tail = max(candidates, key=lambda c: (c[0], c[1]))
                victim.send_steal(tail)
                self.steal_requested_from_node = victim
                return
        # Nothing left that they may run: let them finish their last test and stop.
        for node in waiting:
            if not any(self._accepts(node, i) for i in self.pending):
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
