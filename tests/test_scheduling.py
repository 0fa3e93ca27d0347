"""tests.scheduling, the way `make test` spreads the suite over its workers, run against a simulated
clock: each worker runs its queue in order, answers steal requests with what it has not started, and
the scheduler sees what xdist's controller would tell it."""
from __future__ import annotations

import heapq
from types import SimpleNamespace

import pytest
from xdist.scheduler.worksteal import WorkStealingScheduling

from tests import scheduling
from tests.scheduling import PoolScheduling, is_browser, module_of


class Worker:
    def __init__(self, number: int) -> None:
        self.gateway = SimpleNamespace(id=f"gw{number}")
        self.shutting_down = False
        self.queue: list[int] = []
        self.steal: list[int] | None = None
        self.ran: list[int] = []

    def send_runtest_some(self, indices) -> None:
        self.queue += indices

    def send_steal(self, indices) -> None:
        self.steal = list(indices)

    def shutdown(self) -> None:
        self.shutting_down = True


def simulate(scheduler_class, collection: list[str], seconds: dict[str, float], workers: int):
    """Run `collection` (test ids; seconds per test id) on `workers` simulated workers; (makespan, workers, starts)."""
    config = SimpleNamespace(getvalue=lambda name: [f"{workers}*popen"] if name == "tx" else None)
    scheduler = scheduler_class(config)
    nodes = [Worker(n) for n in range(workers)]
    for node in nodes:
        scheduler.add_node(node)
        scheduler.add_node_collection(node, collection)
    scheduler.schedule()
    clock, events, running, starts = 0.0, [], {}, {}

    def start_idle() -> None:
        for node in nodes:
            if node.steal is not None:  # answered at once: what it has not started goes back
                returned = [i for i in node.steal if i in node.queue and i != running.get(node)]
                node.queue = [i for i in node.queue if i not in returned]
                node.steal = None
                scheduler.remove_pending_tests_from_node(node, returned)
        for node in nodes:
            if node not in running and node.queue:
                index = node.queue[0]
                running[node] = index
                starts[index] = clock
                heapq.heappush(events, (clock + seconds[collection[index]], node.gateway.id, index))

    start_idle()
    while events:
        clock, worker_id, index = heapq.heappop(events)
        node = next(n for n in nodes if n.gateway.id == worker_id)
        node.queue.remove(index)
        node.ran.append(index)
        del running[node]
        scheduler.mark_test_complete(node, index)
        start_idle()
    return clock, nodes, starts


def suite(long_browser_last: bool = True) -> tuple[list[str], dict[str, float]]:
    """A collection shaped like ours: many short ordinary tests, a few long ones, browser tests last."""
    collection, seconds = [], {}
    for module in range(40):
        for test in range(20):
            collection.append(f"tests/unit/test_m{module}.py::test_{test}")
    collection.append("tests/permits/test_concurrency.py::test_hundred")
    collection += [f"tests/faults/test_standby.py::test_{n}" for n in range(3)]
    browser = [f"tests/e2e/test_b{n}.py::test_journey" for n in range(8)]
    collection += browser if long_browser_last else browser[::-1]
    for nodeid in collection:
        seconds[nodeid] = 0.5
    seconds["tests/permits/test_concurrency.py::test_hundred"] = 120
    for nodeid in collection:
        if nodeid.startswith("tests/faults/"):
            seconds[nodeid] = 20
    seconds["tests/e2e/test_b7.py::test_journey"] = 150
    for n in range(7):
        seconds[f"tests/e2e/test_b{n}.py::test_journey"] = 25
    return collection, seconds


@pytest.fixture
def known_durations(monkeypatch):
    collection, seconds = suite()
    per_module: dict[str, float] = {}
    for nodeid in collection:
        per_module[module_of(nodeid)] = per_module.get(module_of(nodeid), 0) + seconds[nodeid]
    monkeypatch.setattr(scheduling, "durations", lambda: per_module)
    return collection, seconds


def test_every_test_runs_once_and_browser_tests_only_on_the_browser_workers(known_durations):
    collection, seconds = known_durations
    for workers in (1, 2, 3, 4, 6):
        _, nodes, _ = simulate(PoolScheduling, collection, seconds, workers)
        ran = sorted(i for node in nodes for i in node.ran)
        assert ran == list(range(len(collection)))
        for node in nodes[2:]:
            assert not any(is_browser(collection[i]) for i in node.ran), f"{node.gateway.id} ran a browser test"
        for node in nodes[:2]:  # a browser worker: its browser tests first (servers up once), then ordinary ones
            kinds = [not is_browser(collection[i]) for i in node.ran]
            assert kinds == sorted(kinds), f"{node.gateway.id} ran a browser test after an ordinary one"


def test_long_modules_start_first_and_the_suite_ends_sooner_than_with_plain_work_stealing(known_durations):
    collection, seconds = known_durations
    ours, nodes, starts = simulate(PoolScheduling, collection, seconds, 4)
    plain, _, _ = simulate(WorkStealingScheduling, collection, seconds, 4)
    longest = [collection.index("tests/e2e/test_b7.py::test_journey"),
               collection.index("tests/permits/test_concurrency.py::test_hundred")]
    assert [starts[i] for i in longest] == [0.0, 0.0]
    # The work is 905 s: 226 s on each of 4 workers at best (the browser workers take 150 s and 175 s of
    # browser tests, then ordinary ones). Plain work stealing starts the long ones in the last minutes.
    assert ours <= 235 and plain - ours > 50, (ours, plain)


def test_without_known_durations_a_module_counts_its_tests(monkeypatch):
    monkeypatch.setattr(scheduling, "durations", lambda: {})
    collection, seconds = suite(long_browser_last=False)
    _, nodes, _ = simulate(PoolScheduling, collection, seconds, 4)
    assert sorted(i for node in nodes for i in node.ran) == list(range(len(collection)))


def test_durations_are_saved_per_module_and_merged(tmp_path):
    path = tmp_path / "durations.json"
    path.write_text('{"tests/old/test_kept.py": 3.0, "tests/a/test_x.py": 99}')
    reports = [SimpleNamespace(nodeid="tests/a/test_x.py::test_one", duration=1.0),
               SimpleNamespace(nodeid="tests/a/test_x.py::test_two[p]", duration=2.0)]
    scheduling.durations_save(path, reports)
    assert path.read_text().count("\n") == 4  # one module a line, sorted
    import json

    assert json.loads(path.read_text()) == {"tests/a/test_x.py": 3.0, "tests/old/test_kept.py": 3.0}
