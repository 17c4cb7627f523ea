// One Plotly chart inside a Streamlit component frame (pmas/ui/grafico.py). It speaks Streamlit's
// component protocol directly: "componentReady" once, then a "render" message with the arguments
// each time the script runs; it answers with the frame's height and, when the chart is
// clickable, the clicked point's customdata as the component's value.
(() => {
  "use strict";
  const enviar = (type, dados) =>
    window.parent.postMessage({ isStreamlitMessage: true, type, ...dados }, "*");
  const div = document.getElementById("grafico");
  const MARCA = "pmas:grafico-desenhado";
  let desenhada = null; // the figure (JSON text) on screen
  let ouvindo = false;
  let altura = -1;

  const medir = () => {
    const h = Math.ceil(div.getBoundingClientRect().height);
    if (h > 0 && h !== altura) {
      altura = h;
      enviar("streamlit:setFrameHeight", { height: h });
    }
  };

  const nomear = (titulo) => {
    // the frame's accessible name (Streamlit gives it the component's internal name)
    try {
      if (titulo && window.frameElement && window.frameElement.title !== titulo) {
        window.frameElement.title = titulo;
      }
    } catch (e) {
      /* a frame of another origin: nothing to name */
    }
  };

  const desenhar = (args) => {
    nomear(args.titulo);
    if (args.figura === desenhada) return;
    desenhada = args.figura;
    const fig = JSON.parse(args.figura);
    const layout = fig.layout || {};
    layout.autosize = true;
    delete layout.width;
    // the frame takes the chart's height before Plotly draws it (no jump while it loads)
    if (layout.height) {
      div.style.height = layout.height + "px";
      medir();
    }
    const config = Object.assign({}, args.config || {}, { responsive: true });
    Plotly.react(div, fig.data || [], layout, config).then(() => {
      performance.mark(MARCA); // when the chart was drawn (benchmarks/bench_browser.py reads it)
      medir();
      if (args.clicavel && !ouvindo) {
        ouvindo = true;
        div.on("plotly_click", (ev) => {
          const p = ev && ev.points && ev.points[0];
          if (!p || p.customdata === undefined || p.customdata === null) return;
          enviar("streamlit:setComponentValue", {
            value: { customdata: p.customdata, quando: Date.now() },
            dataType: "json",
          });
        });
      }
    });
  };

  window.addEventListener("message", (ev) => {
    if (ev.source === window.parent && ev.data && ev.data.type === "streamlit:render") {
      desenhar(ev.data.args || {});
    }
  });
  window.addEventListener("resize", medir);
  enviar("streamlit:componentReady", { apiVersion: 1 });
})();
