// A merchant's storefront on its own origin, as in a real deployment: this server (port
// BELLHOP_SHOP_PORT) is not `www` (port BELLHOP_PORT), so the widget loads cross-origin.
// Its pages send the strict Content-Security-Policy the README tells merchants to use:
// their own origin, the Bellhop origin and 'wasm-unsafe-eval', no inline script or style.
// Store files and images are passed through from `www`, which plays the store's backend.
//
// Query parameters shape the tag: `?consent=required` adds `data-consent="required"`,
// `?flow=NAME` embeds `/flows/NAME.json` instead of the demo flow;
// `?csp=no-wasm` drops 'wasm-unsafe-eval' from the policy (the widget cannot start) and gives
// the tag a `data-fallback` contact link.
import { createServer } from "node:http";

const shopPort = Number(process.env.BELLHOP_SHOP_PORT ?? 18081);
const bellhop = `http://127.0.0.1:${Number(process.env.BELLHOP_PORT ?? 18080)}`;

export const csp = (wasm = true) => [
  "default-src 'self'",
  `script-src 'self' ${bellhop}${wasm ? " 'wasm-unsafe-eval'" : ""}`,
  `connect-src 'self' ${bellhop}`,
  `img-src 'self' ${bellhop} data:`,
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join("; ");

function page(url) {
  const consent = url.searchParams.get("consent") === "required" ? ' data-consent="required"' : "";
  const fallback = url.searchParams.get("csp") === "no-wasm" ? ' data-fallback="mailto:help@elsewhere.example"' : "";
  const flow = /^[a-z0-9_-]+$/.test(url.searchParams.get("flow") ?? "") ? url.searchParams.get("flow") : "demo";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Elsewhere Goods</title>
<link rel="stylesheet" href="/store/store.css">
<script defer src="/store/store.js"></script>
<script async src="${bellhop}/bellhop/bellhop.js" data-flow="/flows/${flow}.json"${consent}${fallback}></script>
</head>
<body>
<header class="site-header"><a class="brand" href="/">Elsewhere Goods</a>
<nav><a href="/">Shop</a><a href="/products/trail-runner">Trail runners</a><a href="/checkout">Cart (<span id="cart-count">0</span>)</a></nav></header>
<main><h1>${url.pathname === "/" ? "A storefront on its own origin" : url.pathname}</h1>
<p>This page is served by the test suite's own server, not by Bellhop.</p></main>
</body>
</html>
`;
}

createServer(async (req, res) => {
  const url = new URL(req.url, `http://127.0.0.1:${shopPort}`);
  if (url.pathname === "/healthz") {
    res.writeHead(200).end("ok");
  } else if (url.pathname.startsWith("/store/")) {
    const upstream = await fetch(bellhop + url.pathname);
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "text/plain" });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  } else if (url.pathname === "/favicon.ico") {
    res.writeHead(204).end();
  } else {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": csp(url.searchParams.get("csp") !== "no-wasm") });
    res.end(page(url));
  }
}).listen(shopPort, "127.0.0.1");
