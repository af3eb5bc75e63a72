// Issue 20: launcher-first loading. A page view where the shopper does nothing costs the
// eager stage only (the launcher and the trigger watcher); the panel comes on intent.
import { expect, test, type Page } from "@playwright/test";
import { Bellhop } from "./fixtures/bellhop";

/** Every URL the page requested, in order. */
function requests(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  return urls;
}

const panelFiles = (urls: string[]) =>
  urls.filter((u) => /\/bellhop\/bellhop-[0-9a-f]{16}(_bg\.wasm|\.js)$/.test(u) || u.includes("format=bhf"));
const eagerFiles = (urls: string[]) =>
  urls.filter((u) => /\/bellhop\/bellhop(-launcher-[0-9a-f]{16}\.wasm|\.js)$/.test(u) || u.includes("format=bhl"));

test("a page view without interaction downloads only the eager stage and shows the launcher", async ({ page }) => {
  const urls = requests(page);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const bellhop = new Bellhop(page);
  await bellhop.goto("/");
  // Give a lazy panel every chance to sneak in.
  await page.waitForTimeout(3_000);
  expect(panelFiles(urls)).toEqual([]);
  const eager = eagerFiles(urls);
  expect(eager.some((u) => u.includes("bellhop-launcher-") && u.endsWith(".wasm"))).toBe(true);
  expect(eager.some((u) => u.includes("format=bhl"))).toBe(true);
  // Only the eager stage's host is on the page, and nothing was thrown.
  await expect(page.locator("bellhop-launcher")).toHaveCount(1);
  await expect(page.locator("bellhop-widget")).toHaveCount(0);
  expect(errors).toEqual([]);
  // The shopper's records are written by the eager stage alone.
  const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("bellhop:")).sort());
  expect(keys).toEqual(["bellhop:launch", "bellhop:visitor", "bellhop:watched"]);
});

test("pointing at the launcher fetches the panel; a click starts it and the eager launcher steps aside", async ({ page }) => {
  const urls = requests(page);
  const bellhop = new Bellhop(page);
  await bellhop.goto("/");
  expect(panelFiles(urls)).toEqual([]);
  const fetched = page.waitForResponse((r) => /\/bellhop-[0-9a-f]{16}_bg\.wasm$/.test(r.url()));
  await bellhop.launcher.hover();
  await fetched;
  expect(await page.locator("bellhop-widget").count()).toBe(0);
  // From the click to the greeting, as the shopper sees it.
  const started = await page.evaluate(() => performance.now());
  await bellhop.launcher.click();
  await expect(bellhop.log).toContainText("Hi, I'm Fern!");
  const took = (await page.evaluate(() => performance.now())) - started;
  console.log(`click to greeting: ${took.toFixed(0)} ms`);
  await expect(page.locator("bellhop-launcher")).toHaveCount(0);
  await expect(page.locator("bellhop-widget")).toHaveCount(1);
  await expect(page.getByTestId("launcher")).toHaveCount(1);
});

test("a timed trigger fetches the panel shortly before it fires, and its teaser shows when it does", async ({ page }) => {
  await page.clock.install();
  const urls = requests(page);
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  // Most shoppers leave a product page within 30 s: nothing of the panel yet.
  await page.clock.runFor(20_000);
  expect(panelFiles(urls)).toEqual([]);
  // Five seconds before the offer, the panel is fetched and compiled (not started).
  const fetched = page.waitForResponse((r) => /\/bellhop-[0-9a-f]{16}_bg\.wasm$/.test(r.url()));
  await page.clock.runFor(6_000);
  await fetched;
  await expect(page.locator("bellhop-widget")).toHaveCount(0);
  await page.clock.runFor(5_000);
  await expect(bellhop.teaser).toContainText("Runners who looked at this also liked");
  expect(panelFiles(urls).filter((u) => u.endsWith("_bg.wasm"))).toHaveLength(1);
});

test("a full cart on checkout fetches the panel at once: the exit can come any moment", async ({ page }) => {
  const urls = requests(page);
  const bellhop = new Bellhop(page);
  await bellhop.addToCart();
  const fetched = page.waitForResponse((r) => /\/bellhop-[0-9a-f]{16}_bg\.wasm$/.test(r.url()));
  await bellhop.goto("/checkout");
  await fetched;
  await expect(page.locator("bellhop-widget")).toHaveCount(0);
  await bellhop.leaveThroughTop();
  await expect(bellhop.teaser).toBeVisible();
  expect(panelFiles(urls).filter((u) => u.endsWith("_bg.wasm"))).toHaveLength(1);
});

test("a returning shopper with the chat open gets the panel at once, as it was", async ({ page }) => {
  const bellhop = new Bellhop(page);
  await bellhop.goto("/");
  await bellhop.open();
  await bellhop.choose("Shipping", "Standard shipping is free over $75");
  await page.goto("/products/rain-shell");
  await expect(bellhop.panel).toBeVisible();
  await expect(bellhop.log).toContainText("Standard shipping is free over $75");
  // Closed, the next page is a launcher again, and the conversation is there on opening.
  await page.getByTestId("launcher").click();
  await expect(bellhop.panel).toBeHidden();
  await bellhop.goto("/checkout");
  await expect(page.locator("bellhop-widget")).toHaveCount(0);
  await bellhop.open();
  await expect(bellhop.log).toContainText("Standard shipping is free over $75");
});

test("calls made on the eager stage reach the panel: the cart the page set before it came", async ({ page }) => {
  const bellhop = new Bellhop(page);
  await bellhop.goto("/");
  await page.evaluate(() => {
    (window as any).Bellhop("setCart", { items: [{ name: "Trail runner", quantity: 2 }], value: 80, currency: "USD" });
  });
  const handoff = page.waitForRequest((r) => r.url().endsWith("/api/v1/handoffs") && r.method() === "POST");
  await bellhop.open();
  await bellhop.choose("Talk to a person", "Someone from the team will join in a moment");
  const context = (await handoff).postDataJSON().context;
  expect(context.cart_items).toBe(2);
  expect(context.cart_lines).toEqual([{ name: "Trail runner", quantity: 2 }]);
});

test("with data-cart=shopify the loader reads the storefront's cart, and a full one arms the rescue", async ({ page }) => {
  await page.route("**/cart.js", (route) =>
    route.fulfill({ contentType: "application/json", body: JSON.stringify({ item_count: 2, total_price: 12900, currency: "USD" }) }));
  await page.route(/\/checkout$/, async (route) => {
    if (route.request().resourceType() !== "document") return route.continue();
    const response = await route.fetch();
    const body = (await response.text()).replace('data-flow="/flows/demo.json"', 'data-cart="shopify" data-flow="/flows/demo.json"');
    await route.fulfill({ response, body });
  });
  const bellhop = new Bellhop(page);
  const fetched = page.waitForResponse((r) => /\/bellhop-[0-9a-f]{16}_bg\.wasm$/.test(r.url()));
  await bellhop.goto("/checkout");
  // The demo store's own cart is empty: only Shopify's says two items.
  await expect(page.locator("#cart-count")).toHaveText("0");
  await fetched;
  await bellhop.leaveThroughTop();
  await expect(bellhop.teaser).toBeVisible();
});

test("values a hostile page passes to the eager stage throw nothing into it, and the stage still judges the next call", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const bellhop = new Bellhop(page);
  const fetched = page.waitForResponse((r) => /\/bellhop-[0-9a-f]{16}_bg\.wasm$/.test(r.url()));
  await bellhop.goto("/checkout");
  await page.waitForFunction(() => (window as any).Bellhop?.memory instanceof WebAssembly.Memory);
  const thrown = await page.evaluate(() => {
    const B = (window as any).Bellhop;
    const trap = () => { throw new Error("trap"); };
    const hostile = new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap, has: trap });
    const { proxy: revoked, revoke } = Proxy.revocable([], {});
    revoke();
    const calls: unknown[][] = [
      ["setCart", hostile],
      ["setCart", { items: hostile, value: hostile }],
      ["setCart", { items: [hostile, { get name() { throw new Error("getter"); } }], value: "12", currency: 5 }],
      ["setCart", { items: revoked }],
      // A proxy can claim any length: the stage reads a thousand lines and goes on.
      ["setCart", { items: new Proxy([], { get: (_, k) => (k === "length" ? 1e9 : { name: "x", quantity: 1 }) }) }],
      ["identify", hostile],
      ["identify", revoked],
      ["identify", { email: { toString: trap }, visits: NaN, big: 1e21 }],
      ["track", { toString: trap }],
      ["preview", hostile, hostile],
      ["consent", hostile],
      [hostile],
    ];
    let count = 0;
    for (const c of calls) {
      try { B(...c); } catch { count++; }
    }
    return count;
  });
  expect(thrown).toBe(0);
  // A real cart after all that: the checkout's rescue is armed (the panel comes at once) and
  // the exit shows it.
  await page.evaluate(() => (window as any).Bellhop("setCart", { items: 2, value: 129, currency: "USD" }));
  await fetched;
  await bellhop.leaveThroughTop();
  await expect(bellhop.teaser).toBeVisible();
  expect(errors).toEqual([]);
});
