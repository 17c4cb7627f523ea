"""A child process started with one end of a Unix socket pair (the analysis worker, its helper):
the socket carries descriptors (``socket.send_fds``) the pipes cannot."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable
from typing import Any


def com_canal(
    argumentos: Callable[[int], list[str]], **popen: Any
) -> tuple[subprocess.Popen, socket.socket]:
    """Start ``argumentos(fd)`` (``fd``: the child's end of the pair, passed to it open) with
    ``popen``'s options; returns the process and this side's end."""
    canal, do_filho = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        proc = subprocess.Popen(
            argumentos(do_filho.fileno()),
            close_fds=True,
            pass_fds=(do_filho.fileno(),),
            **popen,
        )
    except BaseException:
        canal.close()
        raise
    finally:
        do_filho.close()
    return proc, canal
