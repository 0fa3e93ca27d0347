"""The cache backend keeps one redis-py client per pool (Django builds one per call) and stays a real cache."""
import threading

from django.core.cache import caches


def test_one_client_for_every_call_and_values_round_trip_through_redis():
    backend = caches["default"]
    assert type(backend).__module__ == "pintu.cache"
    first = backend._cache.get_client(write=True)
    backend.set("cache-test", {"nilai": 1}, 30)
    assert backend.get("cache-test") == {"nilai": 1}
    assert backend._cache.get_client(write=False) is first and backend._cache.get_client(write=True) is first
    assert first.ping() is True  # a real server answered
    backend.delete("cache-test")
    assert backend.get("cache-test") is None


def test_threads_share_nothing_unsafe_and_see_each_others_writes():
    cache = caches["platform"]  # no regency in its keys (the default cache's keys carry each thread's schema)
    errors = []

    def work(n: int):
        try:
            for i in range(50):
                cache.set(f"cache-thread-{n}-{i}", i, 30)
                assert cache.get(f"cache-thread-{n}-{i}") == i
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.get("cache-thread-7-49") == 49
    cache.delete_many([f"cache-thread-{n}-{i}" for n in range(8) for i in range(50)])
