/*! Bellhop loader. Reads its <script> tag, then starts the eager stage (the launcher and
 * the trigger watcher) once the page has loaded and the browser is idle, so the store's own
 * content always comes first. The panel (the chat itself) is fetched and compiled only when
 * the eager stage says it will be needed soon, and started when it is needed now. It
 * defines one global, `Bellhop`, a queue that keeps calls made before either stage is ready.
 * `cargo xtask dist` replaces the three file names below with content-hashed ones, and
 * __BELLHOP_LAUNCHER_CSS__ with the launcher's stylesheet (browser/src/launcher.css). */
(function (w, d) {
  var tag = d.currentScript;
  var B = w.Bellhop;
  if (!tag || (B && B.l)) return; // no tag to read, or a second copy of the tag
  // The page's handle until the panel replaces it: each call waits in `q` (at most 500: a
  // page calling in a loop must not grow it without end), which the panel replays in order
  // when it starts, and the eager stage judges it meanwhile. Calls a snippet queued
  // before this script ran are kept.
  var q = (B && B.q) || [], eager;
  B = w.Bellhop = function () {
    var c = [].slice.call(arguments);
    if (q.length < 500) q.push(c);
    if (eager) eager.call("command", c);
  };
  B.q = q;
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
  var fetched, started, target, held = [], mem = {};
  // The page's raw signals, observed here once for both stages and handed to the running
  // one (`signal(kind, a, b, c)`: see browser/src/signals.rs); held while the panel starts.
  function send(k, a, b, c) {
    if (target) target.signal(k, a, b || 0, c || 0);
    else if (held.length < 200) held.push([k, a, b, c]);
  }
  function on(t, n, f) { t.addEventListener(n, f, { passive: true }); }
  function watch() {
    var h = w.history, url = location.href, last = 0, out = 0, de = d.documentElement;
    // Single-page-app navigation: pushState/replaceState announce themselves.
    ["pushState", "replaceState"].forEach(function (n) {
      var o = h[n];
      if (!o || o.__bellhop) return;
      h[n] = function () { var r = o.apply(this, arguments); w.dispatchEvent(new Event("bellhop:navigate")); return r; };
      h[n].__bellhop = 1;
    });
    function nav() { if (location.href != url) { url = location.href; send("page"); } }
    on(w, "popstate", nav);
    on(w, "bellhop:navigate", nav);
    on(d, "visibilitychange", function () { send("visible", !d.hidden); if (!d.hidden) cart(); });
    ["pointermove", "keydown", "touchstart", "wheel"].forEach(function (n) {
      on(d, n, function () { var t = Date.now(); if (t - last >= 1000) { last = t; send("activity"); } });
    });
    on(w, "scroll", function () { send("scroll", w.scrollY, w.innerHeight, de ? de.scrollHeight : 0); });
    on(d, "mouseout", function (e) { if (!e.relatedTarget && e.clientY <= 0 && !out) { out = 1; send("out"); } });
    on(d, "mouseover", function () { if (out) { out = 0; send("back"); } });
    // Shopify: the storefront's own cart, on load, when the shopper comes back, every 20 s.
    function cart() {
      if (data.cart != "shopify") return;
      fetch("/cart.js").then(function (r) { return r.ok ? r.json() : null; }).then(function (c) {
        if (c) send("cart", { items: c.item_count || 0, value: (c.total_price || 0) / 100, currency: c.currency });
      }, function () {});
    }
    cart();
    if (data.cart == "shopify") setInterval(cart, 20000);
  }
  function flush(m) {
    target = m;
    var h = held;
    held = [];
    h.forEach(function (s) { send(s[0], s[1], s[2], s[3]); });
  }
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
      // Fetched ahead on intent and failed (offline): not an error yet, the click tells.
      fetched.catch(function () {});
    }
    return fetched;
  }
  // What the eager stage calls: "soon" to fetch the panel, "now" to start it with the page
  // as watched so far (the handover).
  function panel(need, handover) {
    var p = fetchPanel();
    if (need != "now" || started) return;
    started = 1;
    note("");
    target = 0; // signals wait until the panel has the page
    p.then(function (m) {
      return m[1].default({ module_or_path: m[2] }).then(function (x) {
        mem.panel = x.memory;
        return m[1].boot(config, handover, m[0] ? new Uint8Array(m[0]) : undefined).then(function () { return m[1]; });
      });
    }).then(function (p) { memories(); mark("panel"); flush(p); }, function (e) {
      w.console && console.warn("Bellhop's chat did not start:", e);
      fetched = started = 0; // try again on the next click or trigger
      if (eager) {
        note(eager.call("offline", [])); // a click that could not load the chat is told why
        eager.call("resume", []);
      }
      flush(eager);
    });
  }
  // The eager stage: its wasm with the imports it is written against (launcher/src/abi.rs:
  // text and bytes through its inbox, the page's values held here for the length of one
  // call). No wasm-bindgen glue: on every page view, these few lines instead.
  function stage(launch) {
    var ex, vals = [], out, r, timer, enc = new TextEncoder(), dec = new TextDecoder();
    function at(p, n) { return new Uint8Array(ex.memory.buffer, p, n); }
    function text(p, n) { return dec.decode(at(p, n)); }
    function give(v) { // into the inbox: its length, or -1 for none
      if (v == null) return -1;
      var b = typeof v == "string" ? enc.encode(v) : v;
      at(ex.inbox(b.length), b.length).set(b);
      return b.length;
    }
    function hold(v) { return vals.push(v) - 1; }
    function store(f) { try { return f(w.localStorage); } catch (e) { return -1; } }
    var io = {
      now: Date.now,
      get: function (p, n) { return store(function (s) { return give(s.getItem(text(p, n))); }); },
      set: function (p, n, v, m) { store(function (s) { s.setItem(text(p, n), text(v, m)); }); },
      remove: function (p, n) { store(function (s) { s.removeItem(text(p, n)); }); },
      keys: function () { return store(function (s) { return give(Object.keys(s).join("\n")); }); },
      random: function (p, n) {
        var b = at(p, n);
        try { crypto.getRandomValues(b); } catch (e) { for (var i = 0; i < n; i++) b[i] = Math.random() * 256; }
      },
      page: function (i) {
        var l = location;
        return give([l.href, l.pathname, l.hash, d.documentElement.getAttribute("lang"), navigator.language][i]);
      },
      width: function () { return w.innerWidth; },
      coarse: function () { return w.matchMedia && matchMedia("(pointer: coarse)").matches; },
      hidden: function () { return d.hidden; },
      arm: function (ms) { clearTimeout(timer); if (ms >= 0) timer = setTimeout(function () { call("tick", []); }, ms); },
      panel: function (now, p, n) { panel(now ? "now" : "soon", now && at(p, n).slice()); },
      queue_open: function () { if (q.length < 500) q.push(["open"]); },
      put: function (p, n) { out = text(p, n); },
      num: function (h) { var v = vals[h]; return typeof v == "number" ? v : NaN; },
      str: function (h, n) { var v = vals[h]; return typeof v == "string" || (n && typeof v == "number") ? give(String(v)) : -1; },
      truthy: function (h) { return !!vals[h]; },
    };
    // Reading a page's value can throw (a getter, a proxy's trap): it reads as nothing, and
    // nothing is thrown through the wasm into the page.
    function read(f, none) { return function (h, a, b) { try { return f(vals[h], a, b); } catch (e) { return none(); } }; }
    io.field = read(function (v, p, n) { return hold(v == null ? v : v[text(p, n)]); }, hold);
    io.len = read(function (v) { return Array.isArray(v) ? +v.length : -1; }, function () { return -1; });
    io.item = read(function (v, i) { return hold(v[i]); }, hold);
    io.keys_of = read(function (v) { return v && typeof v == "object" ? give(Object.keys(v).join("\0")) : -1; }, function () { return -1; });
    io.bytes = read(function (v) { return v instanceof Uint8Array ? give(v) : -1; }, function () { return -1; });
    // Calls export `f` with the page's values `v` (its `Held(0)`, `Held(1)`…) and numbers
    // `a`, `b`; returns what it answered through `put` ("" for nothing), and keeps what it
    // returned in `r`.
    function call(f, v, a, b) {
      var was = vals;
      vals = v;
      out = "";
      try { r = ex[f](a, b); } finally { vals = was; }
      return out;
    }
    var wasm = fetch(url("__BELLHOP_WASM__")), imports = { bellhop: io };
    return Promise.all([
      WebAssembly.instantiateStreaming
        ? WebAssembly.instantiateStreaming(wasm, imports)
        : wasm.then(function (r) { return r.arrayBuffer(); }).then(function (b) { return WebAssembly.instantiate(b, imports); }),
      launch,
    ]).then(function (x) {
      ex = x[0].instance.exports;
      mem.eager = ex.memory;
      var queued = q.slice(), spec = call("boot", [config, x[1]]);
      if (!r) throw new Error(spec);
      return {
        call: call,
        spec: spec,
        signal: function (k, a, b, c) { call("signal", [k, a], b, c); },
        queued: queued,
      };
    });
  }
  function start() {
    // The flow's launch part (its launcher and triggers) comes while the module compiles.
    var launch = new URL(config.flow);
    launch.searchParams.set("format", "bhl");
    launch = fetch(launch.href)
      .then(function (r) { return r.ok ? r.arrayBuffer() : null; })
      .then(function (b) { return b && new Uint8Array(b); }, function () {});
    stage(launch)
      .then(function (e) {
        eager = e;
        // (A queued call is the page's own: reading it may throw, and then it is skipped.)
        e.queued.forEach(function (c) { try { e.call("command", [c[0], c[1], c[2]]); } catch (x) {} });
        button(e.spec);
        memories();
        if (target !== 0) target = e;
        on(w, "storage", function (v) { e.call("stored", [v.key]); });
        watch();
        warm();
      })
      .then(function () { mark("ready"); })
      .catch(function (e) {
        w.console && console.warn("Bellhop did not start:", e);
        fallback();
      });
  }
  // Without the widget (wasm blocked or unsupported, network down): a plain contact link,
  // when the tag names one with data-fallback (https:, mailto: or tel: only).
  // The launcher, as the eager stage describes it (`spec`: classes, language, name, tooltip,
  // accent, on-accent, icon path; one a line) in a shadow root with the launcher's
  // stylesheet (the same file the panel's begins with): the panel removes it when it mounts.
  function button(spec) {
    var f = spec.split("\n"), host = d.createElement("bellhop-launcher"), s = host.style;
    s.setProperty("all", "initial", "important");
    s.setProperty("display", "contents", "important");
    d.body.appendChild(host);
    var root = host.attachShadow({ mode: "open" }), sheet = new CSSStyleSheet();
    sheet.replaceSync(__BELLHOP_LAUNCHER_CSS__);
    root.adoptedStyleSheets = [sheet];
    var wrap = d.createElement("div"), b = d.createElement("button");
    var svg = d.createElementNS("http://www.w3.org/2000/svg", "svg"), path = d.createElementNS(svg.namespaceURI, "path");
    wrap.className = f[0];
    wrap.lang = f[1];
    wrap.style.setProperty("--bh-accent", f[4]);
    wrap.style.setProperty("--bh-on-accent", f[5]);
    b.className = "launcher";
    b.type = "button";
    b.setAttribute("data-testid", "launcher");
    b.setAttribute("aria-expanded", "false");
    b.setAttribute("aria-label", f[2]);
    b.title = f[3];
    [["viewBox", "0 0 24 24"], ["width", "28"], ["height", "28"], ["aria-hidden", "true"], ["focusable", "false"]].forEach(function (a) { svg.setAttribute(a[0], a[1]); });
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", f[6]);
    svg.appendChild(path);
    b.appendChild(svg);
    ["pointerenter", "focus", "touchstart"].forEach(function (n) { b.addEventListener(n, function () { eager.call("intent", []); }); });
    b.addEventListener("click", function () { eager.call("open", []); });
    wrap.appendChild(b);
    root.appendChild(wrap);
  }
  // data-warm="idle": the panel into the browser's cache once the page is idle after the
  // eager stage started, so that a first click works offline; never under Save-Data or on
  // a 2G connection. Off by default: it costs every visitor the panel's bytes (README).
  function warm() {
    var c = navigator.connection;
    if (data.warm != "idle" || (c && (c.saveData || /2g/.test(c.effectiveType || "")))) return;
    (w.requestIdleCallback || setTimeout)(fetchPanel, { timeout: 5000 });
  }
  // The launcher's note (`text`; "" takes it away), with the tag's contact: a live region
  // beside the button, in the launcher's shadow root (styled by its stylesheet).
  function note(text) {
    var host = d.querySelector("bellhop-launcher"), root = host && host.shadowRoot && host.shadowRoot.querySelector(".root");
    if (!root) return;
    var old = root.querySelector(".offline-note"), c = contact();
    if (old) old.remove();
    if (!text) return;
    var box = d.createElement("div"), p = d.createElement("p");
    box.className = "offline-note"; // not "note": the panel's system messages are .msg.note
    box.setAttribute("role", "status");
    box.setAttribute("data-testid", "launcher-note");
    p.textContent = text;
    box.appendChild(p);
    if (c) {
      var a = d.createElement("a");
      a.href = c[0];
      a.textContent = c[1];
      if (/^https:/i.test(c[0])) { a.target = "_blank"; a.rel = "noopener"; }
      box.appendChild(a);
    }
    root.appendChild(box);
  }
  // The tag's contact, `[href, label]`, when it is a link a shopper can safely follow.
  function contact() {
    var href = data.fallback || "";
    if (!/^(https:|mailto:|tel:)/i.test(href)) return null;
    return [href, data.fallbackLabel || "Contact us"];
  }
  function fallback() {
    var c = contact();
    if (!c || d.querySelector("[data-bellhop-fallback]")) return;
    try {
      var host = d.createElement("div"), root = host.attachShadow({ mode: "open" });
      var a = d.createElement("a"), sheet = new CSSStyleSheet();
      host.setAttribute("data-bellhop-fallback", "");
      sheet.replaceSync(":host{all:initial;position:fixed;bottom:20px;right:20px;z-index:2147483000}a{display:block;padding:12px 18px;border-radius:24px;background:#1d2430;color:#fff;font:600 16px/1.2 system-ui,sans-serif;text-decoration:none}a:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}");
      root.adoptedStyleSheets = [sheet];
      a.href = c[0];
      a.textContent = c[1];
      if (/^https:/i.test(c[0])) { a.target = "_blank"; a.rel = "noopener"; }
      root.appendChild(a);
      d.body.appendChild(host);
    } catch (e) {}
  }
  function idle() { (w.requestIdleCallback || setTimeout)(start, { timeout: 2000 }); }
  var ready = typeof WebAssembly == "object" ? idle : fallback;
  if (d.readyState == "complete") ready();
  else w.addEventListener("load", ready);
})(window, document);
