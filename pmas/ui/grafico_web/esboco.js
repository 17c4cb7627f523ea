// The sketch ("esboço") of a bar chart: a static SVG drawn at once from the figure's JSON, without
// Plotly, while Plotly's bundle loads; grafico.js (put after this script) removes it when Plotly has
// drawn the interactive chart in the same place. It follows Plotly's own layout rules (margins
// pushed by tick labels, bar positions, auto ranges and ticks, in-bar text that shrinks or hides,
// legend rows, annotations, the template under the figure) closely enough that the swap does not
// jump, and writes only the figure's own texts and pt-BR numbers. Bar traces only: for any other
// trace type esbocar() draws nothing and the chart waits for Plotly. The SVG is aria-hidden: the
// div around it is the figure screen readers hear.

const SVG_NS = "http://www.w3.org/2000/svg";
// Plotly's defaults
const P_FONTE = { family: '"Open Sans", verdana, arial, sans-serif', size: 12, color: "#444" };
const P_CORES = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
  "#7f7f7f", "#bcbd22", "#17becf"];
const P_MARGEM = { l: 80, r: 80, t: 100, b: 80 };
const TEXTPAD = 3; // between a bar's edge and its text
const ENTRELINHA = 1.3; // Plotly's LINE_SPACING, in em
const MEIO = 0.35; // Plotly's MID_SHIFT: a line's baseline below its middle, in em
const LEGENDA = { simbolo: 40, intervalo: 5, borda: 5 }; // legend: text after the symbol, gaps

// --- texts ----------------------------------------------------------------------------------------

const ENTIDADES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decodificar(s) {
  return s.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e) => {
    if (e[0] === "#") {
      const n = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(n) ? String.fromCodePoint(n) : m;
    }
    return ENTIDADES[e.toLowerCase()] ?? m;
  });
}

// Plotly's text markup as these charts use it: lines at <br>, <b> bold, other tags dropped.
function linhas(texto) {
  return String(texto ?? "").split(/<br\s*\/?>/i).map((linha) => {
    const partes = [];
    let negrito = false;
    for (const peca of linha.split(/(<[^>]*>)/)) {
      if (peca.startsWith("<")) {
        if (/^<\/?b\s*>$/i.test(peca)) negrito = peca[1] !== "/";
      } else if (peca) {
        partes.push({ t: decodificar(peca), negrito });
      }
    }
    return partes;
  });
}

let _pincel = null;
const _validas = new Map();

// A font family list as CSS reads it: one it cannot parse (e.g. with an unquoted "Source Sans 3")
// is dropped. Plotly then measures its texts in the page's font (its measuring node hangs from
// the body) but draws them in its own (its style sheet's): the sketch does both the same way.
function familiaValida(familia) {
  if (!_validas.has(familia)) {
    const sonda = document.createElement("span");
    sonda.style.fontFamily = familia;
    _validas.set(familia, !!sonda.style.fontFamily);
  }
  return _validas.get(familia);
}
const familiaDesenho = (familia) => (familiaValida(familia) ? familia : P_FONTE.family);
const familiaMedida = (familia) =>
  familiaValida(familia) ? familia : getComputedStyle(document.body).fontFamily || P_FONTE.family;

// Width, height and ascent of lines of text in a font (measured as the page will draw it).
function medir(ls, fonte) {
  _pincel = _pincel || document.createElement("canvas").getContext("2d");
  const familia = familiaMedida(fonte.family);
  let w = 0;
  for (const partes of ls) {
    let lw = 0;
    for (const p of partes) {
      _pincel.font = `${p.negrito ? "bold " : ""}${fonte.size}px ${familia}`;
      lw += _pincel.measureText(p.t).width;
    }
    w = Math.max(w, lw);
  }
  _pincel.font = `${fonte.size}px ${familia}`;
  const m = _pincel.measureText("Hg");
  const asc = m.fontBoundingBoxAscent ?? 0.9 * fonte.size;
  const desc = m.fontBoundingBoxDescent ?? 0.25 * fonte.size;
  return { w, h: asc + desc + (ls.length - 1) * ENTRELINHA * fonte.size, asc };
}

function el(pai, nome, atributos) {
  const e = document.createElementNS(SVG_NS, nome);
  for (const [k, v] of Object.entries(atributos)) if (v !== undefined && v !== null) e.setAttribute(k, v);
  pai.appendChild(e);
  return e;
}

// Lines of text; y is the first line's baseline.
function escrever(pai, ls, x, y, fonte, ancora = "start", extra = {}) {
  const t = el(pai, "text", {
    x, y, "text-anchor": ancora, "font-size": fonte.size, fill: fonte.color,
    style: `font-family: ${familiaDesenho(fonte.family)}; white-space: pre`, ...extra,
  });
  ls.forEach((partes, i) => {
    const linha = el(t, "tspan", { x, dy: i ? ENTRELINHA * fonte.size : null });
    for (const p of partes) {
      const s = el(linha, "tspan", { "font-weight": p.negrito ? "bold" : null });
      s.textContent = p.t;
    }
  });
  return t;
}

// --- numbers (Plotly's tick labels with the figure's separators: pt-BR "1.000,5") -----------------

const SI = { 3: "k", 6: "M", 9: "B", 12: "T" };

function formatar(v, casas, seps, expoente) {
  if (v === 0) return "0";
  const [dec, mil] = seps;
  let s = String(+(Math.abs(v) / 10 ** expoente).toFixed(casas));
  if (s.includes("e")) s = Math.abs(v).toPrecision(3);
  let [inteiro, frac] = s.split(".");
  if (mil && (frac || inteiro.length > 4)) inteiro = inteiro.replace(/\B(?=(\d{3})+(?!\d))/g, mil);
  return (v < 0 && +s ? "\u2212" : "") + inteiro + (frac ? dec + frac : "") + (SI[expoente] || "");
}

// A d3 format of the kinds these charts use (",.0f", ".1f", ".0%"); anything else: null.
function formatoD3(v, formato, seps) {
  const m = /^(,)?\.(\d+)([f%])$/.exec(formato || "");
  if (!m) return null;
  const x = m[3] === "%" ? v * 100 : v;
  const [dec, mil] = seps;
  let [inteiro, frac] = Math.abs(x).toFixed(+m[2]).split(".");
  if (m[1]) inteiro = inteiro.replace(/\B(?=(\d{3})+(?!\d))/g, mil);
  return (x < 0 ? "\u2212" : "") + inteiro + (frac ? dec + frac : "") + (m[3] === "%" ? "%" : "");
}

// --- axes -----------------------------------------------------------------------------------------

// Plotly's auto range: the narrowest range in which every point fits with its padding (pixels on
// each side); pontos: [{v, menos, mais}].
function autoFaixa(pontos, comprimento) {
  let r0 = Math.min(...pontos.map((p) => p.v));
  let r1 = Math.max(...pontos.map((p) => p.v));
  let melhor = -1;
  for (const a of pontos) {
    for (const b of pontos) {
      const dv = b.v - a.v;
      const dp = comprimento - a.menos - b.mais;
      if (dv > 0 && dp > 0 && dv / dp > melhor) {
        melhor = dv / dp;
        r0 = a.v - a.menos * melhor;
        r1 = b.v + b.mais * melhor;
      }
    }
  }
  return r0 === r1 ? [r0 - 1, r1 + 1] : [r0, r1];
}

// Tick values and labels of a linear axis (Plotly's auto ticks, or the axis's dtick / tickvals).
function marcasLineares(eixo, faixa, comprimento, letra, seps) {
  const [a, b] = [Math.min(...faixa), Math.max(...faixa)];
  const rotulo = (v, casas, exp) =>
    (eixo.tickprefix || "") + (formatoD3(v, eixo.tickformat, seps) ?? formatar(v, casas, seps, exp))
    + (eixo.ticksuffix || "");
  if (Array.isArray(eixo.tickvals)) {
    return eixo.tickvals.map((v, i) => ({
      v, texto: eixo.ticktext ? String(eixo.ticktext[i] ?? "") : rotulo(v, 6, 0),
    })).filter((m) => m.v >= a && m.v <= b);
  }
  let passo = +eixo.dtick;
  if (!(passo > 0)) {
    const n = eixo.nticks || Math.min(Math.max(comprimento / (letra === "y" ? 40 : 80), 4), 9) + 1;
    const bruto = (b - a) / n;
    const base = 10 ** Math.floor(Math.log10(bruto));
    passo = base * [2, 5, 10].find((k) => k > bruto / base); // Plotly's roundUp: the next one up
  }
  const maior = Math.max(Math.abs(a), Math.abs(b));
  const ordem = Math.floor(Math.log10(maior) + 0.01);
  const exp = ordem > 3 && ordem < 15 ? 3 * Math.round((ordem - 1) / 3) : 0;
  const casas = Math.max(0, -Math.floor(Math.log10(passo / 10 ** exp) + 0.01));
  const inicio = +eixo.tick0 || 0;
  const out = [];
  const folga = passo * 1e-6;
  for (let v = inicio + Math.ceil((a - inicio - folga) / passo) * passo; v <= b + folga; v += passo) {
    if (out.length > 50) break;
    out.push({ v: Math.abs(v) < folga ? 0 : v, texto: rotulo(Math.abs(v) < folga ? 0 : v, casas, exp) });
  }
  return out;
}

// --- the figure, as far as it does not depend on the width -----------------------------------------

function mesclar(base, topo) {
  if (topo === undefined) return base;
  if (!base || typeof base !== "object" || Array.isArray(base)) return topo;
  if (!topo || typeof topo !== "object" || Array.isArray(topo)) return topo;
  const out = { ...base };
  for (const k of Object.keys(topo)) out[k] = mesclar(base[k], topo[k]);
  return out;
}

const valor = (x, i) => (Array.isArray(x) ? x[i] : x);
const DATA = /^\d{4}-\d{2}(-\d{2})?([ T]\d|$)/;

function escuro(cor) {
  const m = /^#([0-9a-f]{6})$/i.exec(cor || "") || /^#([0-9a-f]{3})$/i.exec(cor || "");
  if (!m) return false;
  const h = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  return (r * 299 + g * 587 + b * 114) / 1000 < 128;
}

function preparar(fig) {
  const tracos = (fig.data || []).filter((t) => t.visible !== false);
  if (!tracos.length || tracos.some((t) => t.type !== "bar")) return null;
  const horiz = tracos[0].orientation === "h";
  if (tracos.some((t) => (t.orientation === "h") !== horiz)) return null;
  const modelo = (fig.layout && fig.layout.template) || {};
  const L = mesclar(modelo.layout || {}, fig.layout || {});
  const fonte = { ...P_FONTE, ...(L.font || {}) };
  const seps = L.separators || ".,";
  const [pk, vk] = horiz ? ["y", "x"] : ["x", "y"];
  const eixoCat = L[pk + "axis"] || {};
  const eixoVal = L[vk + "axis"] || {};

  // positions: categories (in Plotly's order) or numbers
  const posicoes = tracos.map((t) => {
    const n = (t[vk] || []).length;
    return Array.isArray(t[pk]) ? t[pk] : Array.from({ length: n }, (_, i) => i);
  });
  const todas = posicoes.flat();
  if (todas.some((p) => typeof p === "string" && DATA.test(p))) return null; // a date axis
  const numerico = eixoCat.type !== "category" && todas.every((p) => typeof p === "number");
  let cats = [...new Set(todas.map(String))];
  if (!numerico) {
    const ordem = eixoCat.categoryorder || "trace";
    if (ordem === "array" && Array.isArray(eixoCat.categoryarray)) {
      const arr = eixoCat.categoryarray.map(String);
      cats = [...arr, ...cats.filter((c) => !arr.includes(c))];
    } else if (ordem.startsWith("category")) {
      cats.sort((a, b) => a.localeCompare(b));
      if (ordem.endsWith("descending")) cats.reverse();
    }
  }
  const indice = new Map(cats.map((c, i) => [c, i]));
  const pos = (p) => (numerico ? +p : indice.get(String(p)));
  const distintos = [...new Set(todas.map(Number))].sort((a, b) => a - b);
  const banda = numerico
    ? Math.min(1, ...distintos.slice(1).map((v, i) => v - distintos[i]).filter((d) => d > 0)) || 1
    : 1;

  // segments, stacked as Plotly stacks them
  const modo = L.barmode || "group";
  const empilha = modo === "stack" || modo === "relative";
  const vao = L.bargap ?? 0.2;
  const vaoGrupo = L.bargroupgap ?? 0;
  const coresPadrao = L.colorway || P_CORES;
  const modeloBarra = ((modelo.data || {}).bar || [])[0] || {};
  const somas = new Map();
  const segmentos = [];
  const legenda = [];
  tracos.forEach((t0, ti) => {
    const t = mesclar(modeloBarra, t0);
    const marcador = t.marker || {};
    const padrao = coresPadrao[ti % coresPadrao.length];
    const corDe = (i) => {
      const c = valor(marcador.color, i);
      return typeof c === "string" ? c : padrao;
    };
    const ocupada = banda * (1 - vao);
    const n = modo === "group" ? tracos.length : 1;
    const largura = +t.width || (ocupada / n) * (modo === "group" ? 1 - vaoGrupo : 1);
    const desloc = modo === "group" ? -ocupada / 2 + (ocupada / n) * (ti + 0.5) : 0;
    const fonteTexto = { ...fonte, ...(t.textfont || {}) };
    (t[vk] || []).forEach((bruto, i) => {
      const v = +bruto;
      const p = pos(posicoes[ti][i]);
      if (bruto === null || !Number.isFinite(v) || p === undefined) return;
      let base = +valor(t.base, i) || 0;
      if (empilha) {
        const chave = modo === "relative" ? `${p}${v < 0 ? "-" : "+"}` : `${p}`;
        base = somas.get(chave) || 0;
        somas.set(chave, base + v);
      }
      const cor = corDe(i);
      const texto = t.texttemplate ? "" : valor(t.text, i);
      const lugar = valor(t.textposition, i) || "auto";
      const fDentro = { ...fonteTexto, ...(t.insidetextfont || {}) };
      if (!(t.insidetextfont || {}).color && !(t.textfont || {}).color) {
        fDentro.color = escuro(cor) ? "#fff" : fonte.color;
      }
      segmentos.push({
        c: p, p: p + desloc, largura, de: base, ate: base + v, cor,
        opacidade: marcador.opacity, borda: marcador.line,
        texto: texto === undefined || texto === null || texto === "" || lugar === "none"
          ? null : linhas(texto),
        lugar, ancora: t.insidetextanchor || "end", angulo: t.textangle,
        fDentro, fFora: { ...fonteTexto, ...(t.outsidetextfont || {}) },
      });
    });
    if (t.showlegend !== false) {
      legenda.push({ nome: linhas(t.name ?? `trace ${ti}`), cor: corDe(0) });
    }
  });

  if (!segmentos.length) return null; // nothing to draw: Plotly's empty axes will do

  // the outermost segment of each bar (the only one whose "auto" text may go outside)
  const ultimo = new Map();
  for (const s of segmentos) ultimo.set(empilha ? `${s.c}${modo === "relative" && s.ate < s.de ? "-" : "+"}` : s, s);
  for (const s of ultimo.values()) s.externa = true;

  const mostraLegenda = L.showlegend ?? legenda.length > 1;
  const leg = L.legend || {};
  const horizontal = leg.orientation === "h";
  const fonteLeg = { ...fonte, ...(leg.font || {}) };
  const ordemLeg = leg.traceorder || (modo === "stack" && !horizontal ? "reversed" : "normal");
  const itens = (ordemLeg.includes("reversed") ? legenda.reverse() : legenda).map((it) => ({
    ...it, medida: medir(it.nome, fonteLeg),
  }));

  const anotacoes = (L.annotations || []).filter((a) => a.visible !== false && a.text).map((a) => {
    const f = { ...fonte, ...(a.font || {}) };
    const ls = linhas(a.text);
    const borda = (a.borderpad ?? 1) + (a.borderwidth ?? 1);
    return { ...a, fonte: f, ls, medida: medir(ls, f), borda };
  });

  const eixo = (e, letra) => {
    const tf = { ...fonte, ...(e.tickfont || {}) };
    const titulo = typeof e.title === "string" ? e.title : (e.title || {}).text;
    const tituloFonte = { ...fonte, size: Math.round(1.2 * fonte.size), ...((e.title || {}).font || {}) };
    return {
      ...e, letra, tf, rotulos: e.showticklabels !== false,
      titulo: titulo ? linhas(titulo) : null, tituloFonte,
      invertido: e.autorange === "reversed",
      fixo: Array.isArray(e.range) && e.autorange !== true && e.autorange !== "reversed",
    };
  };
  const titulo = typeof L.title === "string" ? L.title : (L.title || {}).text;
  return {
    L, fonte, seps, horiz, numerico, cats, banda, segmentos, empilha,
    cat: eixo(eixoCat, pk), val: eixo(eixoVal, vk),
    altura: L.height || 450, margem: { ...P_MARGEM, ...(L.margin || {}) },
    legenda: mostraLegenda && itens.length ? { ...leg, horizontal, fonte: fonteLeg, itens } : null,
    anotacoes,
    titulo: titulo ? linhas(titulo) : null,
    tituloFonte: { ...fonte, size: 1.4 * fonte.size, ...((L.title || {}).font || {}) },
    catRotulos: numerico ? null : cats.map((c) => { const ls = linhas(c); return { ls, medida: null }; }),
  };
}

// --- geometry for one width -------------------------------------------------------------------------

const FRACAO = { left: 0, center: 0.5, right: 1, top: 0, middle: 0.5, bottom: 1 };

function ancoraAuto(a, valorRef, papel, eixoX) {
  if (a && a !== "auto") return a;
  if (!papel) return eixoX ? "center" : "middle";
  if (eixoX) return valorRef <= 1 / 3 ? "left" : valorRef >= 2 / 3 ? "right" : "center";
  return valorRef <= 1 / 3 ? "bottom" : valorRef >= 2 / 3 ? "top" : "middle";
}

function geometria(f, W, m) {
  const H = f.altura;
  const pad = Math.min(12, f.margem.l, f.margem.r, f.margem.t, f.margem.b);
  const area = { x: m.l, y: m.t, w: Math.max(W - m.l - m.r, 1), h: Math.max(H - m.t - m.b, 1) };
  const dom = (e) => e.domain || [0, 1];
  // the axes' pixel extents
  const eixoPx = (e) => {
    const [d0, d1] = dom(e);
    return e.letra === "x"
      ? { ini: area.x + d0 * area.w, comp: (d1 - d0) * area.w }
      : { ini: area.y + (1 - d1) * area.h, comp: (d1 - d0) * area.h };
  };
  const pc = eixoPx(f.cat);
  const pv = eixoPx(f.val);

  // annotations' boxes, relative to their anchor (pixels)
  const caixas = f.anotacoes.map((a) => {
    const bw = a.medida.w + 2 * a.borda;
    const bh = a.medida.h + 2 * a.borda;
    let dx; let dy;
    if (a.showarrow !== false) {
      dx = (a.ax ?? -10) - bw / 2;
      dy = (a.ay ?? -30) - bh / 2;
    } else {
      const xa = ancoraAuto(a.xanchor, a.x, a.xref === "paper", true);
      const ya = ancoraAuto(a.yanchor, a.y, a.yref === "paper", false);
      dx = (a.xshift || 0) - bw * FRACAO[xa];
      dy = -(a.yshift || 0) - bh * FRACAO[ya];
    }
    return { bw, bh, dx, dy };
  });

  // annotations placed on an axis widen its auto range until they fit (as Plotly does; it pads
  // data-plus by the box's reach up, or right, whatever the axis's direction)
  const posicao = (e, v) => (e === f.cat && !f.numerico ? f.cats.indexOf(String(v)) : +v);
  const anotadas = (e) => f.anotacoes.flatMap((a, i) => {
    const v = posicao(e, a[e.letra]);
    if ((a[e.letra + "ref"] || e.letra) !== e.letra || !Number.isFinite(v) || (e === f.cat && v < 0)) {
      return [];
    }
    const c = caixas[i];
    const [ate, volta] = e.letra === "y" ? [-c.dy + 1, c.dy + c.bh] : [c.dx + c.bw + 1, -c.dx];
    return [{ v, mais: Math.max(0, ate), menos: Math.max(0, volta) }];
  });
  // category axis range: every band
  let faixaCat;
  if (f.cat.fixo) {
    faixaCat = f.cat.range.slice();
  } else {
    const ps = f.segmentos.map((s) => s.c);
    faixaCat = autoFaixa([
      { v: Math.min(...ps) - f.banda / 2, menos: 0, mais: 0 },
      { v: Math.max(...ps) + f.banda / 2, menos: 0, mais: 0 },
      ...anotadas(f.cat),
    ], pc.comp);
    if (f.cat.invertido) faixaCat.reverse();
  }
  // value axis range: the bars' ends padded by 5% of the axis, zero unpadded
  let faixaVal;
  if (f.val.fixo) {
    faixaVal = f.val.range.slice();
  } else {
    const pontos = [{ v: 0, menos: 0, mais: 0 }, ...anotadas(f.val)];
    for (const s of f.segmentos) {
      for (const v of [s.de, s.ate]) {
        if (v !== 0) pontos.push({ v, menos: v < 0 ? 0.05 * pv.comp : 0, mais: v > 0 ? 0.05 * pv.comp : 0 });
      }
    }
    faixaVal = autoFaixa(pontos, pv.comp);
    if (f.val.invertido) faixaVal.reverse();
  }
  const mapa = (faixa, p, letra) => (v) => {
    const t = (v - faixa[0]) / (faixa[1] - faixa[0]);
    return letra === "x" ? p.ini + t * p.comp : p.ini + p.comp - t * p.comp;
  };
  const mc = mapa(faixaCat, pc, f.cat.letra);
  const mv = mapa(faixaVal, pv, f.val.letra);

  // ticks: the value axis's and the categories'
  const marcas = (e, faixa, p, mapaE) => {
    let ms;
    if (e === f.cat && !f.numerico) {
      const [a, b] = [Math.min(...faixa), Math.max(...faixa)];
      ms = f.cats.map((c, i) => ({ v: i, ls: f.catRotulos[i].ls })).filter((x) => x.v >= a && x.v <= b);
    } else {
      ms = marcasLineares(e, faixa, p.comp, e.letra, f.seps).map((x) => ({ v: x.v, ls: linhas(x.texto) }));
    }
    for (const x of ms) {
      x.px = mapaE(x.v);
      x.medida = medir(x.ls, e.tf);
    }
    return ms;
  };
  const marcasCat = marcas(f.cat, faixaCat, pc, mc);
  const marcasVal = marcas(f.val, faixaVal, pv, mv);

  // tick labels: where they go, which ones fit in the figure, what they push
  const push = { l: 0, r: 0, t: 0, b: 0 };
  const rotulos = [];
  let profundidadeX = 0;
  let larguraY = 0;
  for (const [e, ms, p] of [[f.cat, marcasCat, pc], [f.val, marcasVal, pv]]) {
    if (!e.rotulos || !ms.length) continue;
    const largo = Math.max(...ms.map((x) => x.medida.w));
    const tick = e.ticks ? e.ticklen ?? 5 : 0;
    if (e.letra === "x") {
      const espaco = ms.length > 1 ? Math.abs(ms[1].px - ms[0].px) : p.comp;
      const alto = Math.max(...ms.map((x) => x.medida.h));
      let angulo = 0;
      if (e === f.cat && !f.numerico && e.tickangle === undefined) {
        angulo = largo <= espaco ? 0 : alto * 1.2 <= espaco ? 30 : 90;
      } else if (typeof e.tickangle === "number") {
        angulo = -e.tickangle;
      }
      const rad = (angulo * Math.PI) / 180;
      const topo = area.y + area.h + tick + 2;
      for (const x of ms) {
        const meia = angulo ? 0 : x.medida.w / 2;
        const fora = angulo ? false : x.px - meia < 0 || x.px + meia > W;
        if (e === f.val && fora) continue; // Plotly hides a number past the figure's edge
        rotulos.push({ e, x, px: x.px, py: topo + (angulo ? 0 : x.medida.asc), angulo });
        if (!angulo) {
          push.l = Math.max(push.l, p.ini - (x.px - meia) + pad);
          push.r = Math.max(push.r, x.px + meia - (p.ini + p.comp) + pad);
        }
      }
      profundidadeX = 2 + tick + (angulo ? largo * Math.sin(rad) + alto * Math.cos(rad) : alto);
    } else {
      const direita = area.x - tick - 2;
      for (const x of ms) {
        const meia = x.medida.h / 2;
        if (e === f.val && (x.px - meia < 0 || x.px + meia > H)) continue;
        rotulos.push({ e, x, px: direita, py: x.px + MEIO * e.tf.size - ((x.ls.length - 1) * ENTRELINHA * e.tf.size) / 2 });
      }
      larguraY = largo + tick + 2;
      push.l = Math.max(push.l, larguraY + pad);
    }
  }
  // axis titles, where Plotly puts them (its title standoff rules)
  const titulos = [];
  for (const e of [f.cat, f.val]) {
    if (!e.titulo) continue;
    const fz = e.tituloFonte.size;
    const p = e === f.cat ? pc : pv;
    const linhasExtra = e.titulo.length - 1;
    const standoff = (e.title || {}).standoff;
    if (e.letra === "x") {
      const d = standoff !== undefined ? profundidadeX + standoff + 0.7 * fz
        : 10 + 1.5 * fz + (e.rotulos ? 1.5 * fz : 0.5 * fz);
      titulos.push({ e, px: p.ini + p.comp / 2, py: area.y + area.h + d });
      profundidadeX += (linhasExtra ? fz * (linhasExtra + 1) * ENTRELINHA : fz) + (standoff || 0);
    } else {
      const d = standoff !== undefined ? larguraY - 2 + standoff + MEIO * fz
        : 10 + 1.5 * fz + (e.rotulos ? 0.5 * fz : 0);
      // moved away from the tick labels if it would touch them
      const px = Math.min(area.x - d, area.x - (e.rotulos ? larguraY : 0) - 2 - 0.25 * fz);
      titulos.push({ e, px, py: p.ini + p.comp / 2, girar: true });
      push.l = Math.max(push.l, larguraY + fz * (linhasExtra + 1) + (standoff || 0) + pad);
    }
  }
  push.b = Math.max(push.b, profundidadeX ? profundidadeX + pad : 0);

  // legend: rows of entries (horizontal) or a column, and where Plotly puts it
  let legenda = null;
  let reservaB = 0;
  if (f.legenda) {
    const lg = f.legenda;
    const fz = lg.fonte.size;
    const alturaItem = (it) => Math.max(ENTRELINHA * fz * it.nome.length, 16) + 3;
    const xref = lg.xref === "container" ? "container" : "paper";
    const yref = lg.yref === "container" ? "container" : "paper";
    const x = lg.x ?? (lg.horizontal ? 0 : 1.02);
    const y = lg.y ?? (lg.horizontal ? -0.1 : 1);
    const xPx = xref === "container" ? x * W : area.x + x * area.w;
    const larguraEntrada = (it) =>
      (lg.entrywidthmode !== "fraction" && lg.entrywidth ? lg.entrywidth : it.medida.w) + LEGENDA.simbolo;
    // each entry: where it starts (x, y inside the legend) and its height (lines of its name)
    const posicoes = [];
    let larguraTotal = 0;
    let alturaTotal = 0;
    if (lg.horizontal) {
      const maxima = Math.max(...lg.itens.map(larguraEntrada));
      const umaLinha = lg.itens.reduce((s, it) => s + larguraEntrada(it) + LEGENDA.intervalo, 0) <= W - xPx;
      let ox = 0;
      let linha = [];
      const fechar = () => {
        const h = Math.max(...linha.map((p) => p.h));
        for (const p of linha) Object.assign(p, { y: alturaTotal, h });
        alturaTotal += h;
        linha = [];
      };
      for (const it of lg.itens) {
        const prox = (umaLinha ? larguraEntrada(it) : maxima) + LEGENDA.intervalo;
        if (ox && prox + ox - LEGENDA.intervalo >= W - xPx) {
          fechar();
          ox = 0;
        }
        const p = { x: ox, h: alturaItem(it) };
        posicoes.push(p);
        linha.push(p);
        ox += prox;
        larguraTotal = Math.max(larguraTotal, ox);
      }
      fechar();
    } else {
      for (const it of lg.itens) {
        posicoes.push({ x: 0, y: alturaTotal, h: alturaItem(it) });
        alturaTotal += alturaItem(it);
      }
      larguraTotal = Math.max(...lg.itens.map(larguraEntrada)) + LEGENDA.intervalo;
    }
    alturaTotal += 2 * LEGENDA.borda;
    const xa = lg.xanchor && lg.xanchor !== "auto" ? lg.xanchor
      : x <= 1 / 3 ? "left" : x >= 2 / 3 && x <= 1 ? "right" : x > 1 ? "left" : "center";
    const ya = lg.yanchor && lg.yanchor !== "auto" ? lg.yanchor
      : y <= 1 / 3 && !(lg.horizontal && lg.y === undefined) ? "bottom" : y >= 2 / 3 ? "top"
        : lg.horizontal && lg.y === undefined ? "top" : "middle";
    const yPx = yref === "container" ? (1 - y) * H : area.y + (1 - y) * area.h;
    legenda = {
      x: xPx - larguraTotal * FRACAO[xa], y: yPx - alturaTotal * FRACAO[ya],
      posicoes, largura: larguraTotal, altura: alturaTotal,
    };
    if (yref === "container" && ya === "bottom" && y === 0) {
      push.b += alturaTotal; // Plotly keeps this room below the axis's own
      reservaB = alturaTotal;
    }
    if (xref === "paper" && x > 1) push.lado = { x, largura: larguraTotal + pad };
  }
  // an axis title never runs into the room kept for the legend (Plotly moves it up)
  for (const t of titulos) {
    if (t.girar) continue;
    const m = medir(t.e.titulo, t.e.tituloFonte);
    const fundo = t.py - m.asc + m.h;
    if (fundo > H - reservaB) t.py -= fundo - (H - reservaB);
  }
  return {
    W, H, area, pc, pv, faixaCat, faixaVal, mc, mv, marcasCat, marcasVal, rotulos, titulos,
    caixas, legenda, push, posicao,
  };
}

// The margins after Plotly's automargin: the layout's own, pushed by what does not fit in them.
function margens(f, g) {
  const m = { ...f.margem };
  const auto = (e) => e.automargin;
  if (auto(f.cat) || auto(f.val)) {
    m.l = Math.max(m.l, g.push.l);
    m.r = Math.max(m.r, g.push.r);
    m.b = Math.max(m.b, g.push.b);
  } else if (f.legenda && g.push.b > m.b && f.legenda.yref === "container") {
    m.b = Math.max(m.b, g.push.b);
  }
  if (g.push.lado) {
    // a legend right of the plot: the plot narrows until the legend fits in the figure
    const w = (g.W - m.l - g.push.lado.largura) / g.push.lado.x;
    m.r = Math.max(m.r, g.W - m.l - w);
  }
  for (const k of ["l", "r", "t", "b"]) m[k] = Math.round(m[k]);
  return m;
}

// --- drawing --------------------------------------------------------------------------------------

function desenhar(f, g) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("class", "pmas-esboco");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("width", g.W);
  svg.setAttribute("height", g.H);
  svg.setAttribute("viewBox", `0 0 ${g.W} ${g.H}`);
  svg.setAttribute("style", "position: absolute; top: 0; left: 0; display: block");
  const { area, pc, pv, mc, mv } = g;
  const L = f.L;
  el(svg, "rect", { x: 0, y: 0, width: g.W, height: g.H, fill: L.paper_bgcolor || "#fff" });
  el(svg, "rect", { x: area.x, y: area.y, width: area.w, height: area.h, fill: L.plot_bgcolor || "#fff" });
  const [x0, x1, y0, y1] = f.horiz
    ? [pv.ini, pv.ini + pv.comp, pc.ini, pc.ini + pc.comp]
    : [pc.ini, pc.ini + pc.comp, pv.ini, pv.ini + pv.comp];

  // grid and zero line
  const linha = (e, px, cor, largura = 1) => el(svg, "path", {
    d: e.letra === "x" ? `M${px},${y0}V${y1}` : `M${x0},${px}H${x1}`,
    stroke: cor, "stroke-width": largura, "shape-rendering": "crispEdges", fill: "none",
  });
  for (const [e, ms] of [[f.cat, g.marcasCat], [f.val, g.marcasVal]]) {
    const grade = e.showgrid ?? (e === f.val || !!e.gridcolor);
    if (!grade) continue;
    for (const x of ms) {
      if (e === f.val && x.v === 0 && e.zeroline !== false) continue;
      linha(e, x.px, e.gridcolor || "#eee", e.gridwidth || 1);
    }
  }
  const [va, vb] = [Math.min(...g.faixaVal), Math.max(...g.faixaVal)];
  if (f.val.zeroline !== false && va <= 0 && vb >= 0) {
    linha(f.val, mv(0), f.val.zerolinecolor || "#444", f.val.zerolinewidth || 1);
  }

  // bars (clipped to the axes, as Plotly clips them)
  const limitar = (v, a, b) => Math.min(Math.max(v, Math.min(a, b)), Math.max(a, b));
  const barras = el(svg, "g", { class: "pmas-esboco-barras" });
  const textos = [];
  for (const s of f.segmentos) {
    if (s.de === s.ate) continue;
    const c0 = mc(s.p - s.largura / 2);
    const c1 = mc(s.p + s.largura / 2);
    const v0 = limitar(mv(s.de), f.horiz ? x0 : y0, f.horiz ? x1 : y1);
    const v1 = limitar(mv(s.ate), f.horiz ? x0 : y0, f.horiz ? x1 : y1);
    const [rx, ry, rw, rh] = f.horiz
      ? [Math.min(v0, v1), Math.min(c0, c1), Math.abs(v1 - v0), Math.abs(c1 - c0)]
      : [Math.min(c0, c1), Math.min(v0, v1), Math.abs(c1 - c0), Math.abs(v1 - v0)];
    const borda = s.borda && s.borda.width ? s.borda : null;
    el(barras, "rect", {
      x: rx, y: ry, width: rw, height: rh, fill: s.cor, "fill-opacity": s.opacidade,
      stroke: borda ? borda.color || "#444" : null, "stroke-width": borda ? borda.width : null,
    });
    if (s.texto) textos.push({ s, rx, ry, rw, rh, v0, v1 });
  }
  desenharTextos(svg, f, textos);

  // tick labels and axis titles
  for (const r of g.rotulos) {
    const e = r.e;
    if (e.letra === "x") {
      const extra = r.angulo ? { transform: `rotate(${-r.angulo},${r.px},${r.py})` } : {};
      const yb = r.angulo ? r.py + e.tf.size * 0.35 : r.py;
      escrever(svg, r.x.ls, r.px, yb, e.tf, r.angulo ? "end" : "middle", extra);
    } else {
      escrever(svg, r.x.ls, r.px, r.py, e.tf, "end");
    }
  }
  for (const t of g.titulos) {
    const ff = t.e.tituloFonte;
    escrever(svg, t.e.titulo, t.px, t.py, ff, "middle",
      t.girar ? { transform: `rotate(-90,${t.px},${t.py})` } : {});
  }

  // annotations
  f.anotacoes.forEach((a, i) => {
    const c = g.caixas[i];
    const ref = (r, v, letra) => {
      if (r !== letra) return letra === "x" ? area.x + (+v || 0) * area.w : area.y + (1 - (+v || 0)) * area.h;
      if (letra !== f.cat.letra) return g.mv(+v);
      const c = g.posicao(f.cat, v);
      return c >= 0 ? g.mc(c) : null;
    };
    const ax = ref(a.xref || "x", a.x, "x"); // Plotly's default: the data's axes
    const ay = ref(a.yref || "y", a.y, "y");
    if (ax === null || ay === null || !Number.isFinite(ax) || !Number.isFinite(ay)) return;
    if (a.showarrow !== false) {
      el(svg, "path", { d: `M${ax},${ay}L${ax + c.dx + c.bw / 2},${ay + c.dy + c.bh / 2}`,
        stroke: a.arrowcolor || f.fonte.color, "stroke-width": a.arrowwidth || 1 });
    }
    const left = ax + c.dx;
    const top = ay + c.dy;
    if (a.bgcolor || a.bordercolor) {
      el(svg, "rect", { x: left, y: top, width: c.bw, height: c.bh, fill: a.bgcolor || "none",
        stroke: a.bordercolor || "none", "stroke-width": a.borderwidth ?? 1 });
    }
    const alinha = a.align || "center";
    const tx = alinha === "left" ? left + a.borda : alinha === "right" ? left + c.bw - a.borda : left + c.bw / 2;
    escrever(svg, a.ls, tx, top + a.borda + a.medida.asc, a.fonte,
      { left: "start", right: "end" }[alinha] || "middle");
  });

  // legend
  if (g.legenda) {
    const lg = g.legenda;
    const grupo = el(svg, "g", { transform: `translate(${lg.x},${lg.y})` });
    f.legenda.itens.forEach((it, i) => {
      const p = lg.posicoes[i];
      const meio = LEGENDA.borda + p.y + p.h / 2;
      el(grupo, "rect", { x: p.x + 14, y: meio - 6, width: 12, height: 12, fill: it.cor });
      const fz = f.legenda.fonte.size;
      escrever(grupo, it.nome, p.x + LEGENDA.simbolo, meio + MEIO * fz - ((it.nome.length - 1) * ENTRELINHA * fz) / 2,
        f.legenda.fonte);
    });
  }

  // title
  if (f.titulo) {
    const T = L.title || {};
    const x = T.x ?? 0.5;
    const xa = ancoraAuto(T.xanchor, x, true, true);
    const px = (T.xref === "paper" ? area.x + x * area.w : x * g.W);
    const py = typeof T.y === "number" ? (1 - T.y) * g.H : f.margem.t / 2;
    escrever(svg, f.titulo, px, py, f.tituloFonte, { left: "start", right: "end" }[xa] || "middle");
  }
  return svg;
}

// In-bar and outside texts, placed, turned, shrunk (and hidden below uniformtext's minimum) as
// Plotly does.
function desenharTextos(svg, f, textos) {
  const u = f.L.uniformtext || {};
  const planos = textos.map((b) => {
    const { s } = b;
    // the bar's extent along its value axis and across it, less the text's padding
    const [ao, atraves] = f.horiz ? [b.rw, b.rh] : [b.rh, b.rw];
    const pad = ao > 2 * TEXTPAD && atraves > 2 * TEXTPAD ? TEXTPAD : 0;
    const [lx, ly] = f.horiz ? [ao - 2 * pad, atraves - 2 * pad] : [atraves - 2 * pad, ao - 2 * pad];
    const md = medir(s.texto, s.fDentro);
    const auto = s.angulo === undefined || s.angulo === "auto";
    const reta = Math.min(1, lx / md.w, ly / md.h);
    const girada = auto ? Math.min(1, lx / md.h, ly / md.w) : 0;
    let fora = s.lugar === "outside";
    if (s.lugar === "auto" && s.externa) {
      const encolhe = f.horiz ? lx >= md.w * (ly / md.h) : ly >= md.h * (lx / md.w);
      fora = !(reta >= 1 || girada >= 1 || encolhe);
    }
    const fonte = fora ? s.fFora : s.fDentro;
    const medida = fora ? medir(s.texto, fonte) : md;
    const girar = !fora && auto && reta < 1 && girada > reta;
    const escala = fora
      ? Math.min(1, (f.horiz ? atraves : ao) / (f.horiz ? medida.h : medida.w))
      : Math.max(0, girar ? girada : reta);
    return { ...b, fora, fonte, medida, girar, tamanho: fonte.size * escala };
  });
  let uniforme = Infinity;
  for (const p of planos) {
    if (u.mode && p.tamanho < (u.minsize || 0)) p.oculto = u.mode === "hide";
    else if (u.mode) uniforme = Math.min(uniforme, p.tamanho);
  }
  const grupo = el(svg, "g", { class: "pmas-esboco-textos" });
  for (const p of planos) {
    if (p.oculto || p.tamanho < 1) continue;
    const tamanho = u.mode && Number.isFinite(uniforme) ? uniforme : p.tamanho;
    const k = tamanho / p.fonte.size;
    const fonte = { ...p.fonte, size: tamanho };
    const n = p.s.texto.length;
    // the text's half extent along the bar (turned text: its height lies along a vertical bar)
    const [w, alto] = [p.medida.w * k, p.medida.h * k];
    const meia = (f.horiz !== p.girar ? w : alto) / 2;
    // pixels: the bar runs from v0 (its base) to v1 (its end), in the direction "sentido"
    const sentido = Math.sign(p.v1 - p.v0) || 1;
    let ao;
    if (p.fora) ao = p.v1 + sentido * (TEXTPAD + meia);
    else if (p.s.ancora === "middle") ao = (p.v0 + p.v1) / 2;
    else if (p.s.ancora === "start") ao = p.v0 + sentido * (TEXTPAD + meia);
    else ao = p.v1 - sentido * (TEXTPAD + meia);
    const [cx, cy] = f.horiz ? [ao, p.ry + p.rh / 2] : [p.rx + p.rw / 2, ao];
    const y = cy + MEIO * tamanho - ((n - 1) * ENTRELINHA * tamanho) / 2;
    escrever(grupo, p.s.texto, cx, y, fonte, "middle",
      p.girar ? { transform: `rotate(-90,${cx},${cy})` } : {});
  }
}

// Draws (or draws again, at the div's width) the sketch of the figure in div; false when the
// figure is not one it can draw (then nothing is drawn).
function esbocar(div, fig) {
  const f = preparar(fig);
  if (!f) return false;
  const W = Math.max(div.clientWidth || (fig.layout || {}).width || 700, 50);
  const primeira = geometria(f, W, f.margem);
  const svg = desenhar(f, geometria(f, W, margens(f, primeira)));
  const velho = div.querySelector(":scope > svg.pmas-esboco");
  if (velho) velho.replaceWith(svg);
  else div.appendChild(svg);
  return true;
}
