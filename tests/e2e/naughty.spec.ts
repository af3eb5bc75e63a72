// Issue 7: hostile strings from a server or an agent are text, never markup. Every string of
// the Big List of Naughty Strings (npm `big-list-of-naughty-strings`, MIT, by Max Woolf) and
// classic XSS payloads arrive as agent messages (the live stream) and as order data (a
// lookup answer); no script runs, no element outside the widget's own set appears, no
// javascript: link is made, and the layout holds.
import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Bellhop } from "./fixtures/bellhop";

const naughty: string[] = JSON.parse(
  readFileSync(join(__dirname, "../node_modules/big-list-of-naughty-strings/blns.json"), "utf8"),
);
const xss = [
  "<script>window.__pwned = 1</script>",
  "<img src=x onerror=\"window.__pwned = 2\">",
  "\"><svg onload=\"window.__pwned = 3\">",
  "javascript:window.__pwned = 4",
  "[click me](javascript:window.__pwned=5)",
  "**bold** <b onmouseover=\"window.__pwned = 6\">hover</b>",
];
const corpus = [...naughty, ...xss];

/** What the widget may create in its shadow root (from its own components). */
const ALLOWED = new Set([
  "DIV", "SPAN", "P", "BUTTON", "A", "UL", "OL", "LI", "STRONG", "EM", "BR", "IMG", "SVG", "PATH",
  "CIRCLE", "LINE", "POLYLINE", "RECT", "G", "FORM", "TEXTAREA", "INPUT", "LABEL", "TIME", "H2", "H3",
  "SECTION", "HEADER", "FOOTER", "NAV", "TEMPLATE",
]);

async function watchForScripts(page: Page) {
  const alarms: string[] = [];
  page.on("dialog", async (d) => { alarms.push(`dialog: ${d.message()}`); await d.dismiss(); });
  page.on("pageerror", (e) => alarms.push(`error: ${e.message}`));
  return alarms;
}

async function inspect(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector("bellhop-widget")!.shadowRoot!;
    const elements = [...root.querySelectorAll("*")];
    const log = root.querySelector("[role=log]") as HTMLElement;
    const panel = root.querySelector("[role=dialog]") as HTMLElement;
    const box = panel.getBoundingClientRect();
    return {
      pwned: (window as any).__pwned ?? 0,
      tags: [...new Set(elements.map((e) => e.tagName.toUpperCase()))],
      handlers: elements.flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${e.tagName} ${a.name}`)),
      badLinks: elements.filter((e) => e.tagName === "A").map((a) => a.getAttribute("href") ?? "").filter((h) => !/^(https?:|mailto:|tel:|\/)/.test(h)),
      overflow: log.scrollWidth - log.clientWidth,
      inViewport: box.left >= 0 && box.top >= 0 && box.right <= window.innerWidth + 1 && box.bottom <= window.innerHeight + 1,
      bodyChildren: [...document.body.children].map((e) => e.tagName).filter((t) => t.includes("-") && t !== "BELLHOP-WIDGET"),
    };
  });
}

function expectClean(result: Awaited<ReturnType<typeof inspect>>, alarms: string[]) {
  expect(alarms).toEqual([]);
  expect(result.pwned).toBe(0);
  expect(result.tags.filter((t) => !ALLOWED.has(t))).toEqual([]);
  expect(result.handlers).toEqual([]);
  expect(result.badLinks).toEqual([]);
  expect(result.overflow).toBeLessThanOrEqual(0);
  expect(result.inViewport).toBe(true);
  expect(result.bodyChildren).toEqual([]);
}

test("every naughty string sent as an agent message is shown as text", async ({ page }) => {
  const alarms = await watchForScripts(page);
  // The live stream, as a compromised or careless agent tool could fill it.
  const events = ["retry: 600000", ""];
  events.push("id: 1", "event: joined", `data: ${JSON.stringify({ name: "<img src=x onerror=\"window.__pwned = 7\">" })}`, "");
  corpus.forEach((s, i) => {
    events.push(`id: ${i + 2}`, "event: message", `data: ${JSON.stringify({ name: s, text: s })}`, "");
  });
  await page.route("**/api/v1/conversations/*/events*", (route) =>
    route.fulfill({ status: 200, headers: { "content-type": "text/event-stream" }, body: events.join("\n") + "\n" }));

  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/rain-shell");
  await bellhop.open();
  await bellhop.choose("Talk to a person", "Someone from the team will join in a moment");
  // The widget keeps the latest messages; the last of the corpus shows as written.
  const last = corpus[corpus.length - 1];
  await expect(bellhop.log).toContainText("hover");
  await expect(bellhop.log.getByText("javascript:window.__pwned = 4", { exact: true }).first()).toBeVisible();
  await page.waitForTimeout(300);
  expectClean(await inspect(page), alarms);
  expect(last.length).toBeGreaterThan(0);
});

test("naughty order data is shown as text and a javascript: tracking link is never made", async ({ browser }) => {
  const sample = naughty.filter((_, n) => n % 5 === 0);
  const orders = [
    { number: xss[0], carrier: xss[1], tracking_url: "javascript:window.__pwned=8", names: [...xss, ...sample.slice(0, 45)] },
    { number: sample[50], carrier: sample[51], tracking_url: xss[2], names: sample.slice(45) },
  ];
  for (const o of orders) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const alarms = await watchForScripts(page);
    await page.route("**/api/v1/orders/lookup", (route) =>
      route.fulfill({
        status: 200,
        contentType: "application/json",
        body: JSON.stringify({
          order: {
            number: o.number, status: "shipped", placed_on: o.number, carrier: o.carrier,
            tracking_url: o.tracking_url, estimated_delivery: o.carrier,
            items: o.names.map((name, i) => ({ name, quantity: i + 1 })),
          },
        }),
      }));
    const bellhop = new Bellhop(page);
    const composer = page.getByRole("textbox", { name: "Type your message…" });
    await bellhop.goto("/");
    await bellhop.open();
    await bellhop.choose("Track my order", "What's your order number?");
    await composer.fill("10234");
    await composer.press("Enter");
    await expect(bellhop.log).toContainText("And the email address you ordered with?");
    await composer.fill("ana@example.com");
    await composer.press("Enter");
    const card = bellhop.panel.getByTestId("order-card");
    await expect(card).toBeVisible();
    await expect(card).toContainText(o.names[o.names.length - 1].trim().slice(0, 8));
    expectClean(await inspect(page), alarms);
    await context.close();
  }
});
