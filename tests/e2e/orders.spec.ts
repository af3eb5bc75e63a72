// Issue 29: "where is my order?" answered live from the shop system. A second www reads its
// orders from the fake Shopify (shop-fakes, in the Admin GraphQL API's shapes); the shopper
// sees the order's tracking link on the card, and a shop system that fails gets the shopper
// a clear message and a person, at once.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { Bellhop } from "./fixtures/bellhop";
import { fakesUrl, shopifyStoreUrl } from "./fixtures/shop";

const screenshots = process.env.BELLHOP_SCREENSHOTS ?? "test-results";

async function say(bellhop: Bellhop, text: string) {
  const box = bellhop.panel.getByRole("textbox");
  await box.fill(text);
  await box.press("Enter");
}

async function mode(request: import("@playwright/test").APIRequestContext, name: string) {
  expect((await request.post(fakesUrl("/_fake/mode"), { data: name })).status()).toBe(204);
}

// One test at a time: they switch the one fake's mode.
test.describe.configure({ mode: "serial" });

test("an order from Shopify shows its status, items and tracking link on the card", async ({ page, request }) => {
  await mode(request, "normal");
  const bellhop = new Bellhop(page);
  await bellhop.goto(shopifyStoreUrl("/products/trail-runner"));
  await bellhop.open();
  await say(bellhop, "where is my order #41002? ben@example.com");
  const card = bellhop.panel.getByTestId("order-card");
  await expect(card).toBeVisible();
  await expect(card).toContainText("Summit Shell Jacket - M");
  await expect(card).toContainText("DHL");
  const tracking = bellhop.log.getByRole("link", { name: "Track the parcel" });
  await expect(tracking).toHaveAttribute("href", "https://www.dhl.com/global-en/home/tracking.html?tracking-id=JJD000390007");
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, "order-from-shopify.png") });
});

test("a wrong email gets the same answer as a missing order", async ({ page, request }) => {
  await mode(request, "normal");
  const bellhop = new Bellhop(page);
  await bellhop.goto(shopifyStoreUrl("/products/trail-runner"));
  await bellhop.open();
  // Each time, wait for the answer itself (not "Let me look that up…" before it).
  const notFound = "I couldn't find an order with that number and email";
  const answers = async () => (await bellhop.log.innerText()).split(notFound).length - 1;
  await say(bellhop, "where is my order #41002? eve@example.com");
  await expect.poll(answers).toBe(1);
  await expect(bellhop.panel.getByTestId("order-card")).toHaveCount(0);
  const wrong = await bellhop.log.innerText();
  await say(bellhop, "where is my order #49999? eve@example.com");
  await expect.poll(answers).toBe(2);
  const after = (await bellhop.log.innerText()).slice(wrong.length);
  // The reply to the missing order repeats the reply to the wrong email, word for word.
  const replyTo = (text: string) => text.split("\n").filter((l) => l && !/eve@example\.com/.test(l));
  expect(replyTo(after).slice(-2)).toEqual(replyTo(wrong).slice(-2));
});

test("Shopify refusing the token gets the shopper a clear message and a person, at once", async ({ page, request }) => {
  await mode(request, "401");
  const bellhop = new Bellhop(page);
  await bellhop.goto(shopifyStoreUrl("/products/trail-runner"));
  await bellhop.open();
  const asked = Date.now();
  await say(bellhop, "where is my order #41002? ben@example.com");
  await expect(bellhop.log).toContainText("I can't check orders right now");
  expect(Date.now() - asked).toBeLessThan(5_000);
  await expect(bellhop.quickReply("Try again")).toBeVisible();
  await expect(bellhop.quickReply("Talk to a person")).toBeVisible();
  await mode(request, "normal");
});
