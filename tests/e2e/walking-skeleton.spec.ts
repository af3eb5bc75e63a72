// Issue 2: one script tag on a demo storefront opens a working Bellhop chat.
import { expect, test } from "@playwright/test";
import { Bellhop } from "./fixtures/bellhop";

const pages = [
  { name: "home", path: "/" },
  { name: "product", path: "/products/trail-runner" },
  { name: "checkout", path: "/checkout" },
];

for (const { name, path } of pages) {
  test(`on the ${name} page the chat opens and answers a quick-reply path`, async ({ page }) => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("response", (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));

    const bellhop = new Bellhop(page);
    await bellhop.goto(path);
    await bellhop.open();

    await expect(bellhop.log).toContainText("Hi, I'm Fern!");
    await expect(bellhop.quickReply("Shipping")).toBeVisible();
    await expect(bellhop.quickReply("Returns")).toBeVisible();
    await expect(bellhop.quickReply("Sizing")).toBeVisible();

    await bellhop.choose("Shipping", "Standard shipping is free over $75");
    // The shopper's choice shows as their own message, and its follow-ups replace the menu.
    await expect(bellhop.log.locator(".msg.shopper .bubble")).toHaveText(["Shipping"]);
    await expect(bellhop.quickReply("Returns")).toHaveCount(0);
    await bellhop.choose("Something else", "Anything else I can help with?");
    await bellhop.choose("Returns", "You have 30 days to return unworn items");
    // Markdown arrives as markup the widget built, never as HTML from a string.
    await expect(bellhop.log.locator("strong", { hasText: "30 days" })).toBeVisible();

    expect(errors).toEqual([]);
  });
}

test("the widget's styles do not leak into the page and the page's do not reach in", async ({ page }) => {
  const bellhop = new Bellhop(page);
  await bellhop.goto("/");
  await bellhop.open();
  // The store sets a serif body font; the panel keeps its own sans-serif.
  const storeFont = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  const panelFont = await bellhop.panel.evaluate((el) => getComputedStyle(el).fontFamily);
  expect(storeFont).toContain("Georgia");
  expect(panelFont).not.toContain("Georgia");
  const host = page.locator("bellhop-widget");
  await expect(host).toHaveCount(1);
  expect(await host.evaluate((el) => el.shadowRoot?.mode)).toBe("open");
});

test("the loader does not block the page: it runs after load and keeps queued calls", async ({ page }) => {
  await page.goto("/products/trail-runner");
  // Calls made before the widget is ready are queued by the loader's stub, not lost.
  const queued = await page.evaluate(() => {
    const b = (window as any).Bellhop;
    return typeof b === "function";
  });
  expect(queued).toBe(true);
  const tag = page.locator('script[src="/bellhop/bellhop.js"]');
  await expect(tag).toHaveAttribute("async", "");
});

test("the widget causes no layout shift on the store's page (CLS contribution 0)", async ({ page }) => {
  await page.addInitScript(() => {
    (window as any).__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as any[]) (window as any).__shifts.push(e.value);
    }).observe({ type: "layout-shift", buffered: true });
  });
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await page.waitForFunction(() => performance.getEntriesByName("bellhop:ready").length > 0);
  await bellhop.open();
  await bellhop.choose("Shipping", "Standard shipping is free over $75");
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as any).__shifts)).toEqual([]);
});
