"""The reader's scans take time linear in the sheet's size, whatever the sheet holds.

The cell-position walk once used a regular expression that, on a sheet with a ``<c `` left open
(no closing ``>``), was tried again at every later ``<`` and ran to the end each time: a 78 kB
sheet took 23 s and held the interpreter lock, freezing every session of the server. These tests
craft such sheets (and the other shapes that made a pattern quadratic), fuzz the walk against
what calamine itself places, and check the growth of the time with the size.

Times are CPU times of a forked child under ``RLIMIT_CPU``: a quadratic scan is killed by the
kernel instead of hanging the suite, and a busy machine does not flip the result (the bounds are
hundreds of times what the linear scan needs).
"""

from __future__ import annotations

import io
import os
import pickle
import random
import resource
import signal
import statistics
import time

import pytest
from python_calamine import CalamineWorkbook

from pmas.entrada import reader
from pmas.entrada.findings import Rejected
from pmas.entrada.reader import Limits, read
from pmas.textos import MENSAGENS
from tests import corpus as C

HUGE = Limits(max_rows=10**6, max_cols=10**5, max_cells=10**12, max_merges=10**6)
_HEAD = C.sheet_xml(b"")[: -len(b"</sheetData></worksheet>")]
_ONE_ROW = b'<row r="1"><c r="A1"><v>1</v></c></row>'


def _open_end(unit: bytes):
    """A sheet with one good row, then ``unit`` repeated to the end of the part, never closed."""
    return lambda size: _HEAD + _ONE_ROW + unit * (size // len(unit))


# Each shape made one of the old patterns quadratic (or would, if a pattern were written naively).
SHAPES = {
    "c_sem_fechamento": _open_end(b"<c "),  # the attack of issue #12
    "c_sem_r_com_texto": _open_end(b"<c s=1 t "),
    "aspas_abertas": _open_end(b'<c a="'),
    "apostrofos_abertos": _open_end(b"<c a='"),
    "menor_que_solto": _open_end(b"< "),
    "comentarios_abertos": _open_end(b"<!--"),
    "cdata_aberto": _open_end(b"<![CDATA["),
    "instrucao_aberta": _open_end(b"<?x "),
    "nome_de_atributo_longo": lambda size: C.sheet_xml(
        b'<row r="1"><c r="A1"><v>1</v></c><c ' + b"a" * size + b"/></row>"
    ),
    "espacos_depois_de_formula": lambda size: C.sheet_xml(
        b'<row r="1"><c r="A1"><f>1</f>' + b" " * size + b"x</c></row>"
    ),
    "prefixo_sem_dois_pontos": _open_end(b"<" + b"p" * 1000 + b" "),
}


def _book(xml: bytes) -> bytes:
    # Stored, not deflated: a repetitive part would otherwise be refused for its expansion ratio
    # before the scans behind that check run.
    return C.stored(C.rewrite(C.xlsx({"Metas": [["x"]]}), {C.SHEET1: xml}))


def _read_outcome(book: bytes) -> str:
    try:
        read(book, "p.xlsx")
        return "lido"
    except Rejected as exc:
        return exc.findings[0].codigo


def _in_child(fn, cpu_seconds: int):
    """``fn()``'s result computed in a forked child limited to ``cpu_seconds`` of CPU; raises
    AssertionError when the kernel stops it at the limit."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            os.close(read_end)
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(fn()))
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as inp:
        payload = inp.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        raise AssertionError(f"stopped by {name} after {cpu_seconds} s of CPU")
    assert os.WEXITSTATUS(status) == 0, "the child failed"
    return pickle.loads(payload)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_crafted_sheet_is_answered_within_a_bound_a_quadratic_scan_misses_by_far(shape):
    # 1 MiB: the old walk needed about an hour on the first shape (23 s at 78 kB, growing with
    # the square); the linear one needs a few hundredths of a second. Bound: 5 s of CPU.
    book = _book(SHAPES[shape](1 << 20))
    outcome = _in_child(lambda: _read_outcome(book), cpu_seconds=5)
    # A tag left open is malformed XML: refused with a Portuguese message, or read when the rest
    # is still a valid sheet (the formula followed by spaces).
    assert outcome in {"arquivo_corrompido", "lido"}, outcome


def _median_cpu(book: bytes, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        _read_outcome(book)
        times.append(time.process_time() - start)
    return statistics.median(times)


@pytest.mark.parametrize("shape", ["c_sem_fechamento", "aspas_abertas", "nome_de_atributo_longo"])
def test_four_times_the_size_takes_less_than_eight_times_the_time(shape):
    # Below the exact walk's 4 MiB window, so both sizes go through the whole walk. Quadratic
    # growth would give a ratio of 16; linear gives about 4.
    small, large = _book(SHAPES[shape](768 << 10)), _book(SHAPES[shape](3 << 20))

    def ratio() -> float:
        _read_outcome(small)  # warm-up
        return _median_cpu(large) / max(_median_cpu(small), 1e-4)

    assert _in_child(ratio, cpu_seconds=30) < 8


def test_the_walk_grows_linearly_over_many_tags():
    # Many complete tags (the walk's Python loop), then a cell left open.
    def sheet(n: int) -> bytes:
        return _HEAD + _ONE_ROW + b'<x a="1"/>t' * n + b"<c "

    small, large = sheet(50_000), sheet(200_000)

    def ratio() -> float:
        def cpu(xml: bytes) -> float:
            times = []
            for _ in range(5):
                start = time.process_time()
                assert reader._exact_extent(xml, HUGE).rows == 1
                times.append(time.process_time() - start)
            return statistics.median(times)

        return cpu(large) / max(cpu(small), 1e-4)

    assert _in_child(ratio, cpu_seconds=30) < 8


# --- fuzzing: the walk is an upper bound of what calamine places, and never stalls -------------

_VOCABULARY = [
    b'<row r="%d">',
    b"<row>",
    b"</row>",
    b'<c r="%s%d">',
    b"<c>",
    b"<c t=\"n\" r='%s%d'>",
    b'<c r="%s%d"/>',
    b'<x:c r="%s%d">',
    b"<v>1</v>",
    b"</c>",
    b"<!-- x -->",
    b"<!--",
    b"-->",
    b'<![CDATA[<c r="Z99">]]>',
    b'<?pi <c r="Y88"?>',
    b"<c ",
    b'"',
    b"'",
    b">",
    b"<",
    b' a="x>y" ',
    b" ",
    b'<mergeCell ref="A1:B2"/>',
    b"txt",
    b"<v>",
    b"</v>",
    b"r=",
    b'r="%s%d"',
    b"\n",
    b"<x a=\"<c r='W5'>\"/>",
    b"<x <c r='W6'>",
]


def _token(rnd: random.Random) -> bytes:
    t = rnd.choice(_VOCABULARY)
    holes = t.count(b"%")
    if holes == 1:
        return t % rnd.randint(1, 60)
    if holes == 2:
        return t % (rnd.choice([b"A", b"B", b"AA", b"c"]), rnd.randint(1, 60))
    return t


def _well_formed_sheet(rnd: random.Random) -> bytes:
    """Rows and cells in the spellings calamine reads (references or none, prefixed ``x:r``
    attributes, quoted ``>`` and ``<``, comments and CDATA that look like cells)."""
    parts, r = [], 0
    for _ in range(rnd.randint(1, 8)):
        r += rnd.randint(1, 5)
        cells = []
        for _ in range(rnd.randint(0, 4)):
            col = rnd.choice([b"A", b"C", b"AB", b"b"])
            ref = rnd.choice([b' r="%s%d"' % (col, r), b"", b" r='B%d'" % r, b' x:r="Q%d"' % r])
            extra = rnd.choice([b"", b' t="n"', b' s="1"', b" a=\"x>y<c r='Z99'>\""])
            body = rnd.choice([b"<v>1</v>", b"", b"<v>2</v><!-- <c r='ZZ9'> -->"])
            cells.append(
                b"<c" + extra + ref + b"/>"
                if rnd.random() < 0.2
                else b"<c" + extra + ref + b">" + body + b"</c>"
            )
        parts.append(b"<row" + rnd.choice([b' r="%d"' % r, b""]) + b">" + b"".join(cells))
        parts.append(b"</row>")
        if rnd.random() < 0.3:
            parts.append(rnd.choice(_VOCABULARY[9:15] + _VOCABULARY[-2:]).replace(b"%", b""))
    return C.sheet_xml(b"".join(parts))


def _calamine_extent(xml: bytes) -> tuple[int, int] | None:
    book = C.rewrite(C.xlsx({"Metas": [["x"]]}), {C.SHEET1: xml})
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(book)).get_sheet_by_name("Metas")
        rows = sheet.to_python(skip_empty_area=False)
    except Exception:
        return None
    filled = [(r, c) for r, row in enumerate(rows, 1) for c, v in enumerate(row, 1) if v != ""]
    return max((r for r, _ in filled), default=0), max((c for _, c in filled), default=0)


def test_fuzz_the_walk_never_places_a_cell_short_of_calamine():
    rnd = random.Random(12)
    read_by_calamine = 0
    for i in range(600):
        if i % 2:
            xml = _well_formed_sheet(rnd)
        else:
            body = b"".join(_token(rnd) for _ in range(rnd.randint(1, 40)))
            xml = C.sheet_xml(body) if rnd.random() < 0.7 else _HEAD + body
        walk = reader._exact_extent(xml, HUGE)
        placed = _calamine_extent(xml)
        if placed is not None:
            read_by_calamine += 1
            assert placed[0] <= walk.rows and placed[1] <= walk.cols, xml
    assert read_by_calamine >= 200  # most of the well-formed half


def test_fuzz_mutated_workbooks_get_an_answer_quickly():
    """Random bytes inserted, deleted or flipped in a real sheet: read() returns or refuses with
    a finding (never another exception), all within a CPU bound."""
    base = C.part(C.xlsx({"Metas": [C.GOAL_HEADER] + C.goal_rows(30)}))
    noise = [b"<", b">", b'"', b"'", b"<c ", b"<!--", b" r=", b"=", b"/", b"<![CDATA[", b"\0"]

    def run() -> dict[str, int]:
        rnd = random.Random(7)
        outcomes: dict[str, int] = {}
        for _ in range(300):
            xml = bytearray(base)
            for _ in range(rnd.randint(1, 6)):
                at = rnd.randrange(len(xml))
                what = rnd.random()
                if what < 0.4:
                    xml[at:at] = rnd.choice(noise) * rnd.randint(1, 50)
                elif what < 0.7:
                    del xml[at : at + rnd.randint(1, 30)]
                else:
                    xml[at] = rnd.randrange(256)
            outcome = _read_outcome(_book(bytes(xml)))
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        return outcomes

    outcomes = _in_child(run, cpu_seconds=60)
    assert sum(outcomes.values()) == 300
    # Every answer is a reading or a refusal with its own Portuguese message.
    assert set(outcomes) <= {"lido"} | set(MENSAGENS), outcomes
