"""The limits an analysis runs under (:mod:`pmas.entrada.isolado`'s worker and child, and the
helper that reads a sheet beside them, :mod:`pmas.entrada.antecipada`), and how a process puts
them on itself and lifts them again."""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass


@dataclass(frozen=True)
class Limites:
    cpu_s: int = 60  # CPU seconds one analysis may use
    parede_s: float = 120.0  # wall seconds, waiting included (a child blocked without CPU)
    memoria_mb: int = 1024  # address space one analysis may add to the warm worker's

    @classmethod
    def do_ambiente(cls) -> Limites:
        padrao = cls()
        return cls(
            cpu_s=int(os.environ.get("PMAS_ANALISE_CPU_S") or padrao.cpu_s),
            parede_s=float(os.environ.get("PMAS_ANALISE_TEMPO_S") or padrao.parede_s),
            memoria_mb=int(os.environ.get("PMAS_ANALISE_MEMORIA_MB") or padrao.memoria_mb),
        )


def address_space() -> int:
    """This process's address space in bytes (0 where /proc cannot say)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def limit_self(limites: Limites) -> None:
    """A job's limits on the process running it: CPU seconds from now, address space from its
    current size (the soft limits; the hard ones stay, so they can be lifted after the job)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(usage.ru_utime + usage.ru_stime) + 1 + limites.cpu_s
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard < 0 else min(cpu, hard), hard))
    size = address_space()
    if size:
        cap = size + limites.memoria_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (cap if hard < 0 else min(cap, hard), hard))


def unlimit_self() -> None:
    """Lift the soft limits back to the hard ones (between jobs)."""
    for which in (resource.RLIMIT_CPU, resource.RLIMIT_AS):
        _, hard = resource.getrlimit(which)
        resource.setrlimit(which, (hard, hard))
