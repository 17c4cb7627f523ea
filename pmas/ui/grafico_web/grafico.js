// One Plotly chart of the light chart component (pmas/ui/grafico.py), drawn in the page itself by
// Plotly's basic bundle. The bundle is loaded once per page by plotly() (carregar.js, put before
// this script); each render gets the figure as JSON text, the Plotly config and the chart's name,
// and a click on a point, when the chart is clickable, sends the point's customdata back to the
// script as the "clique" trigger. Until Plotly has drawn the chart, a static sketch of it
// (esbocar(), esboco.js, also put before this script) stands in its place: drawn at once and
// painted, then Plotly's bundle is loaded, draws into the same div and the sketch is removed.
const estados = window.__pmasGraficos || (window.__pmasGraficos = new WeakMap());

// Resolves once the browser has painted what is on the page now (or after 100 ms, in a tab that
// paints nothing).
function pintado() {
  return new Promise((ok) => {
    requestAnimationFrame(() => setTimeout(ok, 0));
    setTimeout(ok, 100);
  });
}

// The sketch, if this figure has one: a figure it cannot draw, or a failure, leaves the place
// empty until Plotly draws (the sketch is only a first paint).
function esbocarSePuder(div, fig) {
  let feito = false;
  try {
    feito = esbocar(div, fig);
  } catch (erro) {
    console.warn("pmas.grafico: no sketch for this figure", erro);
  }
  if (!feito) {
    const antigo = div.querySelector(":scope > svg.pmas-esboco"); // another figure's
    if (antigo) antigo.remove();
  }
  return feito;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let st = estados.get(parentElement);
  if (!st) {
    const div = document.createElement("div");
    div.className = "pmas-grafico";
    div.setAttribute("role", "figure");
    div.style.position = "relative"; // the sketch lies over the place Plotly draws in
    parentElement.appendChild(div);
    st = { div, desenhada: null, ouvindo: false, plotly: false, esboco: null, largura: 0 };
    estados.set(parentElement, st);
    st.redimensionar = new ResizeObserver(() => {
      if (st.plotly) {
        window.Plotly.Plots.resize(st.div);
      } else if (st.esboco && st.div.clientWidth !== st.largura) {
        st.largura = st.div.clientWidth;
        esbocarSePuder(st.div, st.esboco); // the sketch follows the width until Plotly draws
      }
    });
    st.redimensionar.observe(st.div);
  }
  st.enviar = setTriggerValue;
  st.div.setAttribute("aria-label", data.titulo);
  if (data.figura === st.desenhada) return;
  const figura = (st.desenhada = data.figura);
  const fig = JSON.parse(figura);
  const layout = fig.layout || {};
  layout.autosize = true;
  delete layout.width;
  // the chart's room is taken before anything is drawn (nothing below it jumps)
  if (layout.height) st.div.style.height = layout.height + "px";
  let esperar = null;
  st.esboco = null;
  if (!st.plotly && esbocarSePuder(st.div, fig)) {
    st.esboco = fig;
    st.largura = st.div.clientWidth;
    if (!layout.height) st.div.style.height = "450px"; // Plotly's own height, held for it
    esperar = pintado();
  }
  // Plotly's bundle is asked for once the sketch is on screen: its evaluation would hold the
  // sketch's first paint back
  (esperar || Promise.resolve())
    .then(() => plotly(data.plotly))
    .then((P) => {
      if (st.desenhada !== figura) return null; // a newer figure is on its way
      return P.react(st.div, fig.data || [], layout, data.config || {}).then(() => P);
    })
    .then((P) => {
      if (!P) return;
      st.plotly = true;
      st.esboco = null;
      const esboco = st.div.querySelector(":scope > svg.pmas-esboco");
      if (esboco) esboco.remove();
      if (data.clicavel && !st.ouvindo) {
        st.ouvindo = true;
        st.div.on("plotly_click", (ev) => {
          const p = ev && ev.points && ev.points[0];
          if (p && p.customdata !== undefined && p.customdata !== null) {
            st.enviar("clique", p.customdata);
          }
        });
      }
    });
}
