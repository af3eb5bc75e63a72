// The demo store's cart: kept in localStorage, shown in the header. A real storefront
// has its own; Bellhop only ever reads it through what the page tells it.
(function () {
  var KEY = "fernhill-cart";
  function load() {
    try { var c = JSON.parse(localStorage.getItem(KEY)); return c && Array.isArray(c.items) ? c : { items: [] }; }
    catch (e) { return { items: [] }; }
  }
  function save(cart) { localStorage.setItem(KEY, JSON.stringify(cart)); render(cart); }
  function count(cart) { return cart.items.reduce(function (n, i) { return n + i.quantity; }, 0); }
  function value(cart) { return cart.items.reduce(function (v, i) { return v + i.quantity * i.price; }, 0); }
  function render(cart) {
    var badge = document.getElementById("cart-count");
    if (badge) badge.textContent = String(count(cart));
    var lines = document.getElementById("cart-lines");
    if (lines) {
      lines.textContent = "";
      cart.items.forEach(function (i) {
        var li = document.createElement("li");
        var name = document.createElement("span");
        name.textContent = i.quantity + " × " + i.name;
        var price = document.createElement("span");
        price.textContent = "$" + (i.quantity * i.price).toFixed(2);
        li.append(name, price);
        lines.append(li);
      });
      var total = document.getElementById("cart-total");
      if (total) total.textContent = "$" + value(cart).toFixed(2);
      var empty = document.getElementById("cart-empty");
      if (empty) empty.hidden = cart.items.length > 0;
    }
  }
  window.fernhillCart = {
    add: function (sku, name, price) {
      var cart = load();
      var line = cart.items.find(function (i) { return i.sku === sku; });
      if (line) line.quantity += 1; else cart.items.push({ sku: sku, name: name, price: price, quantity: 1 });
      save(cart);
    },
    clear: function () { save({ items: [] }); },
    load: load,
  };
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-add-to-cart]");
    if (!b) return;
    window.fernhillCart.add(b.dataset.sku, b.dataset.name, Number(b.dataset.price));
    b.textContent = "Added ✓";
  });
  render(load());
})();
