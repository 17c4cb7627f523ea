"""``python -m pmas …``: the command line that mirrors the dashboard.

Exit codes: 0 done, 1 the file was rejected or there is no data for what was asked, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from pmas import fmt, textos
from pmas.acesso import gestao
from pmas.acesso.actor import linha_de_comando
from pmas.analise import consulta
from pmas.dados.plano import Eixo, Plano
from pmas.dados.store import NothingToUndo, PlanoRecusado, Store
from pmas.entrada import mapa as mapa_mod
from pmas.entrada.eixos import eixos_da_planilha
from pmas.entrada.pipeline import Analysis, ImportResult, analyse
from pmas.textos import PLANO as T_PLANO

# argparse's messages, in Portuguese: translated in _Parser (no argparse internals are patched).
_MENSAGENS_PT = (
    (r"the following arguments are required: (.*)", r"faltam os argumentos obrigatórios: \1"),
    (r"unrecognized arguments: (.*)", r"argumentos não reconhecidos: \1"),
    (r"argument (\S+): invalid int value: (.*)", r"argumento \1: número inválido: \2"),
    (
        r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)",
        r"argumento \1: opção inválida: \2 (escolha entre \3)",
    ),
    (r"argument (\S+): expected one argument", r"argumento \1: esperava um valor"),
    (r"argument (\S+): not allowed with argument (.*)", r"argumento \1: não combina com \2"),
    (r"one of the arguments (.*) is required", r"um destes argumentos é obrigatório: \1"),
    (r"ambiguous option: (\S+) could match (.*)", r"opção ambígua: \1 pode ser \2"),
    (r"argument (\S+): (.*)", r"argumento \1: \2"),
)


class _Parser(argparse.ArgumentParser):
    """Portuguese help and usage errors (exit 2)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--ajuda", "--help", action="help", help="mostra esta ajuda e sai")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", "uso: ", 1)

    def format_help(self) -> str:
        text = super().format_help().replace("usage: ", "uso: ", 1)
        text = text.replace("\noptions:\n", "\nopções:\n")
        return text.replace("\npositional arguments:\n", "\nargumentos:\n")

    def error(self, message: str):
        for pattern, repl in _MENSAGENS_PT:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, repl, message)
                break
        self.print_usage(sys.stderr)
        print(f"Erro de uso: {message}", file=sys.stderr)
        sys.exit(2)


# Options every command accepts, before or after the command's name (defaults in _DEFAULTS:
# SUPPRESS here, so the value given on one side is never overwritten by the other's default).
_COMUM = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
_COMUM.add_argument(
    "--banco", help="URL do banco de dados (padrão: PMAS_DATABASE_URL ou data/pmas.db)"
)
_COMUM.add_argument("--municipio", help="nome do município (padrão: o único, ou o primeiro)")
_COMUM.add_argument("--plano", help="nome do plano (padrão: o plano em vigor no ano dos dados)")
_COMUM.add_argument("--formato", choices=("texto", "json"), help="saída em texto ou JSON")
_DEFAULTS = {"banco": None, "municipio": None, "plano": None, "formato": "texto"}


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m pmas",
        description="PMAS Monitor: importação, resumo e relatório "
        "do monitoramento do Plano Municipal de Assistência Social.",
        parents=[_COMUM],
    )
    sub = p.add_subparsers(dest="comando", parser_class=_Parser, metavar="COMANDO")

    def comando(name: str, help: str, parent=sub) -> argparse.ArgumentParser:
        return parent.add_parser(name, help=help, description=help, parents=[_COMUM])

    imp = comando("importar", "importa uma planilha (.xlsx ou .csv)")
    imp.add_argument("arquivo", type=Path)
    imp.add_argument("--ano", type=int, help="ano de referência, se a planilha não disser")
    imp.add_argument("--simular", action="store_true", help="só confere, não grava nada")
    imp.add_argument(
        "--mapa",
        type=Path,
        help="arquivo JSON que diz o que são colunas e situações desconhecidas "
        '({"colunas": {"Título": "realizado"}, "situacoes": {"Texto": "Realizada"}})',
    )
    imp.add_argument(
        "--salvar-mapa",
        action="store_true",
        help="guarda o mapa usado junto com o plano, se o arquivo for importado",
    )
    imp.add_argument(
        "--reducao",
        choices=("sim", "nao"),
        help="responde pelas metas com números cujo texto começa por “Reduzir”/“Diminuir” e "
        "que não dizem o sentido: sim (são de redução: previsto ÷ realizado) ou nao; com "
        "--salvar-mapa, a resposta fica salva com o plano",
    )
    imp.add_argument(
        "--atualizar-plano",
        action="store_true",
        help="se a aba Plano da planilha difere do plano cadastrado, altera o plano cadastrado "
        "(sem esta opção, a importação é recusada e a diferença é mostrada)",
    )

    res = comando("resumo", "mostra o cumprimento das metas por eixo")
    res.add_argument("--ano", type=int)

    comando("versoes", "lista as versões importadas")

    des = comando("desfazer", "volta à versão anterior de um ano")
    des.add_argument("--ano", type=int, required=True)

    cop = comando("copiar-banco", "cópia de segurança do banco SQLite, com o painel no ar")
    cop.add_argument("--saida", type=Path, required=True)

    ger = comando("gerar-estado", "gera dados sintéticos de muitos municípios (testes de escala)")
    ger.add_argument("--municipios", type=int, default=400)
    ger.add_argument("--metas", type=int, default=150, help="metas por ano e município")

    comp = comando("comparar", "compara dois anos: variação por eixo e transições")
    comp.add_argument("--de", type=int, required=True, help="ano inicial")
    comp.add_argument("--para", type=int, required=True, help="ano final")

    ban = comando("banco", "manutenção do banco de dados")
    ban_sub = ban.add_subparsers(dest="acao_banco", parser_class=_Parser, metavar="AÇÃO")
    ban_sub.required = True
    comando("atualizar", "atualiza as tabelas do banco para esta versão do painel", ban_sub)

    pla = comando("plano", "cria, lista e mostra os planos dos municípios")
    pla_sub = pla.add_subparsers(dest="acao_plano", parser_class=_Parser, metavar="AÇÃO")
    pla_sub.required = True
    cri = comando("criar", "cria um plano (eixos por --eixo ou tirados de uma planilha)", pla_sub)
    cri.add_argument("--uf", default="", help="sigla do estado (PR, SP, …)")
    cri.add_argument("--ibge", default="", help="código IBGE do município (7 dígitos)")
    cri.add_argument("--nome", required=True, help="nome do plano, p. ex. “PMAS 2026-2029”")
    cri.add_argument("--inicio", type=int, required=True, help="primeiro ano do plano")
    cri.add_argument("--fim", type=int, required=True, help="último ano do plano")
    eixos = cri.add_mutually_exclusive_group(required=True)
    eixos.add_argument(
        "--eixo", action="append", metavar="N=NOME", help="um eixo: número e nome (repita)"
    )
    eixos.add_argument(
        "--eixos-da-planilha", type=Path, metavar="ARQUIVO", help="os eixos escritos na planilha"
    )
    comando("listar", "lista os planos cadastrados", pla_sub)
    comando("mostrar", "mostra um plano e os seus eixos", pla_sub)
    pro = comando("proximo", "começa o próximo ciclo do plano, com os mesmos eixos", pla_sub)
    pro.add_argument("--inicio", type=int, required=True)
    pro.add_argument("--fim", type=int, required=True)
    pro.add_argument("--nome", help="nome do novo plano (padrão: o atual com o novo período)")

    exe = comando("exemplo", "dados de exemplo (fictícios): removê-los de vez")
    exe_sub = exe.add_subparsers(dest="acao_exemplo", parser_class=_Parser, metavar="AÇÃO")
    exe_sub.required = True
    comando(
        "remover",
        "apaga os planos de exemplo e tudo o que depende deles; não voltam a ser carregados",
        exe_sub,
    )

    rel = comando("relatorio", "gera o Relatório de Monitoramento do ano (.docx)")
    rel.add_argument("--ano", type=int, required=True, help="ano de referência do relatório")
    rel.add_argument("--saida", type=Path, help="arquivo .docx a gravar")
    rel.add_argument(
        "--campos",
        type=Path,
        help="arquivo campos.toml com os dados do relatório (elaboração, comissões, aprovação, "
        "publicação, análise por eixo…), gravados antes de gerar",
    )
    rel.add_argument(
        "--pdf", action="store_true", help="grava também o PDF (com o LibreOffice), ao lado"
    )
    rel.add_argument(
        "--sem-graficos",
        action="store_true",
        help="não desenha os gráficos (não precisa de navegador)",
    )
    apr = comando("aprovacao", "fluxo de aprovação do relatório do ano no CMAS (saída em JSON)")
    apr.add_argument("--ano", type=int, required=True, help="ano de referência do relatório")
    etapas = apr.add_subparsers(dest="acao", parser_class=_Parser, metavar="AÇÃO", required=True)
    comando("mostrar", "mostra o estado, a linha do tempo e as verificações", etapas)
    comando("enviar", "envia o relatório ao CMAS", etapas)
    an = comando("analisar", "registra que o relatório está nas comissões", etapas)
    an.add_argument("--comissoes", help="comissões que o analisam (separadas por ;)")
    ap = comando("aprovar", "registra a aprovação (congela dados e documento)", etapas)
    ap.add_argument("--resolucao", required=True, help="número da resolução, ex.: 083/2023")
    ap.add_argument("--data", required=True, help="data da aprovação (dd/mm/aaaa)")
    ap.add_argument("--reuniao", help="data da reunião do CMAS (dd/mm/aaaa)")
    ap.add_argument(
        "--documento",
        type=Path,
        help="o .docx aprovado (sem esta opção, o relatório é gerado agora e guardado)",
    )
    ap.add_argument("--sem-graficos", action="store_true", help="gera o documento sem gráficos")
    dv = comando("devolver", "registra a devolução com recomendações", etapas)
    dv.add_argument("--motivo", required=True, help="as recomendações do CMAS")
    pb = comando("publicar", "registra a publicação", etapas)
    pb.add_argument("--veiculo", required=True, help="ex.: Jornal Oficial do Município")
    pb.add_argument("--edicao", required=True)
    pb.add_argument("--data", required=True, help="data da publicação (dd/mm/aaaa)")
    pb.add_argument("--pagina")
    pb.add_argument("--link")

    dlb = sub.add_parser(
        "deliberacoes",
        help="deliberações de uma conferência e a situação de cada uma no ano",
    )
    dlb.add_argument("--edicao", type=int, help="ano da conferência (padrão: a última)")
    dlb.add_argument("--ano", type=int, help="ano do plano (padrão: o último com metas)")
    dlb.add_argument("--municipio")
    dlb.add_argument("--formato", choices=("texto", "json"), default="texto")
    dlb.add_argument(
        "--banco",
        default=argparse.SUPPRESS,
        help="URL do banco de dados (como a opção geral --banco)",
    )

    dev = sub.add_parser(
        "devolutiva",
        help="gera a Devolutiva das deliberações de uma conferência (.docx)",
    )
    dev.add_argument("--edicao", type=int, required=True, help="ano da conferência")
    dev.add_argument("--ano", type=int, help="ano do plano (padrão: o último com metas)")
    dev.add_argument("--municipio")
    dev.add_argument("--saida", type=Path, required=True, help="arquivo .docx a gravar")
    dev.add_argument(
        "--banco",
        default=argparse.SUPPRESS,
        help="URL do banco de dados (como a opção geral --banco)",
    )
    return p


def _store(args) -> Store:
    return Store(args.banco)


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
        print(f"Arquivo não encontrado: {args.arquivo}", file=sys.stderr)
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
        analysis: Analysis | None = analyse(
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
            vista = analysis or analyse(
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


_SITUACAO = {
    "importado": "Importado",
    "simulado": "Simulação: o arquivo pode ser importado (nada foi gravado)",
    "rejeitado": "Rejeitado: nada foi gravado",
    "repetido": "Arquivo já importado: nada foi gravado",
}


def _print_import(result) -> None:
    a = result.analysis
    rel = a.relatorio
    print(f"{_SITUACAO[result.situacao]}.")
    print(
        f"Arquivo: {a.filename} ({fmt.tamanho(a.size)}); linhas lidas: {fmt.numero(a.linhas)}; "
        f"anos: {', '.join(map(str, a.anos)) or '—'}"
    )
    print(f"Erros: {fmt.numero(rel.erros)}; avisos: {fmt.numero(rel.avisos)}")
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
                f"aba {f.aba}" if f.aba else "",
                f"linha {f.linha}" if f.linha else "",
                f"coluna {f.coluna}" if f.coluna else "",
            )
            if x
        )
        print(f"  [{f.nivel.upper()}] {f.mensagem}" + (f" ({where})" if where else ""))
        if f.acao:
            print(f"      → {f.acao}")
    for v in result.versions:
        print(f"Ano {v.ano}: versão {v.numero} gravada e atual.")


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
    print(f"{data['municipio']} — {data['plano']} — ano {data['ano']}")
    header = (
        f"{'Eixo':<62} {'Metas':>6} {'Avaliáveis':>10} {'% realiz.':>9} "
        f"{'% real.+parc.':>13} {'Índice':>7}"
    )
    print(header)
    print("-" * len(header))
    rows = [(f"{e['numero']}. {e['nome']}", e) for e in data["eixos"]] + [("Total", data["total"])]
    for name, f in rows:
        print(
            f"{name[:62]:<62} {fmt.numero(f['metas']):>6} {fmt.numero(f['avaliaveis']):>10} "
            f"{fmt.pct(f['pct_realizadas']):>9} {fmt.pct(f['pct_realizadas_ou_parciais']):>13} "
            f"{fmt.pct(f['indice_cumprimento']):>7}"
        )
    for c in data["conferencias"]:
        print(
            f"Conferências {c['ano']}: {fmt.numero(c['participantes_pre_conferencias'])} "
            f"participantes em {fmt.numero(c['pre_conferencias'])} pré-conferências; "
            f"{fmt.numero(c['participantes_conferencia_municipal'])} na Conferência Municipal; "
            f"{fmt.numero(c['delegados'])} delegados."
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
        print("Nenhuma versão importada.")
        return 0
    for v in versions:
        mark = "atual" if v.atual else "     "
        print(
            f"{v.municipio} {v.ano} v{v.numero} {mark} {fmt.data_hora(v.criado_em)} "
            f"{v.usuario} — {v.arquivo_nome or '—'} ({fmt.numero(v.n_metas)} metas)"
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
        print(f"Não há versão anterior de {args.ano} para voltar.", file=sys.stderr)
        return 1
    print(f"Ano {v.ano}: a versão {v.numero} voltou a ser a atual.")
    from pmas.dados import aprovacao

    for aviso in aprovacao.aviso_importacao(store, plan[0], [args.ano]):
        print(f"Aviso: {aviso}", file=sys.stderr)
    return 0


def cmd_comparar(args) -> int:
    from pmas.analise import ciclos, comparacao

    if args.de == args.para:
        print("Erro de uso: --de e --para devem ser anos diferentes.", file=sys.stderr)
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
            print(
                f"Não há metas de {ano} no banco de dados"
                + (f" (anos disponíveis: {', '.join(map(str, anos))})." if anos else "."),
                file=sys.stderr,
            )
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
    print(f"{data['municipio']} — {planos} — {args.de} → {args.para}")
    if data["cruza_planos"]:
        print(data["aviso"])
    header = f"{'Eixo':<52} {'% realizadas':>27} {'% real.+parc.':>27} {'Índice':>27}"
    print(header)
    print("-" * len(header))

    def cell(t: dict) -> str:
        return f"{fmt.pct(t['de'])} → {fmt.pct(t['para'])} ({fmt.pp(t['variacao_pp'])})"

    rows = [(f"{e['numero']}. {e['nome']}", e) for e in data["eixos"]] + [("Total", data["total"])]
    for name, e in rows:
        print(f"{name[:52]:<52} " + " ".join(f"{cell(e[k]):>27}" for k in comparacao.FIGURAS))
    p = data["pareamento"]
    print(
        f"Metas pareadas: {fmt.numero(p['pareadas'])} (código alterado: "
        f"{fmt.numero(p['codigo_alterado'])}); só em {args.de}: {fmt.numero(p['so_em_de'])}; "
        f"só em {args.para}: {fmt.numero(p['so_em_para'])}."
    )
    print(
        f"Regrediram: {fmt.numero(data['regrediram'])}; não iniciadas nos dois anos: "
        f"{fmt.numero(data['estagnadas'])}."
    )
    print(f"Transições ({args.de} → {args.para}):")
    for sa, cells in data["transicoes"].items():
        print(f"  {sa}: " + "; ".join(f"{sb} {fmt.numero(n)}" for sb, n in cells.items()))
    return 0


def cmd_relatorio(args) -> int:
    from pmas.saida import report
    from pmas.saida.relatorio import campos as campos_mod
    from pmas.saida.relatorio import modelo, pdf

    if args.saida is None and args.campos is None:
        print("Erro de uso: informe --saida (o .docx a gravar) e/ou --campos.", file=sys.stderr)
        return 2
    if args.saida is not None:
        if args.saida.suffix.lower() != ".docx":
            print(
                f"Erro de uso: o arquivo de saída deve terminar em .docx ({args.saida}).",
                file=sys.stderr,
            )
            return 2
        if not args.saida.parent.is_dir():
            print(f"Erro de uso: a pasta {args.saida.parent} não existe.", file=sys.stderr)
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
            print(f"Não foi possível ler {args.campos}: {exc.strerror or exc}.", file=sys.stderr)
            return 1
        if erros:
            for erro in erros:
                print(f"Erro: {erro}", file=sys.stderr)
            print("Nada foi gravado.", file=sys.stderr)
            return 1
        atuais = store.report_fields(plano_id, args.ano)
        gestao.salvar_campos_relatorio(
            store, plano_id, args.ano, campos_mod.merge(atuais, novos), actor=linha_de_comando()
        )
        print(f"Campos do relatório de {args.ano} gravados ({', '.join(novos) or 'nenhum'}).")
        if limpos:
            print(
                "Aviso: "
                + textos.RELATORIO["controles_removidos"].format(campos=", ".join(limpos)),
                file=sys.stderr,
            )
    campos, _ = campos_mod.for_year(store, plano_id, args.ano)
    for rotulo in campos_mod.faltando(campos):
        print(f"Aviso: campo obrigatório em branco: {rotulo} (sai como ________).", file=sys.stderr)
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
        print(f"Modelo do relatório: {exc}", file=sys.stderr)
        return 1
    try:
        args.saida.write_bytes(result.conteudo)
    except OSError as exc:
        print(f"Não foi possível gravar {args.saida}: {exc.strerror or exc}.", file=sys.stderr)
        return 1
    print(
        f"Relatório de {result.municipio}, ano {result.ano}, gravado em {args.saida} "
        f"({fmt.tamanho(len(result.conteudo))}; {fmt.numero(result.graficos)} gráficos)."
    )
    for nota in result.notas:
        print(f"Aviso: {nota}", file=sys.stderr)
    if args.pdf:
        destino = args.saida.with_suffix(".pdf")
        try:
            destino.write_bytes(pdf.to_pdf(result.conteudo))
        except pdf.PdfIndisponivel as exc:
            print(f"PDF não gerado: {exc}.", file=sys.stderr)
            return 1
        except OSError as exc:
            print(f"Não foi possível gravar {destino}: {exc.strerror or exc}.", file=sys.stderr)
            return 1
        print(f"PDF gravado em {destino} ({fmt.tamanho(destino.stat().st_size)}).")
        if not pdf.sumario_atualizado():
            print(f"Aviso: {textos.RELATORIO_DOC['pdf_sumario_sem_paginas']}", file=sys.stderr)
    return 0


def cmd_banco(args) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    try:
        store = Store(args.banco, migrate=False)
        before, after = store.upgrade()
        store.engine.dispose()
    except SQLAlchemyError as exc:
        print(
            f"Não foi possível atualizar o banco de dados ({exc.__class__.__name__}): "
            "confira o endereço do banco e se ele está no ar.",
            file=sys.stderr,
        )
        return 1
    if before == after:
        print(f"O banco de dados já está atualizado (revisão {after}).")
    else:
        print(f"Banco de dados atualizado: revisão {before or 'nenhuma'} → {after}.")
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
            return (
                f'--eixo “{v}”: escreva número=nome, por exemplo --eixo "1=Proteção Social Básica".'
            )
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
            print("Nenhum plano cadastrado.")
        for _, p in plans if args.formato == "texto" else ():
            marca = " (dados de exemplo)" if p.exemplo else ""
            print(f"{p.municipio}/{p.uf or '—'} — {p.titulo} — {len(p.eixos)} eixos{marca}")
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
        print(f"{p.municipio}/{p.uf or '—'} (IBGE {p.ibge or '—'}) — {p.titulo}")
        for e in p.eixos:
            extra = f" [curto: {e.curto}]" if e.curto else ""
            print(f"  {e.rotulo}{extra}")
        linhas = mapa_mod.entradas(mapa)
        print(textos.MAPA["salvo_titulo"] + ":" if linhas else textos.MAPA["salvo_vazio"])
        for tipo, escrito, lido in linhas:
            print(f"  {tipo}: “{escrito}” → {lido}")
        return 0
    if acao == "criar":
        if not args.municipio:
            print("Erro de uso: informe --municipio.", file=sys.stderr)
            return 2
        if args.eixo:
            eixos = _eixos_da_linha(args.eixo)
            if isinstance(eixos, str):
                print(f"Erro de uso: {eixos}", file=sys.stderr)
                return 2
        else:
            if not args.eixos_da_planilha.is_file():
                print(f"Arquivo não encontrado: {args.eixos_da_planilha}", file=sys.stderr)
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
            print("Plano recusado: " + " ".join(exc.mensagens), file=sys.stderr)
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
        print("Plano recusado: " + " ".join(exc.mensagens), file=sys.stderr)
        return 1
    print(
        T_PLANO["criado"].format(
            nome=novo.nome, municipio=novo.municipio, periodo=novo.periodo, n=len(novo.eixos)
        )
        + f" Eixos copiados de “{atual.nome}”."
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
        print(f"{plano.municipio} — {plano.nome} — relatório de {args.ano}: {situacao.rotulo}")
        for e in situacao.etapas:
            extra = "; ".join(f"{k}: {v}" for k, v in e.dados.items())
            print(
                f"  {fmt.data_hora(e.quando)} {e.usuario}: "
                f"{aprovacao.textos.APROVACAO_ESTADOS[e.estado]}" + (f" ({extra})" if extra else "")
            )
    for aviso in avisos:
        print(f"Aviso: {aviso}", file=sys.stderr)
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
            print(f"Não foi possível ler {args.documento}: {exc.strerror or exc}.", file=sys.stderr)
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
        f"{data['municipio']} — deliberações da conferência de {data['edicao']} — situação em "
        f"{data['ano']}"
    )
    print(
        f"{fmt.numero(c['total'])} deliberações: {fmt.numero(c['municipais'])} municipais "
        f"({fmt.numero(c['com_meta'])} com meta no PMAS, {fmt.pct(c['pct_com_meta'])}; "
        f"{fmt.numero(c['atendidas'])} atendidas, {fmt.pct(c['pct_atendidas'])}) e "
        f"{fmt.numero(c['encaminhadas'])} estaduais ou nacionais."
    )
    for d in data["deliberacoes"]:
        metas = ", ".join(d["metas"]) or "—"
        print(f"  {d['numero']:>4}  {d['situacao']:<22} metas: {metas:<20} {d['texto'][:70]}")
    for u in data["metas_inexistentes"]:
        print(
            f"Aviso: a deliberação nº {u['numero']} cita a meta {u['codigo']}, que não existe "
            "em nenhum plano do município.",
            file=sys.stderr,
        )
    print(data["regra"])
    return 0


def cmd_devolutiva(args) -> int:
    from pmas.saida import devolutiva

    if args.saida.suffix.lower() != ".docx":
        print(
            f"Erro de uso: o arquivo de saída deve terminar em .docx ({args.saida}).",
            file=sys.stderr,
        )
        return 2
    if not args.saida.parent.is_dir():
        print(f"Erro de uso: a pasta {args.saida.parent} não existe.", file=sys.stderr)
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
        print(f"Não foi possível gravar {args.saida}: {exc.strerror or exc}.", file=sys.stderr)
        return 1
    print(
        f"Devolutiva da conferência de {data['edicao']} ({data['municipio']}, situação em "
        f"{data['ano']}) gravada em {args.saida} ({fmt.tamanho(len(conteudo))})."
    )
    return 0


def cmd_copiar_banco(args) -> int:
    if args.saida.exists():
        print(f"O arquivo {args.saida} já existe; escolha outro nome.", file=sys.stderr)
        return 2
    try:
        destino = _store(args).backup(args.saida)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Cópia de segurança gravada em {destino} ({fmt.tamanho(destino.stat().st_size)}).")
    return 0


def cmd_gerar_estado(args) -> int:
    from pmas.sintetico import generate

    store = _store(args)

    def progress(done: int, total: int) -> None:
        filled = int(30 * done / total)
        print(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} municípios",
            end="" if done < total else "\n",
            file=sys.stderr,
            flush=True,
        )

    total = generate(store, args.municipios, args.metas, progress=progress)
    print(
        f"{fmt.numero(total)} metas sintéticas gravadas em {fmt.numero(args.municipios)} "
        "municípios."
    )
    return 0


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
        "banco": cmd_banco,
        "plano": cmd_plano,
        "exemplo": cmd_exemplo,
        "deliberacoes": cmd_deliberacoes,
        "devolutiva": cmd_devolutiva,
    }
    if args.comando is None:
        parser.print_help()
        return 2
    return handlers[args.comando](args)
