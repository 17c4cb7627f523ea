// Loads Plotly's basic bundle once per page, as a script element in the page's head, shared by
// every chart of the light chart component (pmas/ui/grafico.py).
function plotly(url) {
  if (!window.__pmasPlotly) {
    window.__pmasPlotly = new Promise((ok, falha) => {
      const s = document.createElement("script");
      s.src = url;
      s.async = true;
      s.onload = () => ok(window.Plotly);
      s.onerror = falha;
      document.head.appendChild(s);
    });
  }
  return window.__pmasPlotly;
}
