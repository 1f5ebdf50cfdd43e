"""The worker processes a command starts for itself, and how an interrupt (Ctrl-C) stops them.

Every local pool capsim starts for one command (a run's replications, a budget's, a grant's, a
staffing plan's, a sweep's tasks, the charts drawn side by side) comes from :func:`worker_pool`.

* **Only the command handles Ctrl-C.** A terminal sends SIGINT to every process of the command,
  workers included. A worker interrupted while it takes work or hands back a result can leave the
  pool's queues locked: the command then waits for ever and its workers outlive it. So each worker
  ignores SIGINT before it takes any work (:func:`_start_worker`); while workers are being
  forked the command holds an interrupt back, so that no copy of it starts with one pending
  (:func:`interrupt_held`), and raises it once they are started.
* **An interrupt stops the workers.** When the block using the pool ends with an exception (an
  interrupt, or a task's error), the work not started is cancelled, the workers are terminated
  and waited for, and the exception goes on: the command line says in one line what it leaves in
  its output folder and exits with status 130 (:func:`capsim.cli.interruption_said`).
* **A worker outlives no command.** Each worker exits once the command that started it is gone,
  even killed by SIGKILL, when no exit hook runs (:func:`orphan_guard`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Any

STOP_SECONDS = 10.0
"""Seconds a terminated worker is given to exit before it is killed (SIGKILL)."""

GUARD_SECONDS = 0.5
"""Seconds between a worker's looks at whether the command that started it is still there."""


def orphan_guard(parent: int) -> None:
    """In a worker process: exit as soon as the process ``parent`` (the command) is gone, even by SIGKILL;
    it looks every :data:`GUARD_SECONDS` seconds. It asks whether ``parent`` still exists, not whether it
    is this process's parent: under the forkserver start method (Python 3.14's default on Linux) a
    worker's parent is the fork server."""

    def watch() -> None:
        while True:
            time.sleep(GUARD_SECONDS)
            try:
                os.kill(parent, 0)  # signal 0: only whether it exists (as this user's)
            except OSError:  # gone (or its number now another user's process)
                os._exit(1)

    threading.Thread(target=watch, name="capsim-orphan-guard", daemon=True).start()


@contextlib.contextmanager
def interrupt_held() -> Iterator[None]:
    """Hold back Ctrl-C while the block runs, then raise it (:class:`KeyboardInterrupt`) if one came.

    Only in the main thread, while Python's own handler is in place (elsewhere no interrupt is
    raised, or the program handles it itself). A process forked in the block copies the holding
    handler, harmless there, instead of one that would interrupt it before it ignores SIGINT.
    """
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    caught: list[int] = []
    signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if caught:
        raise KeyboardInterrupt


def _start_worker(parent: int, initializer: Callable[..., object] | None, initargs: tuple) -> None:
    """In a new worker: ignore SIGINT (the command handles it), watch the command, then run ``initializer``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    orphan_guard(parent)
    if initializer is not None:
        initializer(*initargs)


class _Pool(ProcessPoolExecutor):
    """A process pool that starts its workers with an interrupt held back (:func:`interrupt_held`):
    it forks them while submitting."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        with interrupt_held():
            return super().submit(fn, *args, **kwargs)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the work ``pool`` has not started, terminate its workers and wait for them (those
    still running after :data:`STOP_SECONDS` seconds are killed)."""
    processes = list((pool._processes or {}).values())  # noqa: SLF001 - as Python 3.14's terminate_workers
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(ProcessLookupError, ValueError):  # already gone
            process.terminate()
    for process in processes:
        with contextlib.suppress(ValueError):
            process.join(STOP_SECONDS)
            if process.exitcode is None:
                process.kill()
                process.join()
    # the pool's manager thread closes its wake-up pipe as it ends: let it end now, or Python's exit
    # hook may write to that pipe as it closes ("Exception ignored ... Bad file descriptor")
    manager = pool._executor_manager_thread  # noqa: SLF001
    if manager is not None:
        manager.join(STOP_SECONDS)


@contextlib.contextmanager
def worker_pool(workers: int, initializer: Callable[..., object] | None = None, initargs: tuple = (),
                mp_context: BaseContext | None = None) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` processes for the block, each running ``initializer(*initargs)`` first.

    They ignore SIGINT and exit if this process dies. If the block ends with an exception (Ctrl-C:
    :class:`KeyboardInterrupt`), work not started is cancelled and the workers are terminated and
    waited for, a second Ctrl-C meanwhile held back; then the exception goes on. Otherwise the
    pool shuts down as ``with ProcessPoolExecutor(...)`` does, after its work is done.
    """
    pool = _Pool(max_workers=workers, mp_context=mp_context, initializer=_start_worker,
                 initargs=(os.getpid(), initializer, initargs))
    try:
        yield pool
        pool.shutdown(wait=True)
    except BaseException:
        with interrupt_held():
            _stop(pool)
        raise
