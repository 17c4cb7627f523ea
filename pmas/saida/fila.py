"""Report builds, one at a time per server, in a queue whose place each session can show; the
result cached per data version, so a second reader of the same data gets the same file at once.

A build starts a Chromium (the charts): several at once held gigabytes, so the server builds one
report at a time. :meth:`Fila.gerar` blocks the calling thread (a Streamlit script run) until
its turn, telling ``ao_esperar(posicao)`` its place while it waits (1 = next); a request whose
key is already cached or being built by another session waits for that build instead of making
its own. The cache holds the last ``capacidade`` results, newest first.

No Streamlit here: the page passes the functions; the tests drive it with threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

R = TypeVar("R")


class Fila(Generic[R]):
    def __init__(self, capacidade: int = 8):
        self.capacidade = capacidade
        self._cond = threading.Condition()
        self._fila: list[object] = []  # tickets waiting, in order; the first one builds next
        self._construindo: Hashable | None = None  # key being built
        self._cache: OrderedDict[Hashable, R] = OrderedDict()
        self.construcoes = 0  # builds made (tests read it)

    def em_cache(self, chave: Hashable) -> R | None:
        with self._cond:
            if chave in self._cache:
                self._cache.move_to_end(chave)
                return self._cache[chave]
            return None

    def posicao(self, ticket: object) -> int:
        """1 for the next to build, 2 behind it…; 0 when not waiting."""
        with self._cond:
            return self._fila.index(ticket) + 1 if ticket in self._fila else 0

    def gerar(
        self,
        chave: Hashable,
        construir: Callable[[], R],
        ao_esperar: Callable[[int], object] | None = None,
    ) -> R:
        """The result for ``chave``: from the cache, from another session's build of the same
        key, or built here when its turn comes. ``ao_esperar(posicao)`` is called whenever the
        place in the queue changes (and at once, when there is a wait)."""
        ticket = object()
        with self._cond:
            if chave in self._cache:
                self._cache.move_to_end(chave)
                return self._cache[chave]
            self._fila.append(ticket)
            mostrada = None
            try:
                while True:
                    if chave in self._cache:  # another session built it meanwhile
                        self._cache.move_to_end(chave)
                        return self._cache[chave]
                    livre = self._construindo is None
                    if livre and self._fila[0] is ticket:
                        break
                    # Waiting: behind others, or for a build of this very key.
                    posicao = self._fila.index(ticket) + (0 if livre else 1)
                    if posicao != mostrada and ao_esperar is not None:
                        mostrada = posicao
                        self._cond.release()
                        try:
                            ao_esperar(posicao)
                        finally:
                            self._cond.acquire()
                        continue
                    self._cond.wait(timeout=1.0)
                self._fila.remove(ticket)
                self._construindo = chave
            finally:
                if ticket in self._fila:  # left waiting (served by another's build, or an error)
                    self._fila.remove(ticket)
                    self._cond.notify_all()
        try:
            resultado = construir()
            with self._cond:
                self.construcoes += 1
                self._cache[chave] = resultado
                self._cache.move_to_end(chave)
                while len(self._cache) > self.capacidade:
                    self._cache.popitem(last=False)
            return resultado
        finally:
            with self._cond:
                self._construindo = None
                self._cond.notify_all()


def versao_dos_dados(store, plano_id: int, ano: int, versoes: tuple, graficos: bool) -> tuple:
    """Everything a year's report is built of, as a cache key: the database, the plan, the
    year, the current versions (every year's: the comparison reads the previous one), the report
    fields, the approval state, the plan's Word template and whether charts are drawn."""
    import hashlib
    import json

    from pmas.dados import aprovacao
    from pmas.saida.relatorio import campos, modelo

    fields, _ = campos.for_year(store, plano_id, ano)
    template = modelo.stored(store, plano_id)
    return (
        store.url,
        plano_id,
        ano,
        versoes,
        graficos,
        json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str),
        repr(aprovacao.substituicao(store, plano_id, ano)),
        hashlib.sha256(template[1]).hexdigest() if template else "padrao",
    )


_RELATORIOS: Fila | None = None
_LOCK = threading.Lock()


def relatorios() -> Fila:
    """The server's queue of report builds."""
    global _RELATORIOS
    with _LOCK:
        if _RELATORIOS is None:
            _RELATORIOS = Fila()
        return _RELATORIOS
