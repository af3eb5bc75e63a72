// Issue 17: a conversation that listens. A question asked while the bot waits for an
// answer is answered; focus never falls to the page; store links stay in the tab; the
// carousel scrolls in the teaser; analytics carry what a merchant needs; dates and money
// read as the shopper's locale writes them.
import { expect, test, type Page } from "@playwright/test";
import { Bellhop } from "./fixtures/bellhop";

async function say(bellhop: Bellhop, text: string) {
  const box = bellhop.panel.getByRole("textbox");
  await box.fill(text);
  await box.press("Enter");
}

test("a question asked while the bot waits for an order number is answered, then the number asked again", async ({ page }) => {
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await bellhop.open();
  await bellhop.choose("Track my order", "What's your order number?");
  await say(bellhop, "actually, what's your return policy?");
  await expect(bellhop.log).toContainText("You have 30 days");
  await expect(bellhop.log).toContainText("Back to my question: What's your order number?");
  await expect(bellhop.log).not.toContainText("Order numbers have five digits");
  await say(bellhop, "it's #10234");
  await expect(bellhop.log).toContainText("And the email address you ordered with?");
  // A "did you mean" bubble keeps its choices readable once they are gone.
  await say(bellhop, "never mind");
  await expect(bellhop.log).toContainText("OK, let’s leave that.");
});

test("after a quick reply the keyboard is in the composer, never on the page", async ({ page }) => {
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await bellhop.open();
  await bellhop.quickReply("Shipping").click();
  await expect(bellhop.log).toContainText("Standard shipping is free over $75");
  const focused = () =>
    page.evaluate(() => {
      const host = document.querySelector("bellhop-widget");
      const inner = host?.shadowRoot?.activeElement;
      return document.activeElement === host ? inner?.getAttribute("data-focus-first") !== null && inner?.tagName : document.activeElement?.tagName;
    });
  await expect.poll(focused).toBe("INPUT");
  // Text typed next goes to the composer.
  await page.keyboard.type("how long does delivery take");
  await page.keyboard.press("Enter");
  await expect(bellhop.log).toContainText("Standard delivery takes 3–5 business days");
});

test("the store's own links open in this tab and the conversation carries over; other sites open a new one", async ({ page, context }) => {
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/day-pack");
  await bellhop.open();
  // Another site (the carrier's tracking page): a new tab, without access to this one.
  await say(bellhop, "where is my order #10234? ana@example.com");
  const tracking = bellhop.log.getByRole("link", { name: "Track the parcel" });
  await expect(tracking).toHaveAttribute("target", "_blank");
  await expect(tracking).toHaveAttribute("rel", /noopener/);
  // Mail and phone links open their app, not a tab.
  await say(bellhop, "how can i contact you");
  await expect(bellhop.log.getByRole("link", { name: "help@fernhill.example" }).last()).not.toHaveAttribute("target", /.+/);
  // A page of the store: this tab, and the chat is there on the next page.
  await say(bellhop, "size chart");
  await say(bellhop, "socks");
  await say(bellhop, "gloves");
  const sizing = bellhop.log.getByRole("link", { name: "our sizing page" });
  await expect(sizing).not.toHaveAttribute("target", /.+/);
  const pages = context.pages().length;
  await sizing.click();
  await expect(page).toHaveURL(/\/products\/trail-runner$/);
  expect(context.pages().length).toBe(pages);
  await expect(bellhop.panel).toBeVisible();
  await expect(bellhop.log).toContainText("full size chart");
});

test("\"Finish my order\" in the checkout rescue stays in the tab, and the chat follows to the next page", async ({ page, context }) => {
  const bellhop = new Bellhop(page);
  await bellhop.addToCart();
  await bellhop.goto("/checkout");
  await bellhop.leaveThroughTop();
  await expect(bellhop.teaser).toBeVisible();
  const finish = bellhop.teaser.getByRole("link", { name: "Finish my order" });
  await expect(finish).not.toHaveAttribute("target", /.+/);
  const pages = context.pages().length;
  await finish.click();
  await expect(page).toHaveURL(/\/checkout$/);
  expect(context.pages().length).toBe(pages);
  // The conversation survived the navigation: the chat the shopper opened is still there.
  await expect(bellhop.panel).toBeVisible();
  await expect(bellhop.log).toContainText("Finish my order");
});

test("the teaser's carousel scrolls with its arrows, which stop at the ends, without opening the chat", async ({ page }) => {
  await page.clock.install();
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await page.clock.runFor(31_000);
  await expect(bellhop.teaser).toContainText("Runners who looked at this also liked");
  // From here real time: smooth scrolling and Playwright's own checks run on frames.
  await page.clock.resume();
  const carousel = bellhop.teaser.locator('[aria-roledescription="carousel"]');
  const previous = carousel.getByRole("button", { name: "Previous" });
  const next = carousel.getByRole("button", { name: "Next" });
  await expect(previous).toBeDisabled();
  await expect(next).toBeEnabled();
  const track = carousel.locator(".track");
  const scrolled = () => track.evaluate((el) => el.scrollLeft);
  for (let i = 0; i < 4 && (await next.isEnabled()); i++) {
    await next.click();
    await page.waitForTimeout(600);
  }
  await expect.poll(scrolled).toBeGreaterThan(100);
  await expect(next).toBeDisabled();
  await expect(previous).toBeEnabled();
  // The arrows scroll: they do not open the chat.
  await expect(bellhop.panel).toBeHidden();
  await expect(bellhop.teaser).toBeVisible();
});

test("analytics events carry numbers, the conversation, labels and what was asked", async ({ page }) => {
  await Bellhop.recordEvents(page);
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await bellhop.open();
  await bellhop.choose("Shipping", "Standard shipping");
  await say(bellhop, "what is your return policy? my email is ana@example.com");
  await expect(bellhop.log).toContainText("You have 30 days");
  await say(bellhop, "flibbertigibbet");
  await expect(bellhop.log).toContainText("didn’t understand");
  const [reply] = await bellhop.events("quick_reply");
  expect(reply).toEqual(expect.objectContaining({ label: "Shipping", action: "faq", target: "shipping-cost" }));
  expect(reply.conversation).toMatch(/^[0-9a-f]{16}$/);
  const answered = await bellhop.events("faq_answered");
  const typed = answered.find((e: any) => e.question);
  expect(typed).toEqual(expect.objectContaining({ entry: "returns", conversation: reply.conversation }));
  expect(typeof typed!.confidence).toBe("number");
  expect(typed!.confidence).toBeGreaterThan(0);
  expect(typed!.confidence).toBeLessThanOrEqual(1);
  expect(typed!.question).not.toContain("ana@example.com");
  const [missed] = await bellhop.events("faq_missed");
  expect(missed).toEqual(expect.objectContaining({ question: "flibbertigibbet", conversation: reply.conversation }));
  expect(Array.isArray(missed.entries)).toBe(true);
  for (const name of ["opened", "quick_reply", "faq_answered", "faq_missed"]) {
    for (const e of await bellhop.events(name)) expect(e.conversation).toBe(reply.conversation);
  }
});

test("with data-analytics-text=\"off\" events leave the shopper's words out", async ({ page }) => {
  await Bellhop.recordEvents(page);
  await page.route(/\/products\//, async (route) => {
    if (route.request().resourceType() !== "document") return route.continue();
    const response = await route.fetch();
    const body = (await response.text()).replace('data-flow="/flows/demo.json"', 'data-flow="/flows/demo.json" data-analytics-text="off"');
    await route.fulfill({ response, body });
  });
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await bellhop.open();
  await say(bellhop, "what is your return policy");
  await expect(bellhop.log).toContainText("You have 30 days");
  const [answered] = await bellhop.events("faq_answered");
  expect(answered.entry).toBe("returns");
  expect(answered).not.toHaveProperty("question");
});

async function speakSpanish(page: Page) {
  await page.route(/\/products\//, async (route) => {
    if (route.request().resourceType() !== "document") return route.continue();
    const response = await route.fetch();
    const body = (await response.text()).replace('<html lang="en">', '<html lang="es-MX">');
    await route.fulfill({ response, body });
  });
}

test("an order's delivery date reads as the shopper's locale writes dates", async ({ page }) => {
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await bellhop.open();
  await say(bellhop, "where is my order #10234? ana@example.com");
  const card = bellhop.panel.getByTestId("order-card");
  await expect(card).toBeVisible();
  // Not 2026-11-24 (the demo order's ISO date) but "Nov 24, 2026".
  await expect(bellhop.log).toContainText(/expected [A-Z][a-z]{2} \d{1,2}, 20\d\d/);
  await expect(card).toContainText(/[A-Z][a-z]{2} \d{1,2}, 20\d\d/);
  await expect(bellhop.log).not.toContainText(/20\d\d-\d\d-\d\d/);

  const spanish = await page.context().browser()!.newContext();
  const es = await spanish.newPage();
  await speakSpanish(es);
  await es.goto("/products/trail-runner");
  await es.getByRole("button", { name: "Abrir chat" }).click();
  const panel = es.getByRole("dialog", { name: "Fern from Fernhill" });
  await panel.getByRole("textbox").fill("donde esta mi pedido #10234? ana@example.com");
  await panel.getByRole("textbox").press("Enter");
  await expect(panel.getByTestId("order-card")).toContainText(/\d{1,2} [a-z]{3}\.? 20\d\d/);
  await spanish.close();
});
