"""Revision 0007: each version's data table is one compressed blob. A database written by main
when every record was a database row (tests/fixtures/rows_0006.db, made by make_rows_db.py at
commit fc23865) upgrades in place, on SQLite and PostgreSQL, and the Store then returns exactly
the frames the row tables gave (columns, dtypes, order, values, nulls, accents), for every
version, current and old; and the blob encoding keeps every kind of value."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from alembic import command
from sqlalchemy import MetaData, create_engine, func, select, text

from pmas.dados import aprovacao, blobs, migrations
from pmas.dados.store import DATA_TABLES, Store, versao_tabelas
from pmas.text import key
from tests.conftest import PG_URL, fresh_database

ROWS_0006 = Path(__file__).resolve().parent / "fixtures" / "rows_0006.db"
NAMES = list(DATA_TABLES)


# --- how main at fc23865 read the row tables (its Store's queries, verbatim) ----------------


def _old_reads(engine) -> dict:
    md = MetaData()
    md.reflect(engine)
    versoes, planos = md.tables["versoes"], md.tables["planos"]
    out: dict = {}

    def fix(frame: pd.DataFrame, table: str, ano_int64: bool) -> pd.DataFrame:
        if table == "metas" and len(frame):
            frame["eixo_numero"] = frame["eixo_numero"].astype("Int64")
        if ano_int64 and "ano" in frame:
            frame["ano"] = frame["ano"].astype("Int64")
        return frame

    with engine.connect() as conn:
        plan_rows = conn.execute(select(planos.c.id, planos.c.municipio, planos.c.exemplo)).all()
        for name in NAMES:
            r = md.tables[name]
            # the old Store's Table: its columns in the code's order (a column added by a
            # revision is last in the database)
            t = select(r.c.id, r.c.versao_id, *(r.c[c] for c in DATA_TABLES[name].names)).subquery(
                name
            )
            for exemplo in (None, True, False):
                q = (
                    select(t, planos.c.municipio.label("municipio"))
                    .join(versoes, versoes.c.id == t.c.versao_id)
                    .join(planos, planos.c.id == versoes.c.plano_id)
                    .where(versoes.c.atual.is_(True))
                )
                if exemplo is not None:
                    q = q.where(planos.c.exemplo.is_(exemplo))
                frame = pd.read_sql(q.order_by(t.c.id), conn).drop(columns=["id"])
                out["load_all", name, exemplo] = fix(frame, name, False)
            cols = ("ano", "codigo") if name == "metas" else ("ano",)
            q = (
                select(t.c.id, *(t.c[c] for c in cols), planos.c.municipio.label("municipio"))
                .join(versoes, versoes.c.id == t.c.versao_id)
                .join(planos, planos.c.id == versoes.c.plano_id)
                .where(versoes.c.atual.is_(True), versoes.c.ano.in_([2023, 2025]))
            )
            frame = pd.read_sql(q.order_by(t.c.id), conn).drop(columns=["id"])
            out["load_all_cols", name] = frame
            for p in plan_rows:
                for anos in (None, [2023], [2024], [2024, 2025]):
                    q = (
                        select(t, versoes.c.ano.label("_versao_ano"))
                        .join(versoes, versoes.c.id == t.c.versao_id)
                        .where(versoes.c.plano_id == p.id, versoes.c.atual.is_(True))
                        .order_by(versoes.c.ano, t.c.id)
                    )
                    if anos is not None:
                        q = q.where(versoes.c.ano.in_(anos))
                    frame = pd.read_sql(q, conn).drop(columns=["id", "_versao_ano"])
                    out["load", name, p.id, str(anos)] = fix(frame, name, True)
                for exemplo in (True, False):
                    q = (
                        select(
                            t,
                            planos.c.nome.label("plano"),
                            planos.c.id.label("plano_id"),
                            versoes.c.criado_em.label("_criado_em"),
                        )
                        .join(versoes, versoes.c.id == t.c.versao_id)
                        .join(planos, planos.c.id == versoes.c.plano_id)
                        .where(
                            planos.c.municipio == p.municipio,
                            versoes.c.atual.is_(True),
                            planos.c.exemplo.is_(exemplo),
                        )
                        .order_by(versoes.c.ano, planos.c.nome, t.c.id)
                    )
                    frame = pd.read_sql(q, conn)
                    if name == "deliberacoes" and len(frame):
                        keyed = frame.assign(_k=frame["numero"].map(key))
                        newest = keyed.sort_values("_criado_em", kind="stable").drop_duplicates(
                            ["ano", "_k"], keep="last"
                        )
                        frame = frame.loc[sorted(newest.index)]
                    frame = frame.drop(columns=["id", "_criado_em"]).reset_index(drop=True)
                    out["load_municipality", name, p.municipio, exemplo] = fix(frame, name, True)
            # every version, current or not: what undo would bring back
            for vid in conn.execute(select(versoes.c.id)).scalars().all():
                q = select(t).where(t.c.versao_id == vid).order_by(t.c.id)
                out["version", name, vid] = pd.read_sql(q, conn).drop(columns=["id", "versao_id"])
        m = md.tables["metas"]
        for p in plan_rows:
            for exemplo in (True, False):
                q = (
                    select(m.c.codigo)
                    .distinct()
                    .join(versoes, versoes.c.id == m.c.versao_id)
                    .join(planos, planos.c.id == versoes.c.plano_id)
                    .where(
                        planos.c.municipio == p.municipio,
                        planos.c.exemplo.is_(exemplo),
                        versoes.c.atual.is_(True),
                        m.c.codigo.is_not(None),
                    )
                )
                codes = {key(c) for c in conn.execute(q).scalars() if key(c)}
                out["goal_codes", p.municipio, exemplo] = codes
        out["plans"] = [(p.id, p.municipio) for p in plan_rows]
    return out


def _new_reads(store: Store, plans: list) -> dict:
    out: dict = {}
    for name in NAMES:
        for exemplo in (None, True, False):
            out["load_all", name, exemplo] = store.load_all(name, exemplo=exemplo)
        cols = ("ano", "codigo") if name == "metas" else ("ano",)
        out["load_all_cols", name] = store.load_all(name, [2023, 2025], cols)
        for pid, municipio in plans:
            for anos in (None, [2023], [2024], [2024, 2025]):
                out["load", name, pid, str(anos)] = store.load(name, pid, anos)
            for exemplo in (True, False):
                out["load_municipality", name, municipio, exemplo] = store.load_municipality(
                    name, municipio, exemplo=exemplo
                )
        with store.engine.connect() as conn:
            versions = conn.execute(text("SELECT id FROM versoes")).scalars().all()
            for vid in versions:
                blob = conn.execute(
                    select(versao_tabelas.c.conteudo).where(
                        versao_tabelas.c.versao_id == vid, versao_tabelas.c.tabela == name
                    )
                ).scalar()
                t = DATA_TABLES[name]
                rows = blobs.decode(bytes(blob), t) if blob is not None else blobs.concat([], t)
                out["version", name, vid] = blobs.to_frame(rows)
    for _pid, municipio in plans:
        for exemplo in (True, False):
            out["goal_codes", municipio, exemplo] = store.goal_codes(municipio, exemplo=exemplo)
    return out


def _check_same(before: dict, store: Store) -> None:
    plans = before.pop("plans")
    after = _new_reads(store, plans)
    assert set(after) == set(before)
    nonempty = 0
    for k, expected in before.items():
        got = after[k]
        if isinstance(expected, set):
            assert got == expected, k
            nonempty += bool(expected)
            continue
        if k[0] == "version" and not len(expected):
            assert not len(got), k  # a version with no rows of that table
            continue
        pd.testing.assert_frame_equal(got, expected, check_exact=True, obj=str(k))
        nonempty += bool(len(expected))
    assert nonempty > 40  # the comparisons were about real rows
    assert store.integrity_ok()


def _upgrade_and_check(url: str) -> None:
    engine = create_engine(url)
    try:
        before = _old_reads(engine)
    finally:
        engine.dispose()
    store = Store(url)
    try:
        with store.engine.connect() as conn:
            assert migrations.current(conn) == migrations.head()
            tables = set(store.engine.dialect.get_table_names(conn))
        assert not tables & set(NAMES)  # the row tables are gone
        plans = before["plans"]
        # the fingerprint an approval froze before the upgrade (pmas.dados.aprovacao hashes the
        # year's frames) is the same after it: an approved report stays verifiable
        for pid, _m in plans:
            for ano in (2023, 2024):
                h = hashlib.sha256()
                for name in NAMES:
                    frame = before["load", name, pid, str([ano])]
                    h.update(name.encode())
                    h.update(frame.drop(columns=["versao_id"]).to_csv(index=False).encode())
                assert aprovacao.impressao_dos_dados(store, pid, ano)[1] == h.hexdigest()
        _check_same(before, store)
    finally:
        store.engine.dispose()


def test_sqlite_database_of_rows_upgrades_to_blobs_with_the_same_frames(tmp_path):
    path = tmp_path / "linhas.db"
    shutil.copy(ROWS_0006, path)
    _upgrade_and_check(f"sqlite:///{path}")


def _copy_to_postgresql(url: str) -> None:
    """The fixture's tables at revision 0006 in an empty PostgreSQL database, row for row."""
    target = create_engine(url)
    source = create_engine(f"sqlite:///{ROWS_0006}")
    try:
        with target.begin() as conn:
            command.upgrade(migrations.config(conn), "0006")
        src_md, dst_md = MetaData(), MetaData()
        src_md.reflect(source)
        dst_md.reflect(target)
        with source.connect() as src, target.begin() as dst:
            for table in dst_md.sorted_tables:
                if table.name == "alembic_version":
                    continue
                rows = [dict(r._mapping) for r in src.execute(select(src_md.tables[table.name]))]
                if rows:
                    dst.execute(table.insert(), rows)
                if "id" in table.c and rows:
                    dst.execute(
                        text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), :n)"),
                        {"n": max(r["id"] for r in rows)},
                    )
    finally:
        target.dispose()
        source.dispose()


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL runs when PMAS_TESTE_PG_URL is set")
def test_postgresql_database_of_rows_upgrades_to_blobs_with_the_same_frames(tmp_path):
    with fresh_database(tmp_path) as url:
        _copy_to_postgresql(url)
        _upgrade_and_check(url)


def test_a_failing_upgrade_leaves_the_rows_as_they_were(tmp_path, monkeypatch):
    """One transaction: a failure halfway (here, while encoding the second table, the first one already dropped) leaves every
    row table in place and the revision at 0006."""
    path = tmp_path / "linhas.db"
    shutil.copy(ROWS_0006, path)
    url = f"sqlite:///{path}"
    import pyarrow.ipc as ipc

    real = ipc.new_file
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 8:  # in conferencias, after metas was carried over and dropped
            raise RuntimeError("falha simulada")
        return real(*args, **kwargs)

    monkeypatch.setattr(ipc, "new_file", failing)
    with pytest.raises(RuntimeError):
        Store(url)
    monkeypatch.undo()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert migrations.current(conn) == "0006"
            assert conn.execute(text("SELECT count(*) FROM metas")).scalar() > 200
            names = set(engine.dialect.get_table_names(conn))
            assert "versao_tabelas" not in names
    finally:
        engine.dispose()


def test_every_kind_of_value_survives_a_blob():
    t = DATA_TABLES["metas"]
    frame = pd.DataFrame(
        {
            "ano": pd.array([2024, 2024, 2024], dtype="Int64"),
            "codigo": pd.array(["1.1", None, "ção"], dtype="string"),
            "previsto": [1.25, None, 0.0],
            "eixo_numero": pd.array([3, None, 1], dtype="Int64"),
            "situacao_derivada": pd.array([True, None, False], dtype="boolean"),
            "_linha": [5, 6, 7],
            "_aba": pd.array(["Metas", "Metas", "Metas"], dtype="string"),
        }
    )
    rows = blobs.decode(blobs.encode(blobs.to_arrow(t, frame)), t)
    back = blobs.to_frame(rows)
    assert list(back.columns) == t.names
    assert back["codigo"].tolist()[0] == "1.1" and pd.isna(back["codigo"][1])
    assert back["codigo"][2] == "ção"
    assert back["previsto"].tolist()[0] == 1.25 and pd.isna(back["previsto"][1])
    assert str(back["eixo_numero"].dtype) == "float64"  # as read_sql gave: a missing integer
    assert back["situacao_derivada"].tolist() == [True, None, False]
    assert back["linha"].tolist() == [5, 6, 7] and back["linha"].dtype == "int64"
    assert back["justificativa"].tolist() == [None, None, None]  # no value at all: object None
    only = blobs.decode(blobs.encode(blobs.to_arrow(t, frame)), t, ["codigo"])
    assert only.column_names == ["codigo"]


def test_a_blob_written_before_a_column_existed_reads_it_as_empty():
    t = DATA_TABLES["conferencias"]
    older = blobs.DataTable(t.name, tuple(c for c in t.columns if c[0] != "eventos"))
    frame = pd.DataFrame({"ano": [2023], "participantes": [40]})
    rows = blobs.decode(blobs.encode(blobs.to_arrow(older, frame)), t)
    assert rows.column_names == t.names
    assert rows.column("eventos").to_pylist() == [None]
    assert rows.column("participantes").to_pylist() == [40]


def test_rows_are_counted_per_version_without_reading_blobs(store, plano):
    frame = pd.DataFrame({"ano": [2024, 2024, 2025], "codigo": ["1", "2", "3"]})
    store.save_import(plano, {"metas": frame}, usuario="ana")
    with store.engine.connect() as conn:
        got = conn.execute(
            select(versao_tabelas.c.tabela, func.sum(versao_tabelas.c.linhas)).group_by(
                versao_tabelas.c.tabela
            )
        ).all()
    assert dict(got) == {"metas": 3}
    assert store.integrity_ok()


def test_links_edited_on_an_upgraded_database_make_a_new_version_and_undo_restores_them(
    tmp_path,
):
    path = tmp_path / "linhas.db"
    shutil.copy(ROWS_0006, path)
    store = Store(f"sqlite:///{path}")
    try:
        pid = store.plan("Londrina")[0]
        antes = store.load("deliberacoes", pid, [2021])
        numero = antes["numero"].iloc[2]
        assert pd.isna(antes["metas"].iloc[2]) or antes["metas"].iloc[2] != "9.9.9"
        v = store.save_links(pid, 2021, {numero: "9.9.9"}, usuario="ana")
        assert v.numero == 3 and v.n_conferencias == 76
        depois = store.load("deliberacoes", pid, [2021])
        assert depois["metas"].iloc[2] == "9.9.9"
        pd.testing.assert_frame_equal(
            depois.drop(columns=["versao_id", "metas"]), antes.drop(columns=["versao_id", "metas"])
        )
        detalhe = store.audit(limit=1)["detalhe"].iloc[0]
        assert detalhe.startswith("versão 3 de 2021; metas das deliberações: nº ")
        assert "→ 9.9.9" in detalhe
        store.undo("Londrina", 2021, usuario="ana", plano_nome=store.plan("Londrina")[1].nome)
        pd.testing.assert_frame_equal(store.load("deliberacoes", pid, [2021]), antes)
        assert store.integrity_ok()
    finally:
        store.engine.dispose()


def _downgrade_and_check(url: str) -> None:
    engine = create_engine(url)
    try:
        before = _old_reads(engine)
        Store(url).engine.dispose()  # up to the blobs
        with engine.begin() as conn:
            command.downgrade(migrations.config(conn), "0006")
        with engine.connect() as conn:
            assert migrations.current(conn) == "0006"
            assert "versao_tabelas" not in set(engine.dialect.get_table_names(conn))
        after = _old_reads(engine)
    finally:
        engine.dispose()
    assert set(after) == set(before)
    for k, expected in before.items():
        if isinstance(expected, (set, list)):
            assert after[k] == expected, k
        else:
            pd.testing.assert_frame_equal(after[k], expected, check_exact=True, obj=str(k))
    store = Store(url)  # and up again
    try:
        assert store.integrity_ok()
        assert len(store.load_all("metas")) == 209
    finally:
        store.engine.dispose()


def test_sqlite_downgrade_rebuilds_the_row_tables_as_they_were(tmp_path):
    path = tmp_path / "linhas.db"
    shutil.copy(ROWS_0006, path)
    _downgrade_and_check(f"sqlite:///{path}")


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL runs when PMAS_TESTE_PG_URL is set")
def test_postgresql_downgrade_rebuilds_the_row_tables_as_they_were(tmp_path):
    with fresh_database(tmp_path) as url:
        _copy_to_postgresql(url)
        _downgrade_and_check(url)
