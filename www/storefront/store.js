// The demo store's cart: kept in localStorage, shown in the header. A real storefront
// has its own; Bellhop only ever reads it through what the page tells it.
//
// The Bellhop part is what any merchant would write: tell the widget about the cart
// (`Bellhop('setCart', …)`, queued by the stub below until the widget has loaded) and add
// to the cart when a shopper presses "Add to cart" on a product card in the chat.
(function () {
  var KEY = "fernhill-cart";
  var B = window.Bellhop = window.Bellhop || function () { B.q.push([].slice.call(arguments)); };
  B.q = B.q || [];
  function catalogue() {
    var data = document.getElementById("fernhill-catalogue");
    try { return data ? JSON.parse(data.textContent) : {}; } catch (e) { return {}; }
  }
  function load() {
    try { var c = JSON.parse(localStorage.getItem(KEY)); return c && Array.isArray(c.items) ? c : { items: [] }; }
    catch (e) { return { items: [] }; }
  }
  function save(cart) { localStorage.setItem(KEY, JSON.stringify(cart)); render(cart); tell(cart); }
  function tell(cart) {
    window.Bellhop("setCart", {
      items: cart.items.map(function (i) { return { sku: i.sku, name: i.name, quantity: i.quantity }; }),
      value: value(cart),
      currency: "USD",
    });
  }
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
  window.addEventListener("bellhop:add_to_cart", function (e) {
    var product = catalogue()[e.detail.sku];
    if (!product) return;
    for (var n = Number(e.detail.quantity) || 1; n > 0; n--) window.fernhillCart.add(e.detail.sku, product.name, product.price);
  });
  render(load());
  tell(load());
})();
