from __future__ import annotations

import threading
import time

from mobile.core.jobs import SerialJobs


def test_jobs_run_one_at_a_time_in_order_and_a_failure_stops_nothing() -> None:
    jobs = SerialJobs("test-import")
    running, most, order, failures = [0], [0], [], []
    lock, finished = threading.Lock(), threading.Event()

    def work(i: int):
        def run() -> int:
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            time.sleep(0.002)
            with lock:
                running[0] -= 1
            if i == 3:
                raise ValueError("photo 3 is damaged")
            return i

        return run

    def done(i: int) -> None:
        order.append(i)
        if i == 19:
            finished.set()

    for i in range(20):
        jobs.submit(work(i), done, failures.append)
    assert finished.wait(10)
    assert most[0] == 1  # never two at once
    assert order == [i for i in range(20) if i != 3]  # in the order given
    assert [str(e) for e in failures] == ["photo 3 is damaged"]
