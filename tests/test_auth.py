"""Who may write: the pure decision, the password check and the local-machine rule, without
Streamlit; and the write paths refusing a reader even when called directly."""

from __future__ import annotations

import logging

import pytest

from pmas.acesso import auth, gestao
from pmas.acesso.actor import LINHA_DE_COMANDO, Actor, SemPermissao, exigir, limpar_nome
from pmas.acesso.auth import LOCAL, OIDC, SENHA, Config, Identidade, can_write
from pmas.entrada.pipeline import import_file
from tests.conftest import xlsx
from tests.test_layouts import HEADER, plain_rows

GESTORA = "gestora@londrina.pr.gov.br"


# --- configuration -----------------------------------------------------------------------------


def test_auth_section_means_oidc_with_managers_from_secrets_and_environment():
    secrets = {
        "auth": {"client_id": "x"},
        "pmas": {"gestores": [" Gestora@Londrina.pr.gov.br "], "provedor": "microsoft"},
    }
    config = auth.config_from(
        secrets, {auth.ENV_GESTORES: "outro@x.br, ,TERCEIRO@x.br", auth.ENV_SENHA: "ignorada"}
    )
    assert config.modo == OIDC
    assert config.gestores == {GESTORA, "outro@x.br", "terceiro@x.br"}
    assert config.provedor == "microsoft"
    assert config.senha is None  # the password is not used when OIDC is configured


def test_gestores_may_be_a_comma_separated_string_in_secrets():
    config = auth.config_from({"auth": {}, "pmas": {"gestores": "a@x.br,b@x.br"}}, {})
    assert config.gestores == {"a@x.br", "b@x.br"}


def test_password_from_environment_when_there_is_no_auth_section():
    config = auth.config_from({}, {auth.ENV_SENHA: "uma senha longa"})
    assert config.modo == SENHA
    assert config.senha == "uma senha longa"
    assert "uma senha longa" not in repr(config)


def test_local_mode_with_neither():
    assert auth.config_from({}, {}).modo == LOCAL


@pytest.mark.parametrize("senha", ["", "   "])
def test_an_empty_password_refuses_to_start_instead_of_falling_back_to_local(senha):
    with pytest.raises(auth.ConfiguracaoInvalida) as exc:
        auth.config_from({}, {auth.ENV_SENHA: senha})
    assert "PMAS_SENHA_GESTOR" in str(exc.value) and "vazia" in str(exc.value)


def test_a_short_password_is_refused_with_the_minimum():
    short = "x" * (auth.SENHA_MINIMA - 1)
    with pytest.raises(auth.ConfiguracaoInvalida) as exc:
        auth.config_from({}, {auth.ENV_SENHA: short})
    assert f"{auth.SENHA_MINIMA - 1} caracteres" in str(exc.value)
    assert f"mínimo é {auth.SENHA_MINIMA}" in str(exc.value)
    assert auth.config_from({}, {auth.ENV_SENHA: "x" * auth.SENHA_MINIMA}).modo == SENHA


# --- the decision ------------------------------------------------------------------------------

OIDC_CONFIG = Config(OIDC, gestores=frozenset({GESTORA}))


@pytest.mark.parametrize(
    "identidade, allowed",
    [
        (Identidade(logado=True, email=GESTORA, email_verificado=True), True),
        (Identidade(logado=True, email="GESTORA@Londrina.PR.gov.br", email_verificado=True), True),
        # no email_verified claim at all: not verified, unless the issuer is trusted (below)
        (Identidade(logado=True, email=GESTORA), False),
        (Identidade(logado=True, email=GESTORA, emissor="https://accounts.google.com"), False),
        (Identidade(logado=True, email=GESTORA, email_verificado=False), False),
        (Identidade(logado=True, email="leitor@londrina.pr.gov.br", email_verificado=True), False),
        (Identidade(logado=False, email=GESTORA, email_verificado=True), False),
        (Identidade(logado=True, email=None), False),
        (Identidade(logado=True, email=GESTORA.replace("@", "@x.")), False),
        # a correct password or a local browser does not count when OIDC is configured
        (Identidade(senha_ok=True, local=True), False),
    ],
)
def test_oidc_decision(identidade, allowed):
    assert can_write(OIDC, identidade, OIDC_CONFIG) is allowed


ENTRA = "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"


def test_a_missing_email_verified_counts_only_from_a_trusted_issuer():
    config = auth.config_from(
        {"auth": {}, "pmas": {"gestores": [GESTORA], "emissores_confiaveis": [ENTRA + "/ "]}}, {}
    )
    assert config.emissores_confiaveis == {ENTRA.lower()}
    ours = Identidade(logado=True, email=GESTORA, emissor=ENTRA)
    assert can_write(OIDC, ours, config)
    other_tenant = Identidade(logado=True, email=GESTORA, emissor=ENTRA.replace("9188", "1234"))
    assert not can_write(OIDC, other_tenant, config)
    assert not can_write(OIDC, Identidade(logado=True, email=GESTORA), config)  # no issuer
    said_no = Identidade(logado=True, email=GESTORA, emissor=ENTRA, email_verificado=False)
    assert not can_write(OIDC, said_no, config)
    # a comma-separated string works too
    config = auth.config_from({"auth": {}, "pmas": {"emissores_confiaveis": f"{ENTRA},x"}}, {})
    assert config.emissores_confiaveis == {ENTRA.lower(), "x"}


def test_the_claims_are_read_from_the_id_token():
    from pmas.ui.acesso import identidade_oidc

    claims = {"email": GESTORA, "iss": ENTRA, "email_verified": "true"}
    assert identidade_oidc(claims) == Identidade(
        logado=True, email=GESTORA, emissor=ENTRA, email_verificado=True
    )
    assert identidade_oidc({"email": GESTORA}).email_verificado is None
    assert identidade_oidc({"email": GESTORA, "email_verified": "false"}).email_verificado is False


def test_oidc_without_managers_allows_nobody():
    config = Config(OIDC)
    assert not can_write(OIDC, Identidade(logado=True, email=GESTORA), config)


def test_password_decision():
    config = Config(SENHA, senha="s3nh@-longa")
    assert can_write(SENHA, Identidade(senha_ok=True), config)
    assert not can_write(SENHA, Identidade(), config)
    # the local machine does not bypass the password
    assert not can_write(SENHA, Identidade(local=True), config)
    assert not can_write(SENHA, Identidade(logado=True, email=GESTORA), config)


def test_local_decision():
    config = Config(LOCAL)
    assert can_write(LOCAL, Identidade(local=True), config)
    assert not can_write(LOCAL, Identidade(), config)
    assert not can_write(LOCAL, Identidade(senha_ok=True, logado=True, email=GESTORA), config)


def test_mode_must_be_the_configured_one():
    assert not can_write(LOCAL, Identidade(local=True), Config(SENHA, senha="x"))
    with pytest.raises(ValueError):
        Config("aberto")


def test_names_in_the_history():
    def registro(modo, identidade):
        return auth.actor_de(modo, identidade).registro

    assert registro(OIDC, Identidade(email=" Gestora@X.br")) == "gestora@x.br"
    assert (
        registro(SENHA, Identidade(nome="Maria  da\u00a0Silva"))
        == "Maria da Silva (senha de gestor)"
    )
    assert registro(SENHA, Identidade()) == "gestor (senha de gestor)"
    assert registro(LOCAL, Identidade(local=True)) == "acesso local"
    assert Actor("ana", LINHA_DE_COMANDO).registro == "ana (linha de comando)"
    assert Actor("", LINHA_DE_COMANDO).registro == "usuário desconhecido (linha de comando)"
    assert limpar_nome("Ana\x00\x1b[31m\u202e") == "Ana[31m"
    assert len(limpar_nome("x" * 500)) == 80


def test_an_actor_names_how_it_was_authenticated():
    with pytest.raises(ValueError):
        Actor("ana", "autodeclarado")
    with pytest.raises(SemPermissao) as info:
        exigir(None)
    assert "Só um gestor pode importar" in str(info.value)
    with pytest.raises(SemPermissao):
        exigir(auth.Identidade(senha_ok=True))  # anything but an Actor
    ana = Actor("ana", SENHA)
    assert exigir(ana) is ana


def test_the_command_line_writes_as_the_operating_system_user(monkeypatch):
    from pmas.acesso import actor

    monkeypatch.setattr(actor.getpass, "getuser", lambda: "joana")
    assert actor.linha_de_comando() == Actor("joana", LINHA_DE_COMANDO)

    def no_user():
        raise KeyError("uid 1234")

    monkeypatch.setattr(actor.getpass, "getuser", no_user)
    assert actor.linha_de_comando().registro == "usuário desconhecido (linha de comando)"


# --- the password ------------------------------------------------------------------------------


def test_password_compare_is_constant_time(monkeypatch):
    calls = []
    real = auth.hmac.compare_digest

    def spy(a, b):
        calls.append((type(a), type(b), len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    assert auth.password_matches("ção-secreta", "ção-secreta")
    assert not auth.password_matches("ção-secret", "ção-secreta")
    assert not auth.password_matches("", "")  # an empty password never matches
    # bytes of equal length (digests), so neither the content nor the length leaks
    assert calls and all(c == (bytes, bytes, 32, 32) for c in calls)


def test_password_is_compared_after_unicode_normalisation():
    assert auth.password_matches("cafe\u0301", "café")


def test_failure_delay_grows_and_is_capped():
    delays = [auth.failure_delay(n) for n in range(0, 9)]
    assert delays[0] == 0
    assert delays[1:6] == [1, 2, 4, 8, 16]
    assert max(delays) == auth.DELAY_CAP == 16


def test_wrong_password_waits_longer_each_time_and_right_one_does_not_wait():
    slept = []
    for failures in range(4):
        r = auth.check_password("errada", "certa-e-longa", failures, "10.0.0.1", slept.append)
        assert not r.ok and not r.bloqueado
    assert slept == [1, 2, 4, 8]
    slept.clear()
    assert auth.check_password("certa-e-longa", "certa-e-longa", 3, "10.0.0.1", slept.append).ok
    assert slept == []


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_client_that_fails_too_often_is_locked_out_for_a_while():
    clock = Clock()
    b = auth.Bloqueios(limite=3, janela=600, duracao=900, clock=clock)

    def attempt(senha, cliente="200.1.2.3"):
        return auth.check_password(senha, "certa-e-longa", 0, cliente, lambda _: None, b)

    assert attempt("errada") == auth.Resposta(False)
    clock.now += 601  # failures older than the window are forgotten
    assert attempt("errada") == auth.Resposta(False)
    assert attempt("errada") == auth.Resposta(False)
    third = attempt("errada")
    assert not third.ok and third.bloqueado == 900
    # locked out: even the right password is not compared, and no time is spent on it
    clock.now += 60
    assert attempt("certa-e-longa") == auth.Resposta(False, 840)
    # other clients are not affected
    assert attempt("certa-e-longa", "200.9.9.9").ok
    clock.now += 841
    assert attempt("certa-e-longa").ok
    # a success clears the client's count
    attempt("errada"), attempt("errada"), attempt("certa-e-longa")
    assert attempt("errada") == auth.Resposta(False)


def test_the_clients_remembered_are_bounded(monkeypatch):
    monkeypatch.setattr(auth, "_MAX_CLIENTS", 50)
    b = auth.Bloqueios(limite=3)
    for i in range(500):
        b.falhou(f"10.0.{i // 256}.{i % 256}")
    assert len(b._falhas) == 50


def test_failed_attempts_are_logged_without_the_guess(caplog):
    b = auth.Bloqueios(limite=2)
    log = logging.getLogger("pmas.acesso.auth")  # pmas's loggers do not propagate to the root
    log.addHandler(caplog.handler)
    try:
        with caplog.at_level("INFO", logger="pmas.acesso.auth"):
            for _ in range(3):
                auth.check_password("palpite-secreto", "certa-e-longa", 0, "200.1.2.3", print, b)
    finally:
        log.removeHandler(caplog.handler)
    text = caplog.text
    assert text.count("wrong manager password from client 200.1.2.3") == 2
    assert "locked out for 15 min" in text
    assert "locked-out client 200.1.2.3 refused" in text
    assert "palpite-secreto" not in text and "certa-e-longa" not in text


def test_a_correct_password_never_waits_behind_other_sessions_penalties():
    """Issue #12, item 2: with 3 attacker sessions failing, the manager's correct password took
    47 s. Here six attackers (from six addresses) sit in their penalty at the same time; the
    manager's attempt must come back while they still wait (2 s is generous: the answer needs
    no wait at all, and the old server-wide lock made it wait for all six)."""
    import threading

    release = threading.Event()
    waiting = threading.Semaphore(0)

    def penalty(_seconds):
        waiting.release()
        release.wait(30)

    attackers = [
        threading.Thread(
            target=auth.check_password,
            args=("errada", "certa-e-longa", 4, f"200.1.2.{i}", penalty),
            daemon=True,
        )
        for i in range(6)
    ]
    for t in attackers:
        t.start()
    try:
        for _ in attackers:  # every attacker is inside its penalty
            assert waiting.acquire(timeout=30)
        answer: list = []
        manager = threading.Thread(
            target=lambda: answer.append(
                auth.check_password("certa-e-longa", "certa-e-longa", 0, "10.0.0.7")
            ),
            daemon=True,
        )
        manager.start()
        manager.join(timeout=2)
        assert answer == [auth.Resposta(True)]
    finally:
        release.set()
        for t in attackers:
            t.join(timeout=30)


def test_fingerprint_changes_with_the_password():
    a = auth.password_fingerprint("primeira senha")
    assert a == auth.password_fingerprint("primeira senha")
    assert a != auth.password_fingerprint("segunda senha")
    assert "primeira" not in a


# --- the local machine -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "peer, headers, local",
    [
        ("127.0.0.1", {"Host": "localhost:8501", "Origin": "http://localhost:8501"}, True),
        ("127.0.0.1", {"host": "127.0.0.1:8501"}, True),
        ("::1", {"Host": "[::1]:8501", "Origin": "http://[::1]:8501"}, True),
        ("::ffff:127.0.0.1", {"Host": "localhost"}, True),
        ("127.0.0.5", {"Host": "127.0.0.1"}, True),
        # unknown peer (st.context.ip_address is None both for loopback and for "unknown")
        (None, {"Host": "localhost"}, False),
        ("", {"Host": "localhost"}, False),
        ("192.168.0.10", {"Host": "localhost"}, False),
        ("10.0.0.2", {"Host": "10.0.0.1:8501"}, False),
        # a reverse proxy on the same machine: the peer is loopback, but the rest says otherwise
        ("127.0.0.1", {"Host": "pmas.londrina.pr.gov.br"}, False),
        ("127.0.0.1", {"Host": "localhost", "X-Forwarded-For": "200.1.2.3"}, False),
        ("127.0.0.1", {"Host": "localhost", "Forwarded": "for=200.1.2.3"}, False),
        ("127.0.0.1", {"Host": "localhost", "X-Real-IP": "200.1.2.3"}, False),
        ("127.0.0.1", {"Host": "localhost", "Via": "1.1 proxy"}, False),
        # another site open in the same browser (or a sandboxed page) talking to the local app
        ("127.0.0.1", {"Host": "localhost:8501", "Origin": "https://malicioso.example"}, False),
        ("127.0.0.1", {"Host": "localhost:8501", "Origin": "null"}, False),
        # a page served from another port of this same machine (issue #12, item 7)
        ("127.0.0.1", {"Host": "localhost:8501", "Origin": "http://localhost:9999"}, False),
        ("127.0.0.1", {"Host": "localhost:8501", "Origin": "http://127.0.0.1:8501"}, False),
        ("127.0.0.1", {"Host": "localhost:8501", "Origin": "file://"}, False),
        # DNS rebinding: a public name that resolves to 127.0.0.1
        ("127.0.0.1", {"Host": "localhost.malicioso.example"}, False),
        ("127.0.0.1", {"Host": "127.0.0.1.nip.io"}, False),
        # no Host at all, or a repeated one that is not all loopback
        ("127.0.0.1", {}, False),
        ("127.0.0.1", {"Host": ["localhost", "pmas.example"]}, False),
        ("not an ip", {"Host": "localhost"}, False),
    ],
)
def test_local_request(peer, headers, local):
    assert auth.is_local_request(peer, headers) is local


# What Chromium and Firefox send on the dashboard's WebSocket handshake (recorded from both).
CHROMIUM = {
    "Host": "localhost:8501",
    "Connection": "Upgrade",
    "Pragma": "no-cache",
    "Cache-Control": "no-cache",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
    "Upgrade": "websocket",
    "Origin": "http://localhost:8501",
    "Sec-WebSocket-Version": "13",
    "Accept-Encoding": "gzip, deflate, br, zstd",
    "Accept-Language": "pt-BR,pt;q=0.9",
    "Cookie": "_streamlit_xsrf=2|abc|def|1",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits",
    "Sec-WebSocket-Protocol": "streamlit, xsrf-token",
}
FIREFOX = {
    **CHROMIUM,
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Accept": "*/*",
    "Sec-Fetch-Dest": "empty",
    "Sec-Fetch-Mode": "websocket",
    "Sec-Fetch-Site": "same-origin",
    "Sec-GPC": "1",
    "DNT": "1",
    "Connection": "keep-alive, Upgrade",
}


@pytest.mark.parametrize("browser", [CHROMIUM, FIREFOX], ids=["chromium", "firefox"])
def test_a_real_browsers_handshake_is_local(browser):
    assert auth.is_local_request("127.0.0.1", browser)


@pytest.mark.parametrize(
    "header, value",
    [
        # the ones the attack found still counted as local (issue #12, item 8)
        ("X-Forwarded-Proto", "https"),
        ("X-Envoy-External-Address", "200.1.2.3"),
        ("Fastly-Client-IP", "200.1.2.3"),
        # and the rest of what proxies, tunnels and CDNs add
        ("X-Forwarded-For", "200.1.2.3"),
        ("X-Forwarded-Host", "pmas.example"),
        ("X-Forwarded-Port", "443"),
        ("X-Forwarded-Server", "proxy"),
        ("X-Original-Forwarded-For", "200.1.2.3"),
        ("Forwarded", "for=200.1.2.3"),
        ("X-Real-IP", "200.1.2.3"),
        ("Via", "1.1 proxy"),
        ("CF-Connecting-IP", "200.1.2.3"),
        ("True-Client-IP", "200.1.2.3"),
        ("X-Client-IP", "200.1.2.3"),
        ("X-Cluster-Client-IP", "200.1.2.3"),
        ("X-Azure-ClientIP", "200.1.2.3"),
        ("X-Amzn-Trace-Id", "Root=1-abc"),
        ("X-Request-Id", "abc"),
        ("Ngrok-Trace-Id", "abc"),
        ("X-Qualquer-Coisa-Nova", "1"),
    ],
)
def test_any_header_a_browser_does_not_send_means_not_local(header, value):
    assert auth.is_local_request("127.0.0.1", {**CHROMIUM, header: value}) is False
    assert auth.is_local_request("127.0.0.1", {**CHROMIUM, header.lower(): [value]}) is False


# --- the write paths check by themselves -------------------------------------------------------


def _as(monkeypatch, config: Config, identidade: Identidade) -> None:
    from pmas.ui import acesso

    monkeypatch.setattr(acesso, "config_atual", lambda: config)
    monkeypatch.setattr(acesso, "identidade_atual", lambda _config: identidade)


def test_the_dashboard_refuses_a_reader_in_portuguese_saying_how_to_get_access(monkeypatch):
    from pmas.ui import acesso

    _as(monkeypatch, Config(SENHA, senha="x" * 12), Identidade())
    assert acesso.actor_atual() is None
    with pytest.raises(PermissionError) as info:
        acesso.exigir_actor()
    assert isinstance(info.value, SemPermissao)
    assert "Só um gestor pode importar" in str(info.value)
    assert "senha de gestor" in str(info.value)


def test_the_dashboard_builds_the_actor_from_its_mode(monkeypatch):
    from pmas.ui import acesso

    _as(monkeypatch, OIDC_CONFIG, Identidade(logado=True, email=GESTORA, email_verificado=True))
    assert acesso.exigir_actor() == Actor(GESTORA, OIDC)


def test_outside_a_streamlit_session_nobody_may_write(monkeypatch):
    from pmas.ui import acesso

    monkeypatch.delenv(auth.ENV_SENHA, raising=False)
    assert acesso.actor_atual() is None
    monkeypatch.setenv(auth.ENV_SENHA, "uma senha qualquer")
    assert acesso.actor_atual() is None


def test_a_reader_cannot_write_by_calling_the_services(store, plano):
    data = xlsx({"Metas 2023": [HEADER] + plain_rows()})
    import_file(store, data, "v1.xlsx", plano, usuario="gestora")
    rows = [HEADER] + plain_rows()
    rows[1][8] = "Não realizada"
    import_file(store, xlsx({"Metas 2023": rows}), "v2.xlsx", plano, usuario="gestora")
    before = (store.versions(), store.audit())
    plano_id = store.plan(plano.municipio, plano.nome)[0]
    with pytest.raises(SemPermissao):
        gestao.importar(
            store, plano, "v3.xlsx", xlsx({"Metas 2024": [HEADER] + plain_rows()}), actor=None
        )
    with pytest.raises(SemPermissao):
        gestao.desfazer(store, plano, 2023, actor=None)
    with pytest.raises(SemPermissao):
        gestao.salvar_campos_relatorio(store, plano_id, 2023, {"resolucao": "1/2023"}, actor=None)
    with pytest.raises(TypeError):  # the actor is never optional
        gestao.desfazer(store, plano, 2023)
    assert store.versions() == before[0]
    assert store.audit().equals(before[1])
    assert store.report_fields(plano_id, 2023) == {}


def test_an_actor_imports_undoes_and_saves_under_its_own_name(store, plano):
    maria = Actor("Maria", SENHA)
    first = gestao.importar(
        store, plano, "v1.xlsx", xlsx({"Metas 2023": [HEADER] + plain_rows()}), actor=maria
    )
    rows = [HEADER] + plain_rows()
    rows[1][8] = "Não realizada"
    second = gestao.importar(store, plano, "v2.xlsx", xlsx({"Metas 2023": rows}), actor=maria)
    assert (first.situacao, second.situacao) == ("importado", "importado")
    assert second.versions[0].usuario == "Maria (senha de gestor)"
    back = gestao.desfazer(store, plano, 2023, actor=maria)
    assert back.numero == 1 and back.atual
    plano_id = store.plan(plano.municipio, plano.nome)[0]
    gestao.salvar_campos_relatorio(
        store, plano_id, 2023, {"resolucao": "1/2023"}, actor=Actor("Gestora@X.br", OIDC)
    )
    log = store.audit()
    assert list(log["acao"][:3]) == ["relatorio", "desfazer", "importacao"]
    assert list(log["usuario"][:4]) == ["gestora@x.br"] + ["Maria (senha de gestor)"] * 3
