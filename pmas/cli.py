"""``python -m pmas …``: the command line that mirrors the dashboard.

Exit codes: 0 done, 1 the file was rejected or there is no data for what was asked, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import re
import sys
import threading
from pathlib import Path

from pmas import fmt, textos
from pmas.acesso import gestao
from pmas.acesso.actor import linha_de_comando
from pmas.analise import consulta
from pmas.dados.plano import Eixo, Plano
from pmas.dados.store import NothingToUndo, PlanoRecusado, Store, database_url
from pmas.entrada import mapa as mapa_mod
from pmas.entrada.eixos import eixos_da_planilha
from pmas.entrada.pipeline import Analysis, ImportResult, analyse_isolated
from pmas.textos import CLI as T
from pmas.textos import CLI_AJUDA as AJUDA
from pmas.textos import CLI_COMANDOS as COMANDOS
from pmas.textos import PLANO as T_PLANO
from pmas.textos import TABELAS


class _Parser(argparse.ArgumentParser):
    """Portuguese help and usage errors (exit 2): argparse's messages are translated by
    ``textos.CLI_ARGPARSE`` (no argparse internals are patched)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--ajuda", "--help", action="help", help=AJUDA["ajuda"])

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", f"{AJUDA['uso']}: ", 1)

    def format_help(self) -> str:
        text = super().format_help().replace("usage: ", f"{AJUDA['uso']}: ", 1)
        text = text.replace("\noptions:\n", f"\n{AJUDA['opcoes']}:\n")
        return text.replace("\npositional arguments:\n", f"\n{AJUDA['argumentos']}:\n")

    def error(self, message: str):
        for pattern, repl in textos.CLI_ARGPARSE:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, repl, message)
                break
        self.print_usage(sys.stderr)
        _erro_uso(message)
        sys.exit(2)


def _erro_uso(texto: str) -> None:
    print(T["erro_uso"].format(erro=texto), file=sys.stderr)


# Options every command accepts, before or after the command's name (defaults in _DEFAULTS:
# SUPPRESS here, so the value given on one side is never overwritten by the other's default).
_COMUM = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
_COMUM.add_argument("--banco", help=AJUDA["banco"])
_COMUM.add_argument("--municipio", help=AJUDA["municipio"])
_COMUM.add_argument("--plano", help=AJUDA["plano"])
_COMUM.add_argument("--formato", choices=("texto", "json"), help=AJUDA["formato"])
_DEFAULTS = {"banco": None, "municipio": None, "plano": None, "formato": "texto"}


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m pmas",
        description=AJUDA["descricao"],
        parents=[_COMUM],
    )
    sub = p.add_subparsers(dest="comando", parser_class=_Parser, metavar=AJUDA["comando"])

    def comando(name: str, help: str, parent=sub) -> argparse.ArgumentParser:
        return parent.add_parser(name, help=help, description=help, parents=[_COMUM])

    imp = comando("importar", COMANDOS["importar"])
    imp.add_argument("arquivo", type=Path)
    imp.add_argument("--ano", type=int, help=AJUDA["importar_ano"])
    imp.add_argument("--simular", action="store_true", help=AJUDA["simular"])
    imp.add_argument("--mapa", type=Path, help=AJUDA["mapa"])
    imp.add_argument("--salvar-mapa", action="store_true", help=AJUDA["salvar_mapa"])
    imp.add_argument("--reducao", choices=("sim", "nao"), help=AJUDA["reducao"])
    imp.add_argument("--atualizar-plano", action="store_true", help=AJUDA["atualizar_plano"])

    res = comando("resumo", COMANDOS["resumo"])
    res.add_argument("--ano", type=int)

    comando("versoes", COMANDOS["versoes"])

    des = comando("desfazer", COMANDOS["desfazer"])
    des.add_argument("--ano", type=int, required=True)

    cop = comando("copiar-banco", COMANDOS["copiar_banco"])
    cop.add_argument("--saida", type=Path, required=True)

    exd = comando("exportar-dados", COMANDOS["exportar_dados"])
    exd.add_argument("--pasta", type=Path, required=True, help=AJUDA["pasta"])
    exd.add_argument("--com-exemplo", action="store_true", help=AJUDA["com_exemplo"])

    ger = comando("gerar-estado", COMANDOS["gerar_estado"])
    ger.add_argument("--municipios", type=int, default=400)
    ger.add_argument("--metas", type=int, default=150, help=AJUDA["metas"])

    comp = comando("comparar", COMANDOS["comparar"])
    comp.add_argument("--de", type=int, required=True, help=AJUDA["de"])
    comp.add_argument("--para", type=int, required=True, help=AJUDA["para"])

    ban = comando("banco", COMANDOS["banco"])
    ban_sub = ban.add_subparsers(dest="acao_banco", parser_class=_Parser, metavar=AJUDA["acao"])
    ban_sub.required = True
    comando("atualizar", COMANDOS["banco_atualizar"], ban_sub)

    pla = comando("plano", COMANDOS["plano"])
    pla_sub = pla.add_subparsers(dest="acao_plano", parser_class=_Parser, metavar=AJUDA["acao"])
    pla_sub.required = True
    cri = comando("criar", COMANDOS["plano_criar"], pla_sub)
    cri.add_argument("--uf", default="", help=AJUDA["uf"])
    cri.add_argument("--ibge", default="", help=AJUDA["ibge"])
    cri.add_argument("--nome", required=True, help=AJUDA["nome_plano"])
    cri.add_argument("--inicio", type=int, required=True, help=AJUDA["inicio"])
    cri.add_argument("--fim", type=int, required=True, help=AJUDA["fim"])
    eixos = cri.add_mutually_exclusive_group(required=True)
    eixos.add_argument("--eixo", action="append", metavar=AJUDA["n_nome"], help=AJUDA["eixo"])
    eixos.add_argument(
        "--eixos-da-planilha",
        type=Path,
        metavar=AJUDA["arquivo"],
        help=AJUDA["eixos_da_planilha"],
    )
    comando("listar", COMANDOS["plano_listar"], pla_sub)
    comando("mostrar", COMANDOS["plano_mostrar"], pla_sub)
    pro = comando("proximo", COMANDOS["plano_proximo"], pla_sub)
    pro.add_argument("--inicio", type=int, required=True)
    pro.add_argument("--fim", type=int, required=True)
    pro.add_argument("--nome", help=AJUDA["nome_proximo"])

    exe = comando("exemplo", COMANDOS["exemplo"])
    exe_sub = exe.add_subparsers(dest="acao_exemplo", parser_class=_Parser, metavar=AJUDA["acao"])
    exe_sub.required = True
    comando("remover", COMANDOS["exemplo_remover"], exe_sub)

    rel = comando("relatorio", COMANDOS["relatorio"])
    rel.add_argument("--ano", type=int, required=True, help=AJUDA["ano_relatorio"])
    rel.add_argument("--saida", type=Path, help=AJUDA["saida_docx"])
    rel.add_argument("--campos", type=Path, help=AJUDA["campos"])
    rel.add_argument("--pdf", action="store_true", help=AJUDA["pdf"])
    rel.add_argument("--sem-graficos", action="store_true", help=AJUDA["sem_graficos"])
    apr = comando("aprovacao", COMANDOS["aprovacao"])
    apr.add_argument("--ano", type=int, required=True, help=AJUDA["ano_relatorio"])
    etapas = apr.add_subparsers(
        dest="acao", parser_class=_Parser, metavar=AJUDA["acao"], required=True
    )
    comando("mostrar", COMANDOS["aprovacao_mostrar"], etapas)
    comando("enviar", COMANDOS["aprovacao_enviar"], etapas)
    an = comando("analisar", COMANDOS["aprovacao_analisar"], etapas)
    an.add_argument("--comissoes", help=AJUDA["comissoes"])
    ap = comando("aprovar", COMANDOS["aprovacao_aprovar"], etapas)
    ap.add_argument("--resolucao", required=True, help=AJUDA["resolucao"])
    ap.add_argument("--data", required=True, help=AJUDA["data_aprovacao"])
    ap.add_argument("--reuniao", help=AJUDA["reuniao"])
    ap.add_argument("--documento", type=Path, help=AJUDA["documento"])
    ap.add_argument("--sem-graficos", action="store_true", help=AJUDA["documento_sem_graficos"])
    dv = comando("devolver", COMANDOS["aprovacao_devolver"], etapas)
    dv.add_argument("--motivo", required=True, help=AJUDA["motivo"])
    pb = comando("publicar", COMANDOS["aprovacao_publicar"], etapas)
    pb.add_argument("--veiculo", required=True, help=AJUDA["veiculo"])
    pb.add_argument("--edicao", required=True)
    pb.add_argument("--data", required=True, help=AJUDA["data_publicacao"])
    pb.add_argument("--pagina")
    pb.add_argument("--link")

    dlb = comando("deliberacoes", COMANDOS["deliberacoes"])
    dlb.add_argument("--edicao", type=int, help=AJUDA["edicao_padrao"])
    dlb.add_argument("--ano", type=int, help=AJUDA["ano_plano"])

    dev = comando("devolutiva", COMANDOS["devolutiva"])
    dev.add_argument("--edicao", type=int, required=True, help=AJUDA["edicao"])
    dev.add_argument("--ano", type=int, help=AJUDA["ano_plano"])
    dev.add_argument("--saida", type=Path, required=True, help=AJUDA["saida_docx"])
    return p


# The stores the command opened, when run() collects them to close them before it exits (main()
# alone, as the tests call it, keeps none: they close when they are no longer used).
_ABERTOS: list[Store] | None = None


class _BancoInacessivel(Exception):
    """The --banco given (or the default) cannot be opened: said in Portuguese by main()."""


def _sem_senha(url: str) -> str:
    """A database URL as it may be shown: its password masked."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _store(args) -> Store:
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    try:
        store = Store(args.banco)
    except (ArgumentError, NoSuchModuleError, OperationalError, ImportError, OSError) as exc:
        raise _BancoInacessivel(args.banco or database_url()) from exc
    if _ABERTOS is not None:
        _ABERTOS.append(store)
    return store


def _mapa(store: Store, plano, args):
    """The mappings kept with the plan, plus the --mapa file's (OSError, MapaInvalido)."""
    mapa = mapa_mod.saved(store, plano)
    if args.mapa is not None:
        dado = mapa_mod.Mapa.from_json(args.mapa.read_text(encoding="utf-8-sig"))
        mapa = mapa.with_(dado.colunas, dado.situacoes, dado.reducao)
    return mapa


def _mapa_de(store: Store, plano, args):
    """:func:`_mapa` for a plan that may not be stored yet (only the --mapa file's then)."""
    if plano is None or store.plan(plano.municipio, plano.nome) is None:
        mapa = mapa_mod.Mapa()
        if args.mapa is not None:
            dado = mapa_mod.Mapa.from_json(args.mapa.read_text(encoding="utf-8-sig"))
            mapa = mapa.with_(dado.colunas, dado.situacoes, dado.reducao)
        return mapa
    return _mapa(store, plano, args)


def cmd_importar(args) -> int:
    if not args.arquivo.is_file():
        print(T["arquivo_nao_encontrado"].format(arquivo=args.arquivo), file=sys.stderr)
        return 2
    store = _store(args)
    data = args.arquivo.read_bytes()
    atualizar, info = False, None
    try:
        # A first look with one of the municipality's plans (or none) tells whether the file
        # carries its plan (a Plano sheet) and the years of the data; the plan it describes, or
        # else the one in force in those years, is the one the file is checked against.
        try:
            _, plano = consulta.plan_to_import(
                store, args.municipio, args.plano, None, args.arquivo
            )
            sem_plano = None
        except consulta.SemDados as exc:
            if args.plano is not None:
                raise
            plano, sem_plano = None, exc
        mapa = _mapa_de(store, plano, args)
        analysis: Analysis | None = analyse_isolated(
            data, args.arquivo.name, plano, args.ano, mapa=mapa or None, plano_do_arquivo=True
        )
        assert analysis is not None
        if analysis.plano_arquivo is not None:
            plano, analysis, info = _plano_da_planilha(store, analysis, args)
            if plano is None:
                return 1
            atualizar = info.situacao == gestao.DIFERENTE
            mapa = _mapa_de(store, plano, args)
        elif analysis.aba_plano is not None and not analysis.ok:
            _print_import(ImportResult("rejeitado", analysis))  # the Plano sheet is wrong
            return 1
        elif sem_plano is not None:
            raise sem_plano
        elif args.plano is None and plano is not None and analysis.anos_plano:
            _, certo = consulta.plan_to_import(
                store, plano.municipio, None, analysis.anos_plano, args.arquivo
            )
            if certo != plano:
                plano, analysis = certo, None
                mapa = _mapa(store, plano, args)
        if args.reducao:
            # the answer covers the goals of this file that ask for it (DOMAIN.md: confirmed)
            vista = analysis or analyse_isolated(
                data, args.arquivo.name, plano, args.ano, mapa=mapa or None, plano_do_arquivo=True
            )
            if vista.reducoes_pendentes:
                mapa = mapa.with_(reducao={t: args.reducao for t in vista.reducoes_pendentes})
                analysis = None
    except consulta.SemDados as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError:
        print(textos.MAPA["arquivo_ilegivel"].format(arquivo=args.mapa), file=sys.stderr)
        return 2
    except mapa_mod.MapaInvalido as exc:
        print(str(exc), file=sys.stderr)
        return 2
    assert plano is not None  # without one, the file was refused above
    try:
        result = gestao.importar(
            store,
            plano,
            args.arquivo.name,
            data,
            actor=linha_de_comando(),
            ano=args.ano,
            analysis=analysis,
            simular=args.simular,
            mapa=mapa or None,
            salvar_mapa=args.salvar_mapa,
            atualizar_plano=atualizar,
        )
    except PlanoRecusado as exc:  # changed meanwhile, or real data sent to the example's plan
        prefixo = "" if plano.exemplo else T_PLANO["plano_recusado"] + " "
        print(prefixo + " ".join(exc.mensagens), file=sys.stderr)
        return 1
    if args.formato == "json":
        print(
            json.dumps(
                {
                    **result.as_dict(),
                    "mapa": mapa.as_dict() if mapa else None,
                    "plano": {
                        "municipio": plano.municipio,
                        "nome": plano.nome,
                        "aba_plano": None
                        if info is None
                        else ("atualizar" if atualizar else info.situacao),
                    },
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _print_import(result)
        if info is not None and result.situacao in ("importado", "simulado"):
            feito = result.situacao == "importado"
            if info.situacao == gestao.CRIAR:
                print(
                    T_PLANO["foi_criado" if feito else "sera_criado"].format(
                        nome=plano.nome,
                        municipio=plano.municipio,
                        periodo=plano.periodo,
                        n=len(plano.eixos),
                    )
                )
            elif atualizar:
                print(T_PLANO["plano_atualizado" if feito else "plano_seria_atualizado"])
        if args.salvar_mapa and mapa:
            key = "mapa_salvo" if result.situacao == "importado" else "mapa_nao_salvo"
            print(textos.MAPA[key])
    return 1 if result.situacao == "rejeitado" else 0


def _plano_da_planilha(store: Store, analysis, args):
    """The plan of the file's Plano sheet, against the stored ones: (plan, analysis, the
    comparison), or (None, None, None) after saying why the file is refused."""
    pa = analysis.plano_arquivo
    municipio = args.municipio
    if municipio is not None and municipio != pa.municipio:
        print(
            T_PLANO["outro_municipio"].format(municipio=municipio, arquivo=pa.municipio),
            file=sys.stderr,
        )
        return None, None, None
    if args.plano is not None and args.plano != pa.nome:
        print(T_PLANO["outro_plano"].format(plano=args.plano, arquivo=pa.nome), file=sys.stderr)
        return None, None, None
    info = gestao.plano_do_arquivo(store, pa)
    if info.situacao == gestao.DIFERENTE and not args.atualizar_plano:
        assert info.guardado is not None
        print(
            T_PLANO["plano_difere"].format(plano=info.guardado.titulo, municipio=pa.municipio),
            file=sys.stderr,
        )
        for d in info.diferencas:
            print(f"  - {d}", file=sys.stderr)
        print(T_PLANO["plano_difere_acao"], file=sys.stderr)
        return None, None, None
    if info.problemas and info.situacao != gestao.IGUAL:
        print(T_PLANO["plano_recusado"], file=sys.stderr)
        for m in info.problemas:
            print(f"  - {m}", file=sys.stderr)
        return None, None, None
    # The analysis was made with the file's plan: the same eixos as the plan stored on import.
    return info.plano, analysis, info


def _print_import(result) -> None:
    a = result.analysis
    rel = a.relatorio
    print(f"{textos.CLI_SITUACAO[result.situacao]}.")
    print(
        T["importacao_arquivo"].format(
            arquivo=a.filename,
            tamanho=fmt.tamanho(a.size),
            linhas=fmt.numero(a.linhas),
            anos=", ".join(map(str, a.anos)) or "—",
        )
    )
    print(
        T["importacao_contagem"].format(erros=fmt.numero(rel.erros), avisos=fmt.numero(rel.avisos))
    )
    c = rel.contagens
    if c.get("linhas_lidas"):
        print(textos.MAPA["contagens"].format(**{k: fmt.numero(v) for k, v in c.items()}))
    for texto, itens in (
        (textos.MAPA["colunas_desconhecidas"], a.colunas_desconhecidas),
        (textos.MAPA["situacoes_desconhecidas"], a.situacoes_desconhecidas),
        (textos.MAPA["reducoes_pendentes"], a.reducoes_pendentes),
    ):
        if itens:
            print(texto.format(itens=", ".join(f"“{i}”" for i in itens)))
    for f in rel.achados:
        where = ", ".join(
            x
            for x in (
                T["achado_aba"].format(aba=f.aba) if f.aba else "",
                T["achado_linha"].format(linha=f.linha) if f.linha else "",
                T["achado_coluna"].format(coluna=f.coluna) if f.coluna else "",
            )
            if x
        )
        print(f"  [{f.nivel.upper()}] {f.mensagem}" + (f" ({where})" if where else ""))
        if f.acao:
            print(f"      → {f.acao}")
    for v in result.versions:
        print(T["versao_gravada"].format(ano=v.ano, numero=v.numero))


def cmd_resumo(args) -> int:
    store = _store(args)
    try:
        data = consulta.resumo(store, args.ano, args.municipio, args.plano)
    except consulta.SemDados as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.formato == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(
        T["resumo_titulo"].format(municipio=data["municipio"], plano=data["plano"], ano=data["ano"])
    )
    header = (
        f"{T['col_eixo']:<62} {T['col_metas']:>6} {T['col_avaliaveis']:>10} {T['col_realiz']:>9} "
        f"{T['col_real_parc']:>13} {T['col_indice']:>7}"
    )
    print(header)
    print("-" * len(header))
    rows = [(f"{e['numero']}. {e['nome']}", e) for e in data["eixos"]] + [
        (T["col_total"], data["total"])
    ]
    for name, f in rows:
        print(
            f"{name[:62]:<62} {fmt.numero(f['metas']):>6} {fmt.numero(f['avaliaveis']):>10} "
            f"{fmt.pct(f['pct_realizadas']):>9} {fmt.pct(f['pct_realizadas_ou_parciais']):>13} "
            f"{fmt.pct(f['indice_cumprimento']):>7}"
        )
    for c in data["conferencias"]:
        print(
            T["conferencias"].format(
                ano=c["ano"],
                participantes_pre=fmt.numero(c["participantes_pre_conferencias"]),
                pre=fmt.numero(c["pre_conferencias"]),
                participantes_municipal=fmt.numero(c["participantes_conferencia_municipal"]),
                delegados=fmt.numero(c["delegados"]),
            )
        )
    return 0


def cmd_versoes(args) -> int:
    store = _store(args)
    versions = store.versions(args.municipio)
    if args.plano is not None:
        versions = [v for v in versions if v.plano == args.plano]
    if args.formato == "json":
        print(
            json.dumps(
                [
                    {
                        "municipio": v.municipio,
                        "plano": v.plano,
                        "ano": v.ano,
                        "versao": v.numero,
                        "atual": v.atual,
                        "usuario": v.usuario,
                        "criado_em": v.criado_em.isoformat(),
                        "arquivo": v.arquivo_nome,
                        "sha256": v.arquivo_sha256,
                        "metas": v.n_metas,
                        "conferencias": v.n_conferencias,
                        "indicadores": v.n_indicadores,
                    }
                    for v in versions
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not versions:
        print(T["sem_versoes"])
        return 0
    for v in versions:
        atual = T["versao_atual"]
        print(
            T["versao"].format(
                municipio=v.municipio,
                ano=v.ano,
                numero=v.numero,
                marca=atual if v.atual else " " * len(atual),
                quando=fmt.data_hora(v.criado_em),
                usuario=v.usuario,
                arquivo=v.arquivo_nome or "—",
                metas=fmt.numero(v.n_metas),
            )
        )
    return 0


def cmd_desfazer(args) -> int:
    store = _store(args)
    try:
        plan = consulta.plan_for(store, args.municipio, args.plano, args.ano)
    except consulta.SemDados as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        v = gestao.desfazer(store, plan[1], args.ano, actor=linha_de_comando())
    except NothingToUndo:
        print(T["sem_versao_anterior"].format(ano=args.ano), file=sys.stderr)
        return 1
    print(T["versao_voltou"].format(ano=v.ano, numero=v.numero))
    from pmas.dados import aprovacao

    for aviso in aprovacao.aviso_importacao(store, plan[0], [args.ano]):
        print(T["aviso"].format(aviso=aviso), file=sys.stderr)
    return 0


def cmd_comparar(args) -> int:
    from pmas.analise import ciclos, comparacao

    if args.de == args.para:
        _erro_uso(T["anos_iguais"])
        return 2
    store = _store(args)
    try:
        plano_id, plano = consulta.plan_for(store, args.municipio, args.plano, args.para)
    except consulta.SemDados as exc:
        print(str(exc), file=sys.stderr)
        return 1
    # the plan of --para with the plans just before and after it: a comparison may cross the
    # boundary between two consecutive plans (goals followed by código, eixos by number)
    cadeia, metas = consulta.metas_em_ciclos(store, plano_id)
    anos = consulta.goal_years(metas)
    for ano in (args.de, args.para):
        if ano not in anos:
            if anos:
                texto = T["sem_metas_ano_anos"].format(ano=ano, anos=", ".join(map(str, anos)))
            else:
                texto = T["sem_metas_ano"].format(ano=ano)
            print(texto, file=sys.stderr)
            return 1
    data = {
        "municipio": plano.municipio,
        "plano": plano.nome,
        **ciclos.compare(metas, cadeia, args.de, args.para),
    }
    if args.formato == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    planos = data["plano_para"]
    if data["cruza_planos"]:
        planos = f"{data['plano_de']} → {data['plano_para']}"
    print(
        T["comparacao_titulo"].format(
            municipio=data["municipio"], planos=planos, de=args.de, para=args.para
        )
    )
    if data["cruza_planos"]:
        print(data["aviso"])
    header = (
        f"{T['col_eixo']:<52} {T['col_realizadas']:>27} {T['col_real_parc']:>27} "
        f"{T['col_indice']:>27}"
    )
    print(header)
    print("-" * len(header))

    def cell(t: dict) -> str:
        return f"{fmt.pct(t['de'])} → {fmt.pct(t['para'])} ({fmt.pp(t['variacao_pp'])})"

    rows = [(f"{e['numero']}. {e['nome']}", e) for e in data["eixos"]] + [
        (T["col_total"], data["total"])
    ]
    for name, e in rows:
        print(f"{name[:52]:<52} " + " ".join(f"{cell(e[k]):>27}" for k in comparacao.FIGURAS))
    p = data["pareamento"]
    print(
        T["pareamento"].format(
            pareadas=fmt.numero(p["pareadas"]),
            codigo_alterado=fmt.numero(p["codigo_alterado"]),
            de=args.de,
            so_em_de=fmt.numero(p["so_em_de"]),
            para=args.para,
            so_em_para=fmt.numero(p["so_em_para"]),
        )
    )
    print(
        T["regrediram"].format(
            regrediram=fmt.numero(data["regrediram"]), estagnadas=fmt.numero(data["estagnadas"])
        )
    )
    print(T["transicoes"].format(de=args.de, para=args.para))
    for sa, cells in data["transicoes"].items():
        print(f"  {sa}: " + "; ".join(f"{sb} {fmt.numero(n)}" for sb, n in cells.items()))
    return 0


def cmd_relatorio(args) -> int:
    from pmas.saida import report
    from pmas.saida.relatorio import campos as campos_mod
    from pmas.saida.relatorio import modelo, pdf

    if args.saida is None and args.campos is None:
        _erro_uso(T["relatorio_sem_saida"])
        return 2
    if args.saida is not None:
        if args.saida.suffix.lower() != ".docx":
            _erro_uso(T["saida_nao_docx"].format(arquivo=args.saida))
            return 2
        if not args.saida.parent.is_dir():
            _erro_uso(T["pasta_nao_existe"].format(pasta=args.saida.parent))
            return 2
    store = _store(args)
    try:
        try:  # the plan in force in the year; for a year no plan covers, the report says so
            plano_id, plano = consulta.plan_for(store, args.municipio, args.plano, args.ano)
        except consulta.SemDados:
            plano_id, plano = consulta.plan_for(store, args.municipio, args.plano)
    except consulta.SemDados as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.campos is not None:
        try:
            escrito = args.campos.read_bytes()
            novos, erros = campos_mod.from_toml(escrito)
            limpos = campos_mod.fields_with_controls(campos_mod.raw_toml(escrito))
        except OSError as exc:
            print(
                T["nao_leu"].format(arquivo=args.campos, erro=exc.strerror or exc), file=sys.stderr
            )
            return 1
        if erros:
            for erro in erros:
                print(T["erro"].format(erro=erro), file=sys.stderr)
            print(T["nada_gravado"], file=sys.stderr)
            return 1
        atuais = store.report_fields(plano_id, args.ano)
        gestao.salvar_campos_relatorio(
            store, plano_id, args.ano, campos_mod.merge(atuais, novos), actor=linha_de_comando()
        )
        gravados = ", ".join(novos) or T["campos_nenhum"]
        print(T["campos_gravados"].format(ano=args.ano, campos=gravados))
        if limpos:
            removidos = textos.RELATORIO["controles_removidos"].format(campos=", ".join(limpos))
            print(T["aviso"].format(aviso=removidos), file=sys.stderr)
    campos, _ = campos_mod.for_year(store, plano_id, args.ano)
    for rotulo in campos_mod.faltando(campos):
        print(T["campo_em_branco"].format(rotulo=rotulo), file=sys.stderr)
    if args.saida is None:
        return 0
    try:
        result = report.build_report(
            store, args.ano, plano.municipio, charts=not args.sem_graficos, nome=plano.nome
        )
    except consulta.SemDados as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except modelo.ModeloInvalido as exc:
        print(T["modelo_relatorio"].format(erro=exc), file=sys.stderr)
        return 1
    try:
        args.saida.write_bytes(result.conteudo)
    except OSError as exc:
        print(T["nao_gravou"].format(arquivo=args.saida, erro=exc.strerror or exc), file=sys.stderr)
        return 1
    print(
        T["relatorio_gravado"].format(
            municipio=result.municipio,
            ano=result.ano,
            arquivo=args.saida,
            tamanho=fmt.tamanho(len(result.conteudo)),
            graficos=fmt.numero(result.graficos),
        )
    )
    for nota in result.notas:
        print(T["aviso"].format(aviso=nota), file=sys.stderr)
    if args.pdf:
        destino = args.saida.with_suffix(".pdf")
        try:
            destino.write_bytes(pdf.to_pdf(result.conteudo))
        except pdf.PdfIndisponivel as exc:
            print(T["pdf_nao_gerado"].format(erro=exc), file=sys.stderr)
            return 1
        except OSError as exc:
            print(
                T["nao_gravou"].format(arquivo=destino, erro=exc.strerror or exc), file=sys.stderr
            )
            return 1
        print(T["pdf_gravado"].format(arquivo=destino, tamanho=fmt.tamanho(destino.stat().st_size)))
        if not pdf.sumario_atualizado():
            aviso = textos.RELATORIO_DOC["pdf_sumario_sem_paginas"]
            print(T["aviso"].format(aviso=aviso), file=sys.stderr)
    return 0


def cmd_banco(args) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    try:
        store = Store(args.banco, migrate=False)
        before, after = store.upgrade()
        store.engine.dispose()
    except SQLAlchemyError as exc:
        print(T["banco_falhou"].format(erro=exc.__class__.__name__), file=sys.stderr)
        return 1
    if before == after:
        print(T["banco_em_dia"].format(revisao=after))
    else:
        print(T["banco_atualizado"].format(antes=before or T["revisao_nenhuma"], depois=after))
    return 0


def _plano_json(plano) -> dict:
    return {
        "municipio": plano.municipio,
        "uf": plano.uf,
        "ibge": plano.ibge,
        "nome": plano.nome,
        "inicio": plano.ano_inicio,
        "fim": plano.ano_fim,
        "exemplo": plano.exemplo,
        "eixos": [
            {"numero": e.numero, "nome": e.nome, "curto": e.curto, "aliases": list(e.aliases)}
            for e in plano.eixos
        ],
    }


def _eixos_da_linha(valores: list[str]) -> tuple[Eixo, ...] | str:
    eixos = []
    for v in valores:
        numero, sep, nome = v.partition("=")
        if not sep or not numero.strip().isdigit() or not nome.strip():
            return T["eixo_mal_escrito"].format(valor=v)
        eixos.append(Eixo(int(numero), nome.strip()))
    return tuple(eixos)


def cmd_plano(args) -> int:
    store = _store(args)
    acao = args.acao_plano
    if acao == "listar":
        plans = store.plans(args.municipio)
        if args.formato == "json":
            print(json.dumps([_plano_json(p) for _, p in plans], ensure_ascii=False, indent=2))
        elif not plans:
            print(T["sem_planos"])
        for _, p in plans if args.formato == "texto" else ():
            marca = T["plano_exemplo"] if p.exemplo else ""
            print(
                T["plano_linha"].format(
                    municipio=p.municipio,
                    uf=p.uf or "—",
                    titulo=p.titulo,
                    n=len(p.eixos),
                    marca=marca,
                )
            )
        return 0
    if acao == "mostrar":
        try:
            _, p = consulta.plan_for(store, args.municipio, args.plano)
        except consulta.SemDados as exc:
            print(str(exc), file=sys.stderr)
            return 1
        try:
            mapa = mapa_mod.saved(store, p)
        except mapa_mod.MapaInvalido as exc:
            print(textos.MAPA["mapa_invalido"].format(erro=exc), file=sys.stderr)
            return 1
        if args.formato == "json":
            print(
                json.dumps({**_plano_json(p), "mapa": mapa.as_dict()}, ensure_ascii=False, indent=2)
            )
            return 0
        print(
            T["plano_titulo"].format(
                municipio=p.municipio, uf=p.uf or "—", ibge=p.ibge or "—", titulo=p.titulo
            )
        )
        for e in p.eixos:
            extra = T["eixo_curto"].format(curto=e.curto) if e.curto else ""
            print(f"  {e.rotulo}{extra}")
        linhas = mapa_mod.entradas(mapa)
        print(textos.MAPA["salvo_titulo"] + ":" if linhas else textos.MAPA["salvo_vazio"])
        for tipo, escrito, lido in linhas:
            print(f"  {tipo}: “{escrito}” → {lido}")
        return 0
    if acao == "criar":
        if not args.municipio:
            _erro_uso(T["informe_municipio"])
            return 2
        if args.eixo:
            eixos = _eixos_da_linha(args.eixo)
            if isinstance(eixos, str):
                _erro_uso(eixos)
                return 2
        else:
            if not args.eixos_da_planilha.is_file():
                print(
                    T["arquivo_nao_encontrado"].format(arquivo=args.eixos_da_planilha),
                    file=sys.stderr,
                )
                return 2
            eixos, problema = eixos_da_planilha(
                args.eixos_da_planilha.read_bytes(), args.eixos_da_planilha.name
            )
            if problema:
                print(problema, file=sys.stderr)
                return 1
        plano = Plano(
            municipio=args.municipio.strip(),
            uf=args.uf.strip().upper(),
            ibge=args.ibge.strip(),
            nome=args.nome.strip(),
            ano_inicio=args.inicio,
            ano_fim=args.fim,
            eixos=eixos,
        )
        try:
            gestao.criar_plano(store, plano, actor=linha_de_comando())
        except PlanoRecusado as exc:
            print(T["plano_recusado"].format(mensagens=" ".join(exc.mensagens)), file=sys.stderr)
            return 1
        print(
            T_PLANO["criado"].format(
                nome=plano.nome, municipio=plano.municipio, periodo=plano.periodo, n=len(eixos)
            )
        )
        for e in plano.eixos:
            print(f"  {e.rotulo}")
        return 0
    # proximo
    try:
        pid, atual = consulta.plan_for(store, args.municipio, args.plano)
        _, novo = gestao.proximo_ciclo(
            store, pid, args.inicio, args.fim, args.nome, actor=linha_de_comando()
        )
    except consulta.SemDados as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except PlanoRecusado as exc:
        print(T["plano_recusado"].format(mensagens=" ".join(exc.mensagens)), file=sys.stderr)
        return 1
    print(
        T_PLANO["criado"].format(
            nome=novo.nome, municipio=novo.municipio, periodo=novo.periodo, n=len(novo.eixos)
        )
        + T["eixos_copiados"].format(nome=atual.nome)
    )
    return 0


def cmd_exemplo(args) -> int:
    """``exemplo remover``: 0 removed, 1 there was no example data."""
    store = _store(args)
    planos = store.example_plans()
    if not planos:
        print(T_PLANO["sem_exemplo"], file=sys.stderr)
        return 1
    feito = gestao.remover_exemplo(store, actor=linha_de_comando())
    print(
        T_PLANO["exemplo_removido"].format(
            planos="; ".join(f"{p.municipio} · {p.nome}" for _, p in planos),
            **{k: fmt.numero(v) for k, v in feito.items() if k != "planos"},
        )
    )
    return 0


def cmd_aprovacao(args) -> int:
    from pmas.dados import aprovacao

    store = _store(args)
    try:
        plano_id, plano = consulta.plan_for(store, args.municipio, args.plano, args.ano)
    except consulta.SemDados as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.acao != "mostrar":
        campos = {
            k: getattr(args, k, None)
            for k in ("resolucao", "data", "reuniao", "motivo", "veiculo", "edicao", "pagina")
        }
        campos |= {
            "link": getattr(args, "link", None),
            "comissoes": getattr(args, "comissoes", None),
        }
        documento = None
        try:
            if args.acao == "aprovar":
                aprovacao.proximo(aprovacao.situacao(store, plano_id, args.ano).estado, "aprovar")
                aprovacao.limpar_dados("aprovar", campos)
                documento = _documento_aprovado(store, args, plano.municipio, plano.nome)
                if documento is None:
                    return 1
            gestao.mover_relatorio(
                store,
                plano_id,
                args.ano,
                args.acao,
                actor=linha_de_comando(),
                dados=campos,
                documento=documento,
            )
        except aprovacao.TransicaoInvalida as exc:
            print(str(exc), file=sys.stderr)
            return 1
    situacao = aprovacao.situacao(store, plano_id, args.ano)
    avisos = aprovacao.verificacoes(store.report_fields(plano_id, args.ano))
    substituida = aprovacao.substituicao(store, plano_id, args.ano)
    if substituida:
        avisos.append(substituida)
    data = {"municipio": plano.municipio, "plano": plano.nome, **situacao.as_dict()}
    data["avisos"] = avisos
    if args.formato == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(
            T["aprovacao_titulo"].format(
                municipio=plano.municipio, plano=plano.nome, ano=args.ano, situacao=situacao.rotulo
            )
        )
        for e in situacao.etapas:
            extra = "; ".join(f"{k}: {v}" for k, v in e.dados.items())
            print(
                f"  {fmt.data_hora(e.quando)} {e.usuario}: "
                f"{aprovacao.textos.APROVACAO_ESTADOS[e.estado]}" + (f" ({extra})" if extra else "")
            )
    for aviso in avisos:
        print(T["aviso"].format(aviso=aviso), file=sys.stderr)
    return 0


def _documento_aprovado(
    store: Store, args, municipio: str, nome: str | None = None
) -> bytes | None:
    """The document an approval freezes: the file given, or the report built now."""
    from pmas.saida import report

    if args.documento is not None:
        try:
            return args.documento.read_bytes()
        except OSError as exc:
            print(
                T["nao_leu"].format(arquivo=args.documento, erro=exc.strerror or exc),
                file=sys.stderr,
            )
            return None
    try:
        return report.build_report(
            store, args.ano, municipio, charts=not args.sem_graficos, nome=nome
        ).conteudo
    except consulta.SemDados as exc:
        print(str(exc), file=sys.stderr)
        return None


def cmd_deliberacoes(args) -> int:
    try:
        data = consulta.deliberacoes(_store(args), args.edicao, args.ano, args.municipio)
    except consulta.SemDados as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.formato == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    c = data["cobertura"]
    print(
        T["deliberacoes_titulo"].format(
            municipio=data["municipio"], edicao=data["edicao"], ano=data["ano"]
        )
    )
    print(
        T["deliberacoes_cobertura"].format(
            total=fmt.numero(c["total"]),
            municipais=fmt.numero(c["municipais"]),
            com_meta=fmt.numero(c["com_meta"]),
            pct_com_meta=fmt.pct(c["pct_com_meta"]),
            atendidas=fmt.numero(c["atendidas"]),
            pct_atendidas=fmt.pct(c["pct_atendidas"]),
            encaminhadas=fmt.numero(c["encaminhadas"]),
        )
    )
    for d in data["deliberacoes"]:
        metas = ", ".join(d["metas"]) or "—"
        print(
            T["deliberacao"].format(
                numero=d["numero"], situacao=d["situacao"], metas=metas, texto=d["texto"][:70]
            )
        )
    for u in data["metas_inexistentes"]:
        print(T["meta_inexistente"].format(numero=u["numero"], codigo=u["codigo"]), file=sys.stderr)
    print(data["regra"])
    return 0


def cmd_devolutiva(args) -> int:
    from pmas.saida import devolutiva

    if args.saida.suffix.lower() != ".docx":
        _erro_uso(T["saida_nao_docx"].format(arquivo=args.saida))
        return 2
    if not args.saida.parent.is_dir():
        _erro_uso(T["pasta_nao_existe"].format(pasta=args.saida.parent))
        return 2
    from pmas.saida.relatorio import modelo

    store = _store(args)
    try:
        data = consulta.deliberacoes(store, args.edicao, args.ano, args.municipio)
        conteudo = devolutiva.gerar(store, data)  # with the plan's template
    except (consulta.SemDados, modelo.ModeloInvalido) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        args.saida.write_bytes(conteudo)
    except OSError as exc:
        print(T["nao_gravou"].format(arquivo=args.saida, erro=exc.strerror or exc), file=sys.stderr)
        return 1
    print(
        T["devolutiva_gravada"].format(
            edicao=data["edicao"],
            municipio=data["municipio"],
            ano=data["ano"],
            arquivo=args.saida,
            tamanho=fmt.tamanho(len(conteudo)),
        )
    )
    return 0


def cmd_copiar_banco(args) -> int:
    if args.saida.exists():
        print(T["copia_existe"].format(arquivo=args.saida), file=sys.stderr)
        return 2
    try:
        destino = _store(args).backup(args.saida)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(T["copia_gravada"].format(arquivo=destino, tamanho=fmt.tamanho(destino.stat().st_size)))
    return 0


def cmd_exportar_dados(args) -> int:
    from pmas.saida import dados_bi

    try:
        linhas = dados_bi.exportar(
            _store(args),
            args.pasta,
            exemplo=None if args.com_exemplo else False,
            municipio=args.municipio,
        )
    except FileExistsError as exc:
        print(T["exportacao_existe"].format(arquivo=exc.args[0]), file=sys.stderr)
        return 2
    for nome, n in linhas.items():
        print(T["exportacao_tabela"].format(tabela=TABELAS[nome], linhas=fmt.numero(n), nome=nome))
    print(T["exportacao_gravada"].format(pasta=args.pasta))
    return 0


def cmd_gerar_estado(args) -> int:
    from pmas.sintetico import generate

    store = _store(args)

    def progress(done: int, total: int) -> None:
        filled = int(30 * done / total)
        print(
            T["progresso"].format(
                barra="#" * filled + "." * (30 - filled), feitos=done, total=total
            ),
            end="" if done < total else "\n",
            file=sys.stderr,
            flush=True,
        )

    total = generate(store, args.municipios, args.metas, progress=progress)
    print(
        T["sinteticos_gravados"].format(
            metas=fmt.numero(total), municipios=fmt.numero(args.municipios)
        )
    )
    return 0


def run() -> None:
    """The ``pmas`` command (``python -m pmas`` and the installed script): :func:`main`, then
    a quick exit. When it returns, every transaction is committed and every file written and
    closed, so once the databases are closed, the logs shut down and the output flushed, the
    process ends without the interpreter's teardown, which frees every object one by one (about
    0,2 s after a 50.000-row import, for nothing). The exit handlers still run (logging's
    shutdown, kaleido closing its browser). An exception (argparse's exit included), or a thread
    still running, ends the process the usual way."""
    global _ABERTOS
    _ABERTOS = []
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Whoever read the output is gone (``| head``): nothing more can be said, and no
        # traceback about it. What follows writes to nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    if threading.active_count() > 1:  # work left in a thread: the usual exit waits for it
        sys.exit(code)
    for store in _ABERTOS:
        store.engine.dispose()
    atexit._run_exitfuncs()  # what the usual exit runs before its teardown (logging's shutdown too)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (| head): nothing more can be said
        pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # aprovacao answers in JSON unless told otherwise
    defaults = {**_DEFAULTS, "formato": "json"} if args.comando == "aprovacao" else _DEFAULTS
    for name, default in defaults.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    handlers = {
        "importar": cmd_importar,
        "resumo": cmd_resumo,
        "versoes": cmd_versoes,
        "desfazer": cmd_desfazer,
        "comparar": cmd_comparar,
        "relatorio": cmd_relatorio,
        "aprovacao": cmd_aprovacao,
        "gerar-estado": cmd_gerar_estado,
        "copiar-banco": cmd_copiar_banco,
        "exportar-dados": cmd_exportar_dados,
        "banco": cmd_banco,
        "plano": cmd_plano,
        "exemplo": cmd_exemplo,
        "deliberacoes": cmd_deliberacoes,
        "devolutiva": cmd_devolutiva,
    }
    if args.comando is None:
        parser.print_help()
        return 2
    try:
        return handlers[args.comando](args)
    except _BancoInacessivel as exc:
        banco = _sem_senha(str(exc))
        print(T["erro"].format(erro=T["banco_inacessivel"].format(banco=banco)), file=sys.stderr)
        return 2
