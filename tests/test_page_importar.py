"""The Importar screen, run on its own with AppTest against a fresh database: the whole flow as
a manager (password), the wrong password, a reader (no buttons, and the write service refuses),
the local mode and the OIDC mode."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from pmas import textos
from pmas.acesso import auth
from pmas.dados.plano import LONDRINA
from pmas.dados.store import Store
from pmas.entrada.pipeline import import_file
from tests.conftest import ROOT, database_url, xlsx
from tests.test_layouts import HEADER, plain_rows

PAGE = str(ROOT / "pages" / "importar.py")
SENHA = "senha-de-teste-bem-longa"
GESTORA = "gestora@londrina.pr.gov.br"
T = textos.IMPORTAR
A = textos.ACESSO
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def slept(monkeypatch) -> list[float]:
    waits: list[float] = []
    monkeypatch.setattr(auth, "_sleep", waits.append)
    return waits


@pytest.fixture
def db(tmp_path, monkeypatch, slept) -> Store:
    url = database_url(tmp_path)
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    monkeypatch.setenv(auth.ENV_SENHA, SENHA)
    monkeypatch.delenv(auth.ENV_GESTORES, raising=False)
    store = Store(url)
    store.create_plan(LONDRINA, usuario="teste")  # the files below are Londrina's 2023
    return store


@pytest.fixture
def vazio(tmp_path, monkeypatch, slept) -> Store:
    """A database without any plan (a brand-new municipality's first use)."""
    url = database_url(tmp_path)
    monkeypatch.setenv("PMAS_DATABASE_URL", url)
    monkeypatch.setenv("PMAS_EXEMPLO", "0")
    monkeypatch.setenv(auth.ENV_SENHA, SENHA)
    monkeypatch.delenv(auth.ENV_GESTORES, raising=False)
    return Store(url)


def _app(**kw) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=90)
    for name, value in kw.items():
        setattr(at, name, value)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _login(at: AppTest, senha: str = SENHA, nome: str = "Maria") -> AppTest:
    at.text_input(key="acesso_nome").input(nome)
    at.text_input(key="acesso_senha_valor").input(senha)
    next(b for b in at.button if b.label == A["senha_botao"]).click()
    return _run(at)


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.get("file_uploader")[0].set_value((name, data, XLSX_MIME))
    return _run(at)


def _buttons(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


def _texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "success", "info", "warning", "error", "caption", "text")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _table_with(at: AppTest, *columns: str):
    """The first st.dataframe or st.table with these columns."""
    for df in [*at.dataframe, *at.table]:
        if all(c in df.value.columns for c in columns):
            return df
    raise AssertionError(f"nenhuma tabela com {columns}")


def _findings(at: AppTest):
    """The findings table as shown, its Markdown escapes undone."""
    table = _table_with(at, textos.ROTULOS_ACHADOS["mensagem"]).value
    return table.astype("string").map(lambda v: re.sub(r"\\(.)", r"\1", v))


def _good() -> bytes:
    return xlsx({"Metas 2023": [HEADER] + plain_rows()})


def _bad() -> bytes:
    rows = [HEADER] + plain_rows()
    rows[3][8] = "Talvez"  # Excel row 4
    return xlsx({"Metas 2023": rows})


def _changed() -> bytes:
    rows = [HEADER] + plain_rows()
    rows[2][8] = "Realizada"  # 1.2: Parcialmente realizada → Realizada
    return xlsx({"Metas 2023": rows})


def _current(store: Store) -> list:
    return [(v.ano, v.numero) for v in store.versions() if v.atual]


# --- a manager, the whole flow ----------------------------------------------------------------


def test_manager_imports_checks_previews_confirms_and_undoes(db):
    at = _app()
    assert not at.get("file_uploader")  # not logged in yet
    at = _login(at)
    assert "**Acesso de gestor:** Maria." in _texts(at)
    assert len(at.get("file_uploader")) == 1

    # 1. a file with an error: the report, the row painted, no confirm button, nothing stored
    at = _upload(at, "metas com erro.xlsx", _bad())
    assert _metrics(at)[T["erros"]] == "1"
    assert T["tem_erros"] in [e.value for e in at.error]
    achados = _findings(at)
    erros = achados[achados[textos.ROTULOS_ACHADOS["nivel"]] == "Erro"]
    assert [str(n) for n in erros[textos.ROTULOS_ACHADOS["linha"]]] == ["4"]
    # the avisos follow: the reduction goal's polarity applied, said (issue #17)
    assert "de redução" in " ".join(achados[textos.ROTULOS_ACHADOS["mensagem"]])
    assert "Talvez" in achados[textos.ROTULOS_ACHADOS["mensagem"]].iloc[0]
    assert achados[textos.ROTULOS_ACHADOS["nivel"]].iloc[0] == "Erro"
    rows = _table_with(at, T["linha"], "Situação")
    assert list(rows.value[T["linha"]])[:3] == [2, 3, 4]
    styles = rows.proto.arrow_data.styler.styles
    assert "row2_col0" in styles and "#FDE2E1" in styles  # row 4 of the sheet, in red
    mapped = _table_with(at, T["coluna_arquivo"], T["coluna_entendida"]).value
    assert (
        dict(zip(mapped[T["coluna_arquivo"]], mapped[T["coluna_entendida"]]))["Situação"]
        == "Situação"
    )
    assert T["baixar_achados"] in {b.label for b in at.get("download_button")}
    assert T["confirmar"] not in _buttons(at)
    assert db.is_empty()

    # 2. a good file: the preview, then confirm
    at = _upload(at, "metas 2023.xlsx", _good())
    m = _metrics(at)
    assert (m[T["erros"]], m[T["novas"]], m[T["removidas"]], m[T["alteradas"]]) == (
        "0",
        "11",
        "0",
        "0",
    )
    assert T["ano_novo"].format(ano=2023) in _texts(at)
    eixos = _table_with(at, "Eixo", "Metas", "% realizadas", "Índice de cumprimento").value
    assert list(eixos["Metas"]) == ["0 → 3", "0 → 3", "0 → 2", "0 → 1", "0 → 2", "0 → 11"]
    assert list(eixos["% realizadas"])[-1] == "— → 33,3%"
    assert db.is_empty()  # nothing before confirming
    at.button(key="confirmar_importacao").click()
    at = _run(at)
    assert _current(db) == [(2023, 1)]
    assert T["importado"].format(arquivo="metas 2023\\.xlsx") in [s.value for s in at.success]
    assert "2023: versão 1 gravada e atual (11 metas" in _texts(at)
    assert "visao-geral" in _texts(at) or at.get("page_link")  # the link to the overview
    assert at.get("file_uploader")[0].value is None  # the uploader starts empty again
    assert db.versions()[0].usuario == "Maria (senha de gestor)"

    # 3. the same bytes again: said when and by whom, nothing stored
    same = db.file(db.versions()[0].arquivo_sha256)[1]
    at = _upload(at, "de novo.xlsx", same)
    assert "Este mesmo arquivo já foi importado em" in _texts(at)
    achados = _findings(at)
    assert "por Maria (senha de gestor)" in " ".join(achados[textos.ROTULOS_ACHADOS["mensagem"]])
    assert T["confirmar"] not in _buttons(at)
    assert len(db.versions()) == 1

    # 4. a changed file: the goal that changed with its old and new Situação; confirm
    at = _upload(at, "metas 2023 v2.xlsx", _changed())
    m = _metrics(at)
    assert (m[T["novas"]], m[T["removidas"]], m[T["alteradas"]], m[T["iguais"]]) == (
        "0",
        "0",
        "1",
        "10",
    )
    assert T["ano_existente"].format(ano=2023, atual=1, nova=2) in _texts(at)
    eixos = _table_with(at, "Eixo", "Metas", "% realizadas", "Índice de cumprimento").value
    assert list(eixos["Metas"]) == ["3", "3", "2", "1", "2", "11"]  # unchanged: one value
    assert list(eixos["% realizadas"])[0] == "33,3% → 66,7%"
    assert list(eixos["% realizadas"])[-1] == "33,3% → 44,4%"
    changed = _table_with(at, T["situacao_antes"], T["situacao_depois"]).value
    assert changed.iloc[0].to_dict() == {
        "Código": "1.2",
        "Eixo": "Política Municipal de Assistência Social",
        T["descricao"]: "Implantar vigilância socioassistencial",
        T["situacao_antes"]: "Parcialmente realizada",
        T["situacao_depois"]: "Realizada",
        T["campos"]: "Situação",
    }
    # what changed comes first (a phone shows the first columns), the goal's long text after
    assert list(changed.columns)[:4] == [
        "Código",
        T["situacao_antes"],
        T["situacao_depois"],
        T["campos"],
    ]
    at.button(key="confirmar_importacao").click()
    at = _run(at)
    assert _current(db) == [(2023, 2)]

    # 5. history: both versions, the original file, undo with a confirmation
    versions = _table_with(at, textos.COLUNAS_VERSOES["numero"]).value
    assert list(versions[textos.COLUNAS_VERSOES["numero"]]) == [2, 1]
    assert list(versions[textos.COLUNAS_VERSOES["atual"]]) == [T["atual"], ""]
    assert list(versions[textos.COLUNAS_VERSOES["arquivo"]]) == [
        "metas 2023 v2.xlsx",
        "metas 2023.xlsx",
    ]
    assert all(t.endswith("KB") for t in versions[textos.COLUNAS_VERSOES["tamanho"]])
    assert T["baixar_original"] in {b.label for b in at.get("download_button")}
    assert at.button(key="desfazer_botao").disabled  # not before ticking the confirmation
    at.checkbox(key="desfazer_ok_2023_2").check()
    at = _run(at)
    at.button(key="desfazer_botao").click()
    at = _run(at)
    assert _current(db) == [(2023, 1)]
    assert T["desfeito"].format(ano=2023, versao=1) in [s.value for s in at.success]

    # 6. the audit log on screen
    log = _table_with(at, textos.COLUNAS_AUDITORIA["acao"]).value
    assert list(log[textos.COLUNAS_AUDITORIA["acao"]]) == [
        "Desfazer",
        "Importação",
        "Importação",
        "Plano criado",  # before the first import (the fixture)
    ]
    assert list(log[textos.COLUNAS_AUDITORIA["usuario"]])[:3] == ["Maria (senha de gestor)"] * 3


def test_the_overview_sees_the_new_version_without_clearing_caches(db):
    at = _login(_app())
    at = _upload(at, "v1.xlsx", _good())
    at.button(key="confirmar_importacao").click()
    at = _run(at)
    overview = AppTest.from_file(str(ROOT / "pages" / "visao-geral.py"), default_timeout=90)
    overview.run()
    first = {m.label: m.value for m in overview.metric}
    at = _upload(at, "v2.xlsx", _changed())
    at.button(key="confirmar_importacao").click()
    at = _run(at)
    overview.run()
    second = {m.label: m.value for m in overview.metric}
    assert first["% realizadas"] == "33,3%"
    assert second["% realizadas"] == "44,4%"  # 4 of 9 avaliáveis


def test_oversized_file_is_refused_on_the_server(db):
    from pmas.entrada.reader import DEFAULT_LIMITS

    at = _login(_app())
    at = _upload(at, "enorme.csv", b"a;b\n" * (DEFAULT_LIMITS.max_bytes // 4 + 1))
    assert _metrics(at)[T["erros"]] == "1"
    achados = _findings(at)
    assert "acima do limite de 10 MB" in achados[textos.ROTULOS_ACHADOS["mensagem"]].iloc[0]
    assert T["confirmar"] not in _buttons(at)


def test_file_names_and_cells_are_never_rendered_as_markdown(db):
    at = _login(_app())
    rows = [HEADER] + plain_rows()
    rows[1][3] = "**negrito** <b>html</b> [link](http://exemplo.invalid)"
    name = "[clique](http://exemplo.invalid) <img src=x>.xlsx"
    at = _upload(at, name, xlsx({"Metas 2023": rows}))
    at.button(key="confirmar_importacao").click()
    at = _run(at)
    shown = "\n".join(
        str(e.value)
        for kind in ("success", "markdown", "caption", "info")
        for e in getattr(at, kind)
    )  # the sidebar's provenance line too
    assert "[clique](http" not in shown
    assert not re.search(r"(?<!\\)<img", shown)
    assert "\\[clique\\]" in shown


def test_findings_quoting_the_file_are_escaped_in_the_table(db):
    at = _login(_app())
    rows = [HEADER] + plain_rows()
    rows[3][8] = "[veja](http://exemplo.invalid) <b>x</b>"
    at = _upload(at, "m.xlsx", xlsx({"Metas 2023": rows}))
    cell = _table_with(at, textos.ROTULOS_ACHADOS["mensagem"]).value.iloc[0][
        textos.ROTULOS_ACHADOS["mensagem"]
    ]
    assert "\\[veja\\]\\(http\\:" in cell and "\\<b\\>" in cell


def test_many_findings_go_to_a_scrolling_table(db):
    from pmas.ui.importar import TABLE_MAX_FINDINGS

    at = _login(_app())
    rows = [HEADER] + [
        [f"{i}", "Gestão", "D", f"Ação {i}", "M", None, None, None, "Talvez"]
        for i in range(TABLE_MAX_FINDINGS + 5)
    ]
    at = _upload(at, "muitos.xlsx", xlsx({"Metas 2023": rows}))
    assert not at.table
    shown = _table_with(at, textos.ROTULOS_ACHADOS["mensagem"]).value
    assert len(shown) == TABLE_MAX_FINDINGS + 5
    assert T["achados_muitos"].format(n=TABLE_MAX_FINDINGS + 5) in _texts(at)


def test_findings_download_is_a_spreadsheet_with_portuguese_headers():
    import io

    import openpyxl

    from pmas.entrada.findings import finding
    from pmas.saida import export
    from pmas.ui.importar import findings_table

    table = findings_table(
        [
            finding("coluna_desconhecida", aba="Metas", linha=1, coluna="Obs", amostra="“x”"),
            finding(
                "situacao_desconhecida",
                aba="Metas",
                linha=4,
                coluna="Situação",
                valor="=HYPERLINK(1)",
                situacoes="Realizada",
            ),
            finding("arquivo_grande", tamanho="12 MB", limite="10 MB"),
        ]
    )
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(table, None, titulo="Relatório")))
    rows = [[c.value for c in r] for r in wb["Relatório"].iter_rows()]
    assert rows[0] == [
        "Nível",
        "Aba",
        "Linha",
        "Coluna",
        "Código da meta",
        "Ação da meta",
        "Problema",
        "O que fazer",
    ]
    assert [r[0] for r in rows[1:]] == ["Erro", "Erro", "Aviso"]  # errors first
    assert rows[1][1:4] == ["Metas", 4, "Situação"]
    assert rows[2][1:4] == [None, None, None]


# --- the password ------------------------------------------------------------------------------


def test_wrong_password_is_refused_and_each_failure_waits_longer(db, slept):
    at = _app()
    at = _login(at, senha="errada")
    assert A["senha_errada"] in [e.value for e in at.error]
    assert not at.get("file_uploader")
    at = _login(at, senha="errada de novo")
    assert slept == [1, 2]
    at = _login(at)
    assert len(at.get("file_uploader")) == 1
    assert slept == [1, 2]


def test_after_repeated_failures_the_client_is_locked_out_even_from_new_sessions(
    db, slept, monkeypatch
):
    monkeypatch.setattr(auth, "BLOQUEIOS", auth.Bloqueios(limite=3))
    at = _app()
    for _ in range(3):
        at = _login(at, senha="errada")
    at = _app()  # a new session from the same client
    at = _login(at)
    assert A["senha_bloqueada"].format(minutos=15) in [e.value for e in at.error]
    assert not at.get("file_uploader")
    assert slept == [1, 2, 4]  # the refused attempt cost no wait


def test_name_is_required_with_the_password(db, slept):
    at = _login(_app(), nome="   ")
    assert A["nome_faltando"] in [e.value for e in at.error]
    assert not at.get("file_uploader") and slept == []


def test_logout_and_password_change_end_the_manager_session(db, monkeypatch):
    at = _login(_app())
    at.button(key="acesso_sair").click()
    at = _run(at)
    assert not at.get("file_uploader")
    at = _login(at)
    assert at.get("file_uploader")
    monkeypatch.setenv(auth.ENV_SENHA, "outra-senha-longa")
    at = _run(at)
    assert not at.get("file_uploader")


# --- a reader -----------------------------------------------------------------------------------


def _two_versions(db: Store) -> None:
    import_file(db, _good(), "v1.xlsx", LONDRINA, usuario="gestora")
    import_file(db, _changed(), "v2.xlsx", LONDRINA, usuario="gestora")


def test_reader_sees_history_and_template_but_no_write_buttons(db):
    _two_versions(db)
    at = _app()
    assert not at.get("file_uploader")
    assert T["so_gestor"] in [i.value for i in at.info]
    labels = _buttons(at)
    assert T["confirmar"] not in labels and T["desfazer_botao"] not in labels
    downloads = {b.label for b in at.get("download_button")}
    assert downloads == {T["baixar_modelo"]}  # no original files for readers
    assert T["so_gestor_original"] in _texts(at)
    versions = _table_with(at, textos.COLUNAS_VERSOES["numero"]).value
    assert list(versions[textos.COLUNAS_VERSOES["numero"]]) == [2, 1]
    # two imports and the plan the first one created
    assert len(_table_with(at, textos.COLUNAS_AUDITORIA["acao"]).value) == 3


def _try_to_write() -> None:
    import streamlit as st

    from pmas.acesso import gestao
    from pmas.acesso.actor import SemPermissao
    from pmas.dados.plano import LONDRINA
    from pmas.ui import acesso, state
    from tests.conftest import xlsx
    from tests.test_layouts import HEADER, plain_rows

    store = state.get_store()
    for name, call in (
        (
            "importar",
            lambda: gestao.importar(
                store,
                LONDRINA,
                "x.xlsx",
                xlsx({"Metas 2024": [HEADER] + plain_rows()}),
                actor=acesso.actor_atual(),  # None: this session is a reader's
            ),
        ),
        ("desfazer", lambda: gestao.desfazer(store, LONDRINA, 2023, actor=acesso.actor_atual())),
    ):
        try:
            call()
            st.text(f"{name}: gravou")
        except SemPermissao as exc:
            st.text(f"{name}: {exc}")


def test_reader_calling_the_write_functions_inside_a_session_is_refused(db):
    _two_versions(db)
    before = db.versions()
    at = AppTest.from_function(_try_to_write, default_timeout=60)
    at.run()
    assert not at.exception
    texts = [t.value for t in at.text]
    assert len(texts) == 2
    assert all("Só um gestor pode importar" in t for t in texts), texts
    assert db.versions() == before


# --- local mode and OIDC ------------------------------------------------------------------------


def test_local_mode_refuses_an_unknown_browser(db, monkeypatch):
    monkeypatch.delenv(auth.ENV_SENHA)
    at = _app()
    assert A["local_nao_pode"] in [w.value for w in at.warning]
    assert not at.get("file_uploader") and not at.text_input


def test_local_mode_lets_the_browser_on_this_machine_write(db, monkeypatch):
    from pmas.ui import acesso

    monkeypatch.delenv(auth.ENV_SENHA)
    monkeypatch.setattr(acesso, "_peer_ip", lambda: "127.0.0.1")
    monkeypatch.setattr(
        acesso,
        "_headers",
        lambda: {"host": ["localhost:8501"], "origin": ["http://localhost:8501"]},
    )
    at = _app()
    assert A["local_pode"] in [i.value for i in at.info]
    at = _upload(at, "v1.xlsx", _good())
    at.button(key="confirmar_importacao").click()
    _run(at)
    assert db.versions()[0].usuario == "acesso local"
    # the same machine behind a proxy that forwards the visitor: not local
    monkeypatch.setattr(
        acesso, "_headers", lambda: {"host": ["localhost:8501"], "x-forwarded-for": ["200.1.2.3"]}
    )
    at = _app()
    assert not at.get("file_uploader")


OIDC_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "pmas",
        "client_secret": "segredo",
        "server_metadata_url": "https://login.example/.well-known/openid",
    },
    "pmas": {"gestores": [GESTORA]},
}


def test_oidc_manager_by_email(db):
    at = _app(
        secrets=OIDC_SECRETS,
        user={"is_logged_in": True, "email": GESTORA.upper(), "email_verified": True},
    )
    assert A["oidc_gestor"].format(
        email=GESTORA.upper().replace(".", "\\.").replace("-", "\\-")
    ) in _texts(at)
    assert len(at.get("file_uploader")) == 1
    at = _upload(at, "v1.xlsx", _good())
    at.button(key="confirmar_importacao").click()
    _run(at)
    assert db.versions()[0].usuario == GESTORA


ENTRA = "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"


def test_oidc_without_email_verified_is_not_a_manager_unless_the_issuer_is_trusted(db):
    """Microsoft Entra never sends email_verified: in a multi-tenant setup an outsider could
    create an account elsewhere with a listed e-mail (issue #12, item 6)."""
    user = {"is_logged_in": True, "email": GESTORA, "iss": ENTRA.replace("9188", "0000")}
    at = _app(secrets=OIDC_SECRETS, user=user)
    assert not at.get("file_uploader")
    assert "não confirmou esse e-mail" in _texts(at)
    trusted = {**OIDC_SECRETS, "pmas": {"gestores": [GESTORA], "emissores_confiaveis": [ENTRA]}}
    at = _app(secrets=trusted, user=user)
    assert not at.get("file_uploader")  # another tenant's issuer is still not trusted
    at = _app(secrets=trusted, user={**user, "iss": ENTRA + "/"})
    assert len(at.get("file_uploader")) == 1
    # an explicit "false" wins over a trusted issuer
    at = _app(secrets=trusted, user={**user, "iss": ENTRA, "email_verified": False})
    assert not at.get("file_uploader")


def test_oidc_other_email_or_logged_out_cannot_write(db):
    at = _app(secrets=OIDC_SECRETS, user={"is_logged_in": True, "email": "leitor@x.br"})
    assert not at.get("file_uploader")
    assert "não está na lista de gestores" in _texts(at)
    at = _app(secrets=OIDC_SECRETS, user={"is_logged_in": False})
    assert not at.get("file_uploader")
    assert A["entrar"] in _buttons(at)
    assert not at.text_input  # no password form in OIDC mode


# --- a brand-new municipality (issue #11) ------------------------------------------------------


def _all_texts(at: AppTest) -> str:
    """Every text of a screen (sidebar included), its Markdown escapes undone."""
    kinds = ("markdown", "success", "info", "warning", "error", "caption", "title", "header")
    kinds += ("subheader", "text")
    parts = [str(e.value) for k in kinds for e in getattr(at, k)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [str(df.value.to_string()) for df in [*at.dataframe, *at.table]]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


def test_a_new_municipality_without_a_plano_sheet_is_led_to_the_plano_screen(vazio):
    from pmas.ui.plano import K_ARQUIVO
    from tests.plano_maringa import sem_aba_plano

    at = _login(_app())
    assert T["intro_sem_plano"] in _texts(at)
    data = sem_aba_plano()
    at = _upload(at, "maringa_2026.xlsx", data)
    assert T["sem_plano"] in _texts(at)
    assert "/plano" in "\n".join(e.value for e in at.markdown)  # the link to the Plano screen
    assert "confirmar_importacao" not in {b.key for b in at.button}
    assert vazio.plans() == [] and vazio.versions() == []
    assert at.session_state[K_ARQUIVO] == ("maringa_2026.xlsx", data)
    # the Plano screen proposes that same file's eixos
    plano = AppTest.from_file(str(ROOT / "pages" / "plano.py"), default_timeout=90)
    plano.session_state[K_ARQUIVO] = ("maringa_2026.xlsx", data)
    plano = _login(_run(plano))
    eixos = plano.text_area(key="plano_novo_eixos").value.splitlines()
    assert eixos[0] == "1 = Proteção Social Básica"
    assert eixos[5] == "6 = Vigilância Socioassistencial"
    assert "Londrina" not in eixos


def test_a_file_with_a_plano_sheet_creates_maringas_plan_and_every_screen_says_maringa(
    vazio, monkeypatch
):
    """The Plano sheet creates the plan on import (said before confirming); then every screen,
    the plan's template and the report name Maringá and never Londrina."""
    import io
    import zipfile

    import docx
    import streamlit as st

    from pmas.saida import report
    from pmas.saida.modelo import template_xlsx_bytes
    from tests.plano_maringa import MARINGA, planilha

    at = _login(_app())
    at = _upload(at, "maringa_2026.xlsx", planilha())
    shown = re.sub(r"\\(.)", r"\1", _texts(at))
    assert "O plano PMAS 2026-2029 de Maringá (2026-2029, 6 eixos) será criado." in shown
    eixos = _table_with(at, textos.PLANO_TELA["col_nome"]).value
    assert list(eixos[textos.PLANO_TELA["col_nome"]]) == [e.nome for e in MARINGA.eixos]
    assert vazio.plans() == []  # nothing before confirming
    at.button(key="confirmar_importacao").click()
    at = _run(at)
    feito = re.sub(r"\\(.)", r"\1", _texts(at))
    assert "O plano PMAS 2026-2029 de Maringá (2026-2029, 6 eixos) foi criado." in feito
    assert [p for _, p in vazio.plans()] == [MARINGA]
    assert _current(vazio) == [(2026, 1)]
    log = vazio.audit(10)
    assert list(log["acao"]) == ["importacao", "plano_criado"]
    assert set(log["usuario"]) == {"Maria (senha de gestor)"}

    st.cache_data.clear()
    for page in sorted((ROOT / "pages").glob("*.py")):
        tela = AppTest.from_file(str(page), default_timeout=120)
        tela = _run(tela)
        text = _all_texts(tela)
        assert "Maringá" in text, page.name
        assert "Londrina" not in text, (page.name, text[:2000])
    modelo = zipfile.ZipFile(io.BytesIO(template_xlsx_bytes(MARINGA)))
    xml = "".join(modelo.read(n).decode() for n in modelo.namelist() if n.endswith(".xml"))
    assert "Maringá" in xml and "Vigilância Socioassistencial" in xml
    assert "Londrina" not in xml
    doc = docx.Document(
        io.BytesIO(report.build_report(vazio, 2026, "Maringá", charts=False).conteudo)
    )
    corpo = [p.text for p in doc.paragraphs]
    corpo += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    for s in doc.sections:
        corpo += [p.text for p in (*s.header.paragraphs, *s.footer.paragraphs)]
    corpo += [doc.core_properties.title or "", doc.core_properties.subject or ""]
    texto = "\n".join(corpo)
    assert "Maringá" in texto
    assert "Londrina" not in texto


def test_a_plano_sheet_that_differs_lets_the_manager_keep_or_update_the_plan(vazio):
    from tests.plano_maringa import MARINGA, planilha, renomeado

    pid = vazio.create_plan(MARINGA, usuario="teste")
    at = _login(_app())
    at = _upload(at, "maringa_2026.xlsx", planilha(renomeado()))
    shown = re.sub(r"\\(.)", r"\1", _texts(at))
    assert "difere do plano PMAS 2026-2029 de Maringá" in shown
    assert "Eixo 6: “Vigilância Socioassistencial” → “Vigilância Socioassistencial e " in shown
    decisao = at.radio(key="importar_plano_decisao")
    assert decisao.value == "manter"
    decisao.set_value("atualizar")
    at = _run(at)
    at.button(key="confirmar_importacao").click()
    at = _run(at)
    assert textos.PLANO["plano_atualizado"] in re.sub(r"\\(.)", r"\1", _texts(at))
    assert vazio.plan_by_id(pid) == renomeado()
    assert list(vazio.audit(10)["acao"])[:2] == ["importacao", "plano_alterado"]


def test_with_the_example_data_a_plano_sheet_creates_the_municipalitys_own_plan(vazio):
    """The example's plan never receives real data: a file with a Plano sheet creates the
    municipality's plan beside it (the example stays apart)."""
    from pmas.entrada.pipeline import load_examples
    from tests.plano_maringa import MARINGA, planilha

    load_examples(vazio, LONDRINA)
    [(_, exemplo)] = vazio.plans()
    at = _login(_app())
    assert textos.PLANO["exemplo_mistura"] in [w.value for w in at.warning]
    assert T["intro_exemplo"] in _texts(at)
    at = _upload(at, "maringa_2026.xlsx", planilha())
    assert "será criado" in re.sub(r"\\(.)", r"\1", _texts(at))
    at.button(key="confirmar_importacao").click()
    at = _run(at)
    planos = {p.municipio: p for _, p in vazio.plans()}
    assert planos["Maringá"] == MARINGA and planos["Londrina"] == exemplo
    reais = [v for v in vazio.versions() if not v.exemplo]
    assert [(v.municipio, v.ano) for v in reais] == [("Maringá", 2026)]
