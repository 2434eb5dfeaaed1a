"""Run a parser in a forked child process under a memory limit, for native code that ends the whole
process when an allocation fails: python-calamine's Rust aborts (no exception, no unwinding) when a
workbook asks it for more memory than there is, and would take the ingest worker, or `clew ingest`
itself with one worker, down with it. The child's result comes back pickled through a pipe; a
child that dies gives Unreadable with the reason, and the run goes on.

The child may use `memory` bytes of address space beyond what the parent already has mapped (the
models included), so an allocation past that fails at once instead of swapping the machine. The
per-file time limit (SIGALRM in ingest.batch) still reaches the parent while it waits: the child
is then killed, as it is when a caller's own limit (`seconds`: PDF pages drawn for OCR) runs out.
Linux only (fork, /proc), as Clew is.
"""

import faulthandler
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from typing import TypeVar

from ingest.errors import Unreadable

T = TypeVar("T")


class OutOfTime(Unreadable):
    """The child did not answer within the caller's `seconds`; it has been killed."""


def contained(call: Callable[[], T], memory: int, what: str, seconds: float | None = None) -> T:
    """call()'s result, run in a child limited to `memory` more bytes (and `seconds`, when given:
    OutOfTime after); its Unreadable is raised here, and a child that died (out of memory, or a
    crash in native code) is Unreadable("<what> ...")."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                   # the child: never returns
        os.close(read_end)
        _child(call, memory, write_end)
    os.close(write_end)
    try:
        data = _answer(read_end, None if seconds is None else time.monotonic() + seconds)
        if data is None:
            raise OutOfTime(f"{what} gave up after {seconds:g} s")
    except BaseException:                          # the file's time limit, or the run stopped: end the child
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    status = os.waitpid(pid, 0)[1]
    if not data or status:
        died = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
        raise Unreadable(f"{what} ran out of memory or crashed reading it ({died}); limit {memory >> 20:,} MiB")
    ok, value = pickle.loads(data)
    if not ok:
        raise value
    return value


def _answer(read_end: int, deadline: float | None) -> bytes | None:
    """Everything the child writes until it closes the pipe; None if `deadline` comes first."""
    chunks = []
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while True:
            if deadline is not None and not select.select([pipe], [], [], max(deadline - time.monotonic(), 0))[0]:
                return None
            if not (chunk := pipe.read(1 << 20)):
                return b"".join(chunks)
            chunks.append(chunk)


def _child(call: Callable[[], object], memory: int, write_end: int) -> None:
    code = 1
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)                        # a Rust abort's message and backtrace: the reason says it
        faulthandler.disable()
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        mapped = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (mapped + memory, resource.RLIM_INFINITY))
        try:
            result: tuple[bool, object] = (True, call())
        except Unreadable as exc:
            result = (False, exc)
        except MemoryError:
            result = (False, Unreadable(f"too large to read in {memory >> 20:,} MiB"))
        except Exception as exc:                   # a parser bug on hostile input, as ingest.extract says it
            result = (False, Unreadable(f"parser failed: {type(exc).__name__}: {exc}"[:500]))
        with os.fdopen(write_end, "wb") as out:
            out.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        code = 0
    finally:
        os._exit(code)
