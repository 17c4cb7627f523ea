"""The year's report through the council: a pure state machine and its storage.

States (see :data:`ESTADOS`): Rascunho → Enviado ao CMAS → Em análise nas comissões → Aprovado
(resolução, data) or Devolvido com recomendações (motivo) → Publicado (veículo, edição, página,
data, link). A returned report can be sent again. Each step is one row of ``relatorio_etapas``
(who, when, what was typed) and one line of the audit log; only a manager moves a report (the
caller passes the manager's name, from :func:`pmas.acesso.auth.require_manager` on the screen,
or the CLI's ``--usuario``).

**Approval freezes what was approved**: the ids, numbers and file SHA-256 of the year's current
data versions, a SHA-256 of the data itself, and the generated document with its SHA-256
(``relatorio_aprovado``). A later import or undo of that year is warned about
(:func:`aviso_importacao`, :func:`substituicao`), and the report then says which version the
council approved.

The steps also fill the report's fields (``resolucao``, ``data_aprovacao``; ``veiculo``,
``edicao``, ``pagina``, ``data_publicacao``, ``link``), so that the document cites them.

Consistency checks warn and never block (:func:`verificacoes`): a resolution dated before the
council's meeting, a resolution number whose year differs from the approval date's, a
publication before the approval.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update

from pmas import textos
from pmas.dados import store as st
from pmas.dados.store import Store

RASCUNHO = "rascunho"
ENVIADO = "enviado"
EM_ANALISE = "em_analise"
APROVADO = "aprovado"
DEVOLVIDO = "devolvido"
PUBLICADO = "publicado"
ESTADOS = (RASCUNHO, ENVIADO, EM_ANALISE, APROVADO, DEVOLVIDO, PUBLICADO)

# action → (states it may start from, state it leads to)
TRANSICOES: dict[str, tuple[tuple[str, ...], str]] = {
    "enviar": ((RASCUNHO, DEVOLVIDO), ENVIADO),
    "analisar": ((ENVIADO,), EM_ANALISE),
    "aprovar": ((ENVIADO, EM_ANALISE), APROVADO),
    "devolver": ((ENVIADO, EM_ANALISE), DEVOLVIDO),
    "publicar": ((APROVADO,), PUBLICADO),
}
# what each action needs typed (required, optional)
DADOS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "enviar": ((), ()),
    "analisar": ((), ("comissoes",)),
    "aprovar": (("resolucao", "data"), ("reuniao",)),
    "devolver": (("motivo",), ()),
    "publicar": (("veiculo", "edicao", "data"), ("pagina", "link")),
}
DATAS = ("data", "reuniao")
# the report fields a step fills in
CAMPOS_DA_ETAPA: dict[str, dict[str, str]] = {
    "aprovar": {"resolucao": "resolucao", "data": "data_aprovacao", "reuniao": "data_reuniao"},
    "publicar": {
        "veiculo": "veiculo",
        "edicao": "edicao",
        "pagina": "pagina",
        "data": "data_publicacao",
        "link": "link",
    },
}
CONGELA = (APROVADO, PUBLICADO)  # states in which the approved version is frozen
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_RESOLUCAO_ANO = re.compile(r"(?:^|\D)(\d{4})\s*$|/(\d{2})\s*$")


class TransicaoInvalida(ValueError):
    """A step that cannot be taken from the current state, or with missing/invalid data (the
    message is in Portuguese, ready for the screen or the CLI)."""


# --- the pure part --------------------------------------------------------------------------


def proximo(estado: str, acao: str) -> str:
    """The state ``acao`` leads to from ``estado``; raises :class:`TransicaoInvalida`."""
    if acao not in TRANSICOES:
        raise TransicaoInvalida(textos.APROVACAO["acao_desconhecida"].format(acao=acao))
    origens, destino = TRANSICOES[acao]
    if estado not in origens:
        raise TransicaoInvalida(
            textos.APROVACAO["transicao_invalida"].format(
                acao=textos.APROVACAO_ACOES[acao],
                estado=textos.APROVACAO_ESTADOS[estado],
                permitidas=", ".join(
                    textos.APROVACAO_ACOES[a] for a in acoes_possiveis(estado)
                ).lower()
                or "nenhuma",
            )
        )
    return destino


def acoes_possiveis(estado: str) -> list[str]:
    """The actions that may be taken from ``estado``, in the order of :data:`TRANSICOES`."""
    return [a for a, (origens, _) in TRANSICOES.items() if estado in origens]


def parse_data(text: object) -> dt.date | None:
    """ "08/11/2023" (or a date) → date; None for anything else."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    m = _DATE.match(str(text or "").strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def limpar_dados(acao: str, dados: dict | None) -> dict:
    """The step's data as stored (trimmed text, dates "dd/mm/aaaa"); raises
    :class:`TransicaoInvalida` naming every missing or malformed field."""
    obrigatorios, opcionais = DADOS[acao]
    rotulos = textos.APROVACAO_DADOS
    out: dict[str, str] = {}
    erros: list[str] = []
    for nome in (*obrigatorios, *opcionais):
        valor = (dados or {}).get(nome)
        if nome == "comissoes" and isinstance(valor, (list, tuple)):
            valor = "; ".join(str(v).strip() for v in valor if str(v).strip())
        if nome in DATAS and isinstance(valor, dt.date):
            valor = valor.strftime("%d/%m/%Y")
        texto = " ".join(str(valor).split()) if valor is not None else ""
        if not texto:
            if nome in obrigatorios:
                erros.append(textos.APROVACAO["falta"].format(campo=rotulos[nome]))
            continue
        if nome in DATAS:
            d = parse_data(texto)
            if d is None:
                erros.append(
                    textos.APROVACAO["data_invalida"].format(campo=rotulos[nome], valor=texto)
                )
                continue
            texto = d.strftime("%d/%m/%Y")
        if nome == "link" and not re.match(r"^https?://\S+$", texto):
            erros.append(textos.APROVACAO["link_invalido"].format(valor=texto))
            continue
        out[nome] = texto[:2000]
    if erros:
        raise TransicaoInvalida(" ".join(erros))
    return out


def resolucao_ano(numero: str | None) -> int | None:
    """The year a resolution number carries: "083/2022" → 2022, "12/23" → 2023; None if none."""
    if not numero:
        return None
    m = _RESOLUCAO_ANO.search(str(numero).strip())
    if not m:
        return None
    if m.group(1):
        return int(m.group(1))
    return 2000 + int(m.group(2))


def verificacoes(campos: dict) -> list[str]:
    """Consistency warnings (Portuguese) on the report's approval fields; they never block."""
    avisos = []
    aprov = parse_data(campos.get("data_aprovacao"))
    reuniao = parse_data(campos.get("data_reuniao"))
    publ = parse_data(campos.get("data_publicacao"))
    t = textos.APROVACAO
    if aprov and reuniao and aprov < reuniao:
        avisos.append(
            t["antes_da_reuniao"].format(
                aprovacao=campos["data_aprovacao"], reuniao=campos["data_reuniao"]
            )
        )
    ano_res = resolucao_ano(campos.get("resolucao"))
    if aprov and ano_res and ano_res != aprov.year:
        avisos.append(
            t["ano_da_resolucao"].format(
                resolucao=campos["resolucao"], ano=ano_res, aprovacao=campos["data_aprovacao"]
            )
        )
    if aprov and publ and publ < aprov:
        avisos.append(
            t["publicacao_antes"].format(
                publicacao=campos["data_publicacao"], aprovacao=campos["data_aprovacao"]
            )
        )
    return avisos


# --- what is stored -------------------------------------------------------------------------


@dataclass(frozen=True)
class Etapa:
    acao: str
    estado: str
    quando: dt.datetime
    usuario: str
    dados: dict


@dataclass(frozen=True)
class Congelado:
    """What an approval froze."""

    versoes: list[dict]  # [{"id", "numero", "arquivo_sha256"}]
    dados_sha256: str
    documento_sha256: str | None
    quando: dt.datetime
    usuario: str

    @property
    def numeros(self) -> str:
        return ", ".join(str(v["numero"]) for v in self.versoes)


@dataclass(frozen=True)
class Situacao:
    ano: int
    estado: str = RASCUNHO
    etapas: list[Etapa] = field(default_factory=list)
    congelado: Congelado | None = None

    @property
    def rotulo(self) -> str:
        return textos.APROVACAO_ESTADOS[self.estado]

    def ultima(self, acao: str) -> Etapa | None:
        for e in reversed(self.etapas):
            if e.acao == acao:
                return e
        return None

    def as_dict(self) -> dict:
        c = self.congelado
        return {
            "ano": self.ano,
            "estado": self.estado,
            "rotulo": self.rotulo,
            "acoes_possiveis": acoes_possiveis(self.estado),
            "etapas": [
                {
                    "acao": e.acao,
                    "estado": e.estado,
                    "rotulo": textos.APROVACAO_ESTADOS[e.estado],
                    "quando": e.quando.isoformat(),
                    "usuario": e.usuario,
                    "dados": e.dados,
                }
                for e in self.etapas
            ],
            "aprovado": None
            if c is None
            else {
                "versoes": c.versoes,
                "dados_sha256": c.dados_sha256,
                "documento_sha256": c.documento_sha256,
                "quando": c.quando.isoformat(),
                "usuario": c.usuario,
            },
        }


def situacao(store: Store, plano_id: int, ano: int) -> Situacao:
    """The year's report state, its timeline (oldest first) and what its approval froze."""
    e, a = st.relatorio_etapas, st.relatorio_aprovado
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(e).where(e.c.plano_id == plano_id, e.c.ano == ano).order_by(e.c.id)
        ).all()
        frozen = conn.execute(
            select(a, e.c.quando, e.c.usuario)
            .join(e, e.c.id == a.c.etapa_id)
            .where(a.c.plano_id == plano_id, a.c.ano == ano)
            .order_by(a.c.id.desc())
        ).first()
    etapas = [Etapa(r.acao, r.estado, r.quando, r.usuario, json.loads(r.dados)) for r in rows]
    congelado = None
    if frozen is not None and etapas and etapas[-1].estado in CONGELA:
        congelado = Congelado(
            json.loads(frozen.versoes),
            frozen.dados_sha256,
            frozen.documento_sha256,
            frozen.quando,
            frozen.usuario,
        )
    return Situacao(ano, etapas[-1].estado if etapas else RASCUNHO, etapas, congelado)


def estados(store: Store, plano_id: int) -> dict[int, str]:
    """Each year's report state (years with no step are Rascunho and left out)."""
    e = st.relatorio_etapas
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(e.c.ano, e.c.estado).where(e.c.plano_id == plano_id).order_by(e.c.id)
        ).all()
    return {r.ano: r.estado for r in rows}


def impressao_dos_dados(store: Store, plano_id: int, ano: int) -> tuple[list[dict], str]:
    """The year's current versions (id, number, file SHA-256) and a SHA-256 of their rows."""
    versoes = sorted(
        (v for v in store.current_versions(plano_id) if v.ano == ano), key=lambda v: v.id
    )
    h = hashlib.sha256()
    for tabela in st.DATA_TABLES:
        frame = store.load(tabela, plano_id, [ano]).drop(columns=["versao_id"], errors="ignore")
        h.update(tabela.encode())
        h.update(frame.to_csv(index=False).encode())
    return (
        [{"id": v.id, "numero": v.numero, "arquivo_sha256": v.arquivo_sha256} for v in versoes],
        h.hexdigest(),
    )


def mover(
    store: Store,
    plano_id: int,
    ano: int,
    acao: str,
    *,
    usuario: str,
    dados: dict | None = None,
    documento: bytes | None = None,
) -> Situacao:
    """Take one step (one transaction): check it, record it with who and when, write the audit
    log, fill the report fields it carries and, on approval, freeze the data versions and the
    ``documento`` (the generated .docx). Raises :class:`TransicaoInvalida`."""
    limpos = limpar_dados(acao, dados)
    versoes, sha_dados = (
        impressao_dos_dados(store, plano_id, ano) if acao == "aprovar" else ([], "")
    )
    agora = dt.datetime.now().replace(microsecond=0)
    e = st.relatorio_etapas
    with store._writer.begin() as conn:
        store._lock_plan(conn, plano_id)
        ultimo = conn.execute(
            select(e.c.estado)
            .where(e.c.plano_id == plano_id, e.c.ano == ano)
            .order_by(e.c.id.desc())
        ).first()
        destino = proximo(ultimo.estado if ultimo else RASCUNHO, acao)
        etapa_id: int = conn.execute(
            insert(e)
            .values(
                plano_id=plano_id,
                ano=ano,
                acao=acao,
                estado=destino,
                quando=agora,
                usuario=usuario,
                dados=json.dumps(limpos, ensure_ascii=False),
            )
            .returning(e.c.id)
        ).scalar_one()
        if acao == "aprovar":
            conn.execute(
                insert(st.relatorio_aprovado).values(
                    etapa_id=etapa_id,
                    plano_id=plano_id,
                    ano=ano,
                    versoes=json.dumps(versoes),
                    dados_sha256=sha_dados,
                    documento=documento,
                    documento_sha256=hashlib.sha256(documento).hexdigest() if documento else None,
                )
            )
        if acao in CAMPOS_DA_ETAPA:
            _fill_fields(conn, plano_id, ano, limpos, CAMPOS_DA_ETAPA[acao], usuario, agora)
        detalhe = textos.APROVACAO_ESTADOS[destino]
        if limpos:
            detalhe += " (" + "; ".join(f"{k}: {v}" for k, v in limpos.items()) + ")"
        conn.execute(
            insert(st.auditoria).values(
                quando=agora,
                usuario=usuario,
                acao="aprovacao",
                plano_id=plano_id,
                ano=ano,
                detalhe=detalhe[:2000],
            )
        )
    return situacao(store, plano_id, ano)


def _fill_fields(conn, plano_id, ano, limpos, mapa, usuario, agora) -> None:
    t = st.relatorio_campos
    row = conn.execute(select(t.c.campos).where(t.c.plano_id == plano_id, t.c.ano == ano)).first()
    campos = json.loads(row.campos) if row else {}
    for origem, destino in mapa.items():
        if origem in limpos:
            campos[destino] = limpos[origem]
    text = json.dumps(campos, ensure_ascii=False)
    if row:
        conn.execute(
            update(t)
            .where(t.c.plano_id == plano_id, t.c.ano == ano)
            .values(campos=text, atualizado_em=agora, atualizado_por=usuario)
        )
    else:
        conn.execute(
            insert(t).values(
                plano_id=plano_id,
                ano=ano,
                campos=text,
                atualizado_em=agora,
                atualizado_por=usuario,
            )
        )


def documento_aprovado(store: Store, plano_id: int, ano: int) -> tuple[bytes, str] | None:
    """The document the approval froze, with its SHA-256 (None if not approved or not kept)."""
    a = st.relatorio_aprovado
    with store.engine.connect() as conn:
        row = conn.execute(
            select(a.c.documento, a.c.documento_sha256)
            .where(a.c.plano_id == plano_id, a.c.ano == ano)
            .order_by(a.c.id.desc())
        ).first()
    if row is None or row.documento is None:
        return None
    return bytes(row.documento), row.documento_sha256


def substituicao(store: Store, plano_id: int, ano: int) -> str | None:
    """When the year's approved data versions are no longer the current ones: a sentence saying
    which version the council approved and which one is current (None otherwise)."""
    s = situacao(store, plano_id, ano)
    if s.congelado is None:
        return None
    atuais = sorted(
        (v for v in store.current_versions(plano_id) if v.ano == ano), key=lambda v: v.id
    )
    if [v.id for v in atuais] == [v["id"] for v in s.congelado.versoes]:
        return None
    aprov = s.ultima("aprovar")
    return textos.APROVACAO["substituida"].format(
        ano=ano,
        aprovada=s.congelado.numeros or "—",
        atual=", ".join(str(v.numero) for v in atuais) or "—",
        resolucao=(aprov.dados.get("resolucao") if aprov else None) or "—",
        data=(aprov.dados.get("data") if aprov else None) or "—",
    )


def aviso_importacao(store: Store, plano_id: int | None, anos: list[int]) -> list[str]:
    """Before (or after) an import or undo touching ``anos``: one warning per year whose report
    the council already approved, saying that the approved version is being replaced."""
    if plano_id is None:
        return []
    out = []
    for ano in sorted(set(anos)):
        s = situacao(store, plano_id, ano)
        if s.congelado is None:
            continue
        aprov = s.ultima("aprovar")
        out.append(
            textos.APROVACAO["aviso_importacao"].format(
                ano=ano,
                resolucao=(aprov.dados.get("resolucao") if aprov else None) or "—",
                aprovada=s.congelado.numeros or "—",
            )
        )
    return out
