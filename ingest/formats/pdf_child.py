"""The child process PDFium reads PDFs in (`pdf_pdfium`): forked once by a worker and sent one PDF
at a time, it runs under a memory limit with no file descriptors of the worker's but its two pipes.

One child per PDF (`ingest.formats.contained`) costs a fork each: measured on the bench machine,
~15 ms of CPU (2.5 in the worker, 12 in the child: copy-on-write faults and teardown) and 35-60 ms
of wall time under load, against 2-3 ms for PDFium to read a typical 1-3 page PDF; through a child
that stays, such a PDF took 2.5 ms in all (2.7 ms read in the worker itself, under the same load).
What a fork per PDF would give, that no PDF could touch another's reading, is kept within
FILES_PER_CHILD (1 makes it a fork per PDF): the child is replaced after that many PDFs and after
any PDF it failed on, crashed on or was stopped on (the file's time limit, SIGALRM in ingest.batch,
reaches the worker while it waits; the child is then killed). A child that dies is Unreadable with
the reason, and the caller goes on. The worker ends its child when it exits (atexit), so no pipe is
left for the interpreter to close (a ResourceWarning) and no child outlives it.
"""

import atexit
import ctypes
import faulthandler
import os
import pickle
import resource
import signal
from collections.abc import Callable
from functools import cache
from typing import Any

from ingest.errors import Unreadable

FILES_PER_CHILD = 100


class ChildProcess:
    """`serve(request)` answered in a child process, one request at a time (answers pickled)."""

    def __init__(self, serve: Callable[[Any], Any], memory: int, what: str) -> None:
        self.serve, self.memory, self.what = serve, memory, what
        self.pid = self.owner = self.served = 0

    def ask(self, request: Any) -> Any:
        if self.owner != os.getpid():          # none yet, or this process was forked from its owner
            self._start()
        try:
            pickle.dump(request, self.requests, pickle.HIGHEST_PROTOCOL)
            self.requests.flush()
            ok, value = pickle.load(self.answers)
        except (OSError, EOFError, pickle.UnpicklingError):
            raise Unreadable(f"{self.what} ran out of memory or crashed reading it ({self.stop()}); "
                             f"limit {self.memory >> 20:,} MiB") from None
        except BaseException:                   # the file's time limit, or the run stopped: end the child
            self.stop()
            raise
        self.served += 1
        if not ok or self.served >= FILES_PER_CHILD:
            self.stop()
        if not ok:
            raise value
        return value

    def _start(self) -> None:
        down, up = os.pipe(), os.pipe()        # requests to the child, answers from it
        pid = os.fork()
        if pid == 0:
            _child(lambda request: _answer(self.serve, request, self.memory), self.memory, down[0], up[1])
        os.close(down[0])
        os.close(up[1])
        self.requests, self.answers = os.fdopen(down[1], "wb"), os.fdopen(up[0], "rb")
        self.pid, self.owner, self.served = pid, os.getpid(), 0
        atexit.unregister(self.stop)            # once, however many children this process has had
        atexit.register(self.stop)

    def stop(self) -> str:
        """End this process's child, if it has one, and collect it; how it ended ('signal 11', 'exit 1')."""
        if self.owner != os.getpid() or self.pid <= 0:
            return "not running"
        self.owner = 0
        for pipe in (self.requests, self.answers):
            try:
                pipe.close()
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        status = os.waitpid(self.pid, 0)[1]
        return f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"


def _child(answer: Callable[[Any], tuple[bool, Any]], memory: int, requests: int, answers: int) -> None:
    code = 1
    try:
        for fd in os.listdir("/proc/self/fd"):  # not the worker's database and index connections
            if int(fd) > 2 and int(fd) not in (requests, answers):
                try:
                    os.close(int(fd))
                except OSError:
                    pass
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)                     # PDFium's and a crash's messages: the reason says it
        os.close(devnull)
        faulthandler.disable()
        for sig in (signal.SIGALRM, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        mapped = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (mapped + memory, resource.RLIM_INFINITY))
        with os.fdopen(requests, "rb") as inbox, os.fdopen(answers, "wb") as outbox:
            while True:
                try:
                    request = pickle.load(inbox)
                except EOFError:                # the worker is done with it, or gone
                    break
                pickle.dump(answer(request), outbox, pickle.HIGHEST_PROTOCOL)
                outbox.flush()
                _trim()
        code = 0
    finally:
        os._exit(code)


def _answer(serve: Callable[[Any], Any], request: Any, memory: int) -> tuple[bool, Any]:
    try:
        return True, serve(request)
    except Unreadable as exc:
        return False, exc
    except MemoryError:
        return False, Unreadable(f"too large to read in {memory >> 20:,} MiB")
    except Exception as exc:                    # a parser bug on hostile input, as ingest.extract says it
        return False, Unreadable(f"parser failed: {type(exc).__name__}: {exc}"[:500])


@cache
def _malloc_trim() -> Callable[[int], int]:
    """glibc's malloc_trim, looked up once per process (a no-op where the C library has none)."""
    return getattr(ctypes.CDLL(None), "malloc_trim", lambda pad: 0)


def _trim() -> None:
    """The heap a big PDF grew given back between PDFs (glibc's malloc_trim; none elsewhere): the 40
    largest bench PDFs left a child 19 MB of its own memory without it, 11 with it, at no cost seen."""
    _malloc_trim()(0)
