"""What every screen shares in the browser: a few style rules (contrast, text that wraps instead
of being cut) and the Portuguese for Streamlit's own remaining English words.

Streamlit has no locale setting. Its English labels (the uploader, the menus, the data grid's
toolbar, screen-reader labels such as "Help for …") are replaced in the browser by a small script,
injected once per page load: it translates what is on the page and, through a MutationObserver,
whatever Streamlit draws later. Only whole texts and attribute values are replaced (from
``textos.INTERFACE`` and ``textos.INTERFACE_PADROES``), so an upgrade that renames a label leaves
it in English, which the browser tests catch (tests/e2e/test_e2e_telas.py), and never breaks a
screen. The page's own content is never touched: app texts are Portuguese already.
"""

from __future__ import annotations

import json

import streamlit as st

from pmas import textos

# Text colours for secondary text: Streamlit's captions (its text colour at 60% opacity) read at 4,0:1, below
# WCAG AA's 4,5:1; this grey reads at 7,6:1 on white and 6,9:1 on the sidebar's background.
CAPTION_COLOR = "#4B5563"

CSS = f"""
<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] [data-testid="stCaptionContainer"] {{
  color: {CAPTION_COLOR}; opacity: 1;
}}
/* section headings (h2) a step smaller than the page title, as Streamlit's subheaders */
[data-testid="stMain"] h2 {{ font-size: 1.6rem; }}
/* KPI card labels wrap instead of ending in "…" */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}}
/* button labels (downloads, links) wrap instead of ending in "…" */
[data-testid="stDownloadButton"] button, [data-testid="stBaseButton-secondary"],
[data-testid="stBaseButton-primary"] {{ height: auto; }}
[data-testid="stDownloadButton"] button *, [data-testid="stButton"] button *,
[data-testid="stPageLink"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}}
/* tabs wrap onto a second line on a phone instead of hiding behind a scroll arrow */
[data-testid="stTabs"] [role="tablist"] {{ flex-wrap: wrap; }}
/* this script's own element takes no room */
.stElementContainer:has(> .stHtml .pmas-aparencia),
.element-container:has(.pmas-aparencia) {{ display: none; }}
</style>
"""

_SCRIPT = """
<span class="pmas-aparencia" hidden></span>
<script>
(() => {
  const w = window;
  if (w.__pmasTraducao) { return; }
  w.__pmasTraducao = true;
  const EXATOS = __EXATOS__;
  const PADROES = __PADROES__.map(([p, r]) => [new RegExp(p), r]);
  const ATRIBUTOS = ["aria-label", "title", "placeholder", "alt"];
  const traduz = (s) => {
    if (!s) return null;
    const t = s.trim();
    if (Object.prototype.hasOwnProperty.call(EXATOS, t)) {
      return EXATOS[t] === t ? null : s.replace(t, EXATOS[t]);
    }
    for (const [re, rep] of PADROES) {
      if (re.test(t)) return s.replace(t, t.replace(re, rep));
    }
    return null;
  };
  const elemento = (el) => {
    for (const a of ATRIBUTOS) {
      const v = el.getAttribute && el.getAttribute(a);
      const n = traduz(v);
      if (n !== null && n !== v) el.setAttribute(a, n);
    }
  };
  const no = (root) => {
    if (root.nodeType === 3) {
      const n = traduz(root.nodeValue);
      if (n !== null && n !== root.nodeValue) root.nodeValue = n;
      return;
    }
    if (root.nodeType !== 1) return;
    if (root.closest && root.closest("[data-testid='stIconMaterial'], .pmas-aparencia, script, style")) return;
    elemento(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    let n;
    while ((n = walker.nextNode())) {
      if (n.nodeType === 3) {
        const p = n.parentElement;
        if (p && (p.closest("[data-testid='stIconMaterial'], script, style"))) continue;
        const t = traduz(n.nodeValue);
        if (t !== null && t !== n.nodeValue) n.nodeValue = t;
      } else {
        elemento(n);
      }
    }
  };
  const obs = new MutationObserver((muts) => {
    for (const m of muts) {
      if (m.type === "attributes") elemento(m.target);
      else if (m.type === "characterData") no(m.target);
      else m.addedNodes.forEach(no);
    }
  });
  obs.observe(document.body, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ATRIBUTOS,
  });
  document.documentElement.lang = "pt-BR";
  no(document.body);
})();
</script>
"""


def script() -> str:
    """The translating script with the dictionary from :mod:`pmas.textos`."""
    return _SCRIPT.replace("__EXATOS__", json.dumps(textos.INTERFACE, ensure_ascii=False)).replace(
        "__PADROES__", json.dumps(textos.INTERFACE_PADROES, ensure_ascii=False)
    )


def apply() -> None:
    """Style rules and the Portuguese labels; call once per run, before anything is drawn."""
    st.html(CSS)
    st.html(script(), unsafe_allow_javascript=True)
