"""``python -m pmas …``: the command line that mirrors the dashboard.

Exit codes: 0 done, 1 the file was rejected or there is no data for what was asked, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pmas import fmt, textos
from pmas.acesso import gestao
from pmas.acesso.actor import linha_de_comando
from pmas.analise import consulta
from pmas.dados.store import NothingToUndo, Store
from pmas.entrada import mapa as mapa_mod

# argparse's own words, in Portuguese (it looks them up through its module-level "_").
_ARGPARSE_PT = {
    "usage: ": "uso: ",
    "options": "opções",
    "positional arguments": "argumentos",
    "show this help message and exit": "mostra esta ajuda e sai",
    "the following arguments are required: %s": "faltam os argumentos obrigatórios: %s",
    "unrecognized arguments: %s": "argumentos não reconhecidos: %s",
    "invalid %(type)s value: %(value)r": "valor inválido: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "opção inválida: %(value)r (escolha entre %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
    "expected one argument": "esperava um valor",
    "ambiguous option: %(option)s could match %(matches)s": "opção ambígua: %(option)s pode ser %(matches)s",
    "one of the arguments %s is required": "um destes argumentos é obrigatório: %s",
    "not allowed with argument %s": "não pode ser usado com o argumento %s",
}
argparse._ = lambda text: _ARGPARSE_PT.get(text, text)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # Portuguese usage errors, exit 2
        self.print_usage(sys.stderr)
        print(f"Erro de uso: {message}", file=sys.stderr)
        sys.exit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m pmas",
        description="PMAS Monitor: importação, resumo e relatório "
        "do monitoramento do Plano Municipal de Assistência Social.",
    )
    p.add_argument(
        "--banco", help="URL do banco de dados (padrão: PMAS_DATABASE_URL ou data/pmas.db)"
    )
    sub = p.add_subparsers(dest="comando", parser_class=_Parser, metavar="COMANDO")

    imp = sub.add_parser("importar", help="importa uma planilha (.xlsx ou .csv)")
    imp.add_argument("arquivo", type=Path)
    imp.add_argument("--ano", type=int, help="ano de referência, se a planilha não disser")
    imp.add_argument("--municipio")
    imp.add_argument("--plano")
    imp.add_argument("--simular", action="store_true", help="só confere, não grava nada")
    imp.add_argument("--formato", choices=("texto", "json"), default="texto")
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

    res = sub.add_parser("resumo", help="mostra o cumprimento das metas por eixo")
    res.add_argument("--ano", type=int)
    res.add_argument("--municipio")
    res.add_argument("--formato", choices=("texto", "json"), default="texto")

    ver = sub.add_parser("versoes", help="lista as versões importadas")
    ver.add_argument("--municipio")
    ver.add_argument("--formato", choices=("texto", "json"), default="texto")

    des = sub.add_parser("desfazer", help="volta à versão anterior de um ano")
    des.add_argument("--ano", type=int, required=True)
    des.add_argument("--municipio")

    cop = sub.add_parser(
        "copiar-banco", help="cópia de segurança do banco SQLite, com o painel no ar"
    )
    cop.add_argument("--saida", type=Path, required=True)

    ger = sub.add_parser(
        "gerar-estado", help="gera dados sintéticos de muitos municípios (testes de escala)"
    )
    ger.add_argument("--municipios", type=int, default=400)
    ger.add_argument("--metas", type=int, default=150, help="metas por ano e município")

    comp = sub.add_parser("comparar", help="compara dois anos: variação por eixo e transições")
    comp.add_argument("--de", type=int, required=True, help="ano inicial")
    comp.add_argument("--para", type=int, required=True, help="ano final")
    comp.add_argument("--municipio")
    comp.add_argument("--formato", choices=("texto", "json"), default="texto")
    comp.add_argument(
        "--banco",
        default=argparse.SUPPRESS,
        help="URL do banco de dados (como a opção geral --banco)",
    )

    rel = sub.add_parser("relatorio", help="gera o Relatório de Monitoramento do ano (.docx)")
    rel.add_argument("--ano", type=int, required=True, help="ano de referência do relatório")
    rel.add_argument("--municipio")
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
    rel.add_argument(
        "--banco",
        default=argparse.SUPPRESS,
        help="URL do banco de dados (como a opção geral --banco)",
    )
    apr = sub.add_parser(
        "aprovacao", help="fluxo de aprovação do relatório do ano no CMAS (saída em JSON)"
    )
    apr.add_argument("--ano", type=int, required=True, help="ano de referência do relatório")
    apr.add_argument("--municipio")
    apr.add_argument("--formato", choices=("texto", "json"), default="json")
    apr.add_argument(
        "--banco",
        default=argparse.SUPPRESS,
        help="URL do banco de dados (como a opção geral --banco)",
    )
    etapas = apr.add_subparsers(dest="acao", parser_class=_Parser, metavar="AÇÃO", required=True)
    etapas.add_parser("mostrar", help="mostra o estado, a linha do tempo e as verificações")
    etapas.add_parser("enviar", help="envia o relatório ao CMAS")
    an = etapas.add_parser("analisar", help="registra que o relatório está nas comissões")
    an.add_argument("--comissoes", help="comissões que o analisam (separadas por ;)")
    ap = etapas.add_parser("aprovar", help="registra a aprovação (congela dados e documento)")
    ap.add_argument("--resolucao", required=True, help="número da resolução, ex.: 083/2023")
    ap.add_argument("--data", required=True, help="data da aprovação (dd/mm/aaaa)")
    ap.add_argument("--reuniao", help="data da reunião do CMAS (dd/mm/aaaa)")
    ap.add_argument(
        "--documento",
        type=Path,
        help="o .docx aprovado (sem esta opção, o relatório é gerado agora e guardado)",
    )
    ap.add_argument("--sem-graficos", action="store_true", help="gera o documento sem gráficos")
    dv = etapas.add_parser("devolver", help="registra a devolução com recomendações")
    dv.add_argument("--motivo", required=True, help="as recomendações do CMAS")
    pb = etapas.add_parser("publicar", help="registra a publicação")
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


def cmd_importar(args) -> int:
    if not args.arquivo.is_file():
        print(f"Arquivo não encontrado: {args.arquivo}", file=sys.stderr)
        return 2
    store = _store(args)
    plano = consulta.plan_to_import(store, args.municipio, args.plano)
    try:
        mapa = mapa_mod.saved(store, plano)
        if args.mapa is not None:
            dado = mapa_mod.Mapa.from_json(args.mapa.read_text(encoding="utf-8-sig"))
            mapa = mapa.with_(dado.colunas, dado.situacoes)
    except OSError:
        print(textos.MAPA["arquivo_ilegivel"].format(arquivo=args.mapa), file=sys.stderr)
        return 2
    except mapa_mod.MapaInvalido as exc:
        print(str(exc), file=sys.stderr)
        return 2
    result = gestao.importar(
        store,
        plano,
        args.arquivo.name,
        args.arquivo.read_bytes(),
        actor=linha_de_comando(),
        ano=args.ano,
        simular=args.simular,
        mapa=mapa or None,
        salvar_mapa=args.salvar_mapa,
    )
    if args.formato == "json":
        print(
            json.dumps(
                {**result.as_dict(), "mapa": mapa.as_dict() if mapa else None},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _print_import(result)
        if args.salvar_mapa and mapa:
            key = "mapa_salvo" if result.situacao == "importado" else "mapa_nao_salvo"
            print(textos.MAPA[key])
    return 1 if result.situacao == "rejeitado" else 0


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
        data = consulta.resumo(store, args.ano, args.municipio)
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
    plan = store.plan(args.municipio)
    if plan is None:
        print("Nenhum plano encontrado no banco de dados.", file=sys.stderr)
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
    from pmas.analise import comparacao

    if args.de == args.para:
        print("Erro de uso: --de e --para devem ser anos diferentes.", file=sys.stderr)
        return 2
    store = _store(args)
    try:
        plano_id, plano = consulta.plan_for(store, args.municipio)
    except consulta.SemDados as exc:
        print(str(exc), file=sys.stderr)
        return 1
    metas = store.load("metas", plano_id)
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
        **comparacao.compare(metas, plano, args.de, args.para),
    }
    if args.formato == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{data['municipio']} — {data['plano']} — {args.de} → {args.para}")
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
        plano_id, plano = consulta.plan_for(store, args.municipio)
    except consulta.SemDados as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.campos is not None:
        try:
            novos, erros = campos_mod.from_toml(args.campos.read_bytes())
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
    campos, _ = campos_mod.for_year(store, plano_id, args.ano)
    for rotulo in campos_mod.faltando(campos):
        print(f"Aviso: campo obrigatório em branco: {rotulo} (sai como ________).", file=sys.stderr)
    if args.saida is None:
        return 0
    try:
        result = report.build_report(store, args.ano, plano.municipio, charts=not args.sem_graficos)
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
    return 0


def cmd_aprovacao(args) -> int:
    from pmas.dados import aprovacao

    store = _store(args)
    try:
        plano_id, plano = consulta.plan_for(store, args.municipio)
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
                documento = _documento_aprovado(store, args, plano.municipio)
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


def _documento_aprovado(store: Store, args, municipio: str) -> bytes | None:
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
            store, args.ano, municipio, charts=not args.sem_graficos
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
    try:
        data = consulta.deliberacoes(_store(args), args.edicao, args.ano, args.municipio)
    except consulta.SemDados as exc:
        print(str(exc), file=sys.stderr)
        return 1
    conteudo = devolutiva.build(data)
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
        "deliberacoes": cmd_deliberacoes,
        "devolutiva": cmd_devolutiva,
    }
    if args.comando is None:
        parser.print_help()
        return 2
    return handlers[args.comando](args)
