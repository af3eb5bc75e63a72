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
  function url(p) { return new URL(p, src).href; }
  function start() {
    import(url("__BELLHOP_GLUE__"))
      .then(function (m) {
        return m.default({ module_or_path: url("__BELLHOP_WASM__") }).then(function () {
          return m.boot({
            flow: url(data.flow || "/flows/default.json"),
            api: url(data.api || "/"),
            consent: data.consent,
            cart: data.cart,
          });
        });
      })
      .catch(function (e) { w.console && console.warn("Bellhop did not start:", e); });
  }
  function idle() { (w.requestIdleCallback || setTimeout)(start, { timeout: 2000 }); }
  if (d.readyState == "complete") idle();
  else w.addEventListener("load", idle);
})(window, document);
