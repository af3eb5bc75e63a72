/*! Bellhop loader. Reads its <script> tag, then starts the eager stage (the launcher and
 * the trigger watcher) once the page has loaded and the browser is idle, so the store's own
 * content always comes first. The panel (the chat itself) is fetched and compiled only when
 * the eager stage says it will be needed soon, and started when it is needed now. It
 * defines one global, `Bellhop`, a queue that keeps calls made before either stage is ready.
 * `cargo xtask dist` replaces the four file names below with content-hashed ones. */
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
  // launcher is on the page, bellhop:panel once the panel has started.
  function mark(n) { try { w.performance.mark("bellhop:" + n); } catch (e) {} }
  mark("loader");
  function url(p) { return new URL(p, src).href; }
  var config = {
    flow: url(data.flow || "/flows/default.json"),
    api: url(data.api || "/"),
    consent: data.consent,
    cart: data.cart,
    analyticsText: data.analyticsText,
  };
  var fetched, started, eager, mem = {};
  // The stages' linear memories, for measuring them (`cargo xtask bench`), on whichever
  // `Bellhop` function is current.
  function memories() { w.Bellhop.memory = mem.eager; w.Bellhop.panelMemory = mem.panel; }
  // Download and compile the panel (off the main thread where the browser can) and fetch
  // the compiled flow; nothing runs yet.
  function fetchPanel() {
    if (!fetched) {
      var wasm = url("__BELLHOP_PANEL_WASM__"), flow = new URL(config.flow);
      flow.searchParams.set("format", "bhf");
      fetched = Promise.all([
        fetch(flow.href).then(function (r) { return r.ok ? r.arrayBuffer() : null; }).catch(function () {}),
        import(url("__BELLHOP_PANEL_GLUE__")),
        WebAssembly.compileStreaming
          ? WebAssembly.compileStreaming(fetch(wasm))
          : fetch(wasm).then(function (r) { return r.arrayBuffer(); }).then(WebAssembly.compile),
      ]);
    }
    return fetched;
  }
  // What the eager stage calls: "soon" to fetch the panel, "now" to start it with the page
  // as watched so far (the handover).
  function panel(need, handover) {
    var p = fetchPanel();
    if (need != "now" || started) return;
    started = 1;
    p.then(function (m) {
      return m[1].default({ module_or_path: m[2] }).then(function (x) {
        mem.panel = x.memory;
        return m[1].boot(config, handover, m[0] ? new Uint8Array(m[0]) : undefined);
      });
    }).then(function () { memories(); mark("panel"); }, function (e) {
      w.console && console.warn("Bellhop's chat did not start:", e);
      fetched = started = 0; // try again on the next click or trigger
      eager && eager.resume();
    });
  }
  function start() {
    // The flow's launch part (its launcher and triggers) comes while the module compiles.
    var launch = new URL(config.flow);
    launch.searchParams.set("format", "bhl");
    launch = fetch(launch.href)
      .then(function (r) { return r.ok ? r.arrayBuffer() : null; })
      .then(function (b) { return b && new Uint8Array(b); }, function () {});
    import(url("__BELLHOP_GLUE__"))
      .then(function (m) {
        eager = m;
        return Promise.all([m.default({ module_or_path: url("__BELLHOP_WASM__") }), launch]).then(function (x) {
          mem.eager = x[0].memory;
          m.boot(config, panel, x[1] || undefined);
          memories();
        });
      })
      .then(function () { mark("ready"); })
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
