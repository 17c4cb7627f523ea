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
