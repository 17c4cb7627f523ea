// One Plotly chart of the light chart component (pmas/ui/grafico.py), drawn in the page itself by
// Plotly's basic bundle. The bundle is loaded once per page by plotly() (carregar.js, put before
// this script); each render gets the figure as JSON text, the Plotly config and the chart's name,
// and a click on a point, when the chart is clickable, sends the point's customdata back to the
// script as the "clique" trigger. An instance with "precarga" only starts loading the bundle.
const estados = window.__pmasGraficos || (window.__pmasGraficos = new WeakMap());

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  if (data.precarga) {
    plotly(data.plotly); // the screen's charts will need it: load it now
    return;
  }
  let st = estados.get(parentElement);
  if (!st) {
    const div = document.createElement("div");
    div.className = "pmas-grafico";
    div.setAttribute("role", "figure");
    parentElement.appendChild(div);
    st = { div, desenhada: null, ouvindo: false };
    estados.set(parentElement, st);
  }
  st.enviar = setTriggerValue;
  st.div.setAttribute("aria-label", data.titulo);
  if (data.figura === st.desenhada) return;
  st.desenhada = data.figura;
  const fig = JSON.parse(data.figura);
  const layout = fig.layout || {};
  layout.autosize = true;
  delete layout.width;
  // the chart's room is taken before Plotly arrives (nothing below it jumps)
  if (layout.height) st.div.style.height = layout.height + "px";
  plotly(data.plotly)
    .then((P) => P.react(st.div, fig.data || [], layout, data.config || {}).then(() => P))
    .then((P) => {
      if (!st.redimensionar) {
        st.redimensionar = new ResizeObserver(() => P.Plots.resize(st.div));
        st.redimensionar.observe(st.div);
      }
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
