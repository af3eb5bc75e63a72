/*! Bellhop loader. Reads its <script> tag, then loads the widget once the page has loaded
 * and the browser is idle, so the store's own content always comes first. It defines one
 * global, `Bellhop`, a queue that keeps calls made before the widget is ready.
 * `cargo xtask dist` replaces the two file names below with content-hashed ones. */
(function (w, d) {
  var tag = d.currentScript;
  var B = w.Bellhop;
  if (!tag || (B && B.l)) return; // no tag to read, or a second copy of the tag
  if (typeof B != "function") {
    B = w.Bellhop = function () { B.q.push([].slice.call(arguments)); };
    B.q = [];
  }
  B.l = 1;
  var src = tag.src, data = tag.dataset;
  // Performance marks for `cargo xtask bench`: bellhop:loader now, bellhop:ready once the
  // launcher is on the page.
  function mark(n) { try { w.performance.mark("bellhop:" + n); } catch (e) {} }
  mark("loader");
  var mem;
  function url(p) { return new URL(p, src).href; }
  function start() {
    import(url("__BELLHOP_GLUE__"))
      .then(function (m) {
        return m.default({ module_or_path: url("__BELLHOP_WASM__") }).then(function (x) {
          mem = x.memory;
          return m.boot({
            flow: url(data.flow || "/flows/default.json"),
            api: url(data.api || "/"),
            consent: data.consent,
            cart: data.cart,
            analyticsText: data.analyticsText,
          });
        });
      })
      .then(function () {
        w.Bellhop.memory = mem; // the widget's linear memory, for measuring it
        mark("ready");
      })
      .catch(function (e) {
        w.console && console.warn("Bellhop did not start:", e);
        fallback();
      });
  }
  // Without the widget (wasm blocked or unsupported, network down): a plain contact link,
  // when the tag names one with data-fallback (https:, mailto: or tel: only).
  function fallback() {
    var href = data.fallback || "";
    if (!/^(https:|mailto:|tel:)/i.test(href) || d.querySelector("[data-bellhop-fallback]")) return;
    try {
      var host = d.createElement("div"), root = host.attachShadow({ mode: "open" });
      var a = d.createElement("a"), sheet = new CSSStyleSheet();
      host.setAttribute("data-bellhop-fallback", "");
      sheet.replaceSync(":host{all:initial;position:fixed;bottom:20px;right:20px;z-index:2147483000}a{display:block;padding:12px 18px;border-radius:24px;background:#1d2430;color:#fff;font:600 16px/1.2 system-ui,sans-serif;text-decoration:none}a:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}");
      root.adoptedStyleSheets = [sheet];
      a.href = href;
      a.textContent = data.fallbackLabel || "Contact us";
      if (/^https:/i.test(href)) { a.target = "_blank"; a.rel = "noopener"; }
      root.appendChild(a);
      d.body.appendChild(host);
    } catch (e) {}
  }
  function idle() { (w.requestIdleCallback || setTimeout)(start, { timeout: 2000 }); }
  var ready = typeof WebAssembly == "object" ? idle : fallback;
  if (d.readyState == "complete") ready();
  else w.addEventListener("load", ready);
})(window, document);
