// Issue 4: proactive triggers fed by real browser signals, with the browser's clock
// controlled by the test for the time-based ones.
import { expect, test } from "@playwright/test";
import { Bellhop } from "./fixtures/bellhop";

const RESCUE = { "free-shipping": "Before you go", discount: "Leaving already?" } as const;

test.beforeEach(async ({ page }) => {
  await Bellhop.recordEvents(page);
});

test("exit intent on checkout with a full cart opens the cart-rescue teaser, and its quick replies work", async ({ page }) => {
  const bellhop = new Bellhop(page);
  await bellhop.addToCart();
  await bellhop.goto("/checkout");
  await bellhop.leaveThroughTop();

  await expect(bellhop.teaser).toContainText(/Before you go|Leaving already\?/);
  const [shown] = await bellhop.events("trigger_shown");
  expect(shown.trigger).toBe("cart-rescue");
  // The shopper sees the variant the analytics report.
  await expect(bellhop.teaser).toContainText(RESCUE[shown.variant as keyof typeof RESCUE]);
  // The teaser never takes focus away from the page.
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe("BELLHOP-WIDGET");

  await bellhop.teaser.getByRole("button", { name: "I have a question" }).click();
  await expect(bellhop.panel).toBeVisible();
  await expect(bellhop.quickReply("Shipping")).toBeVisible();
  expect(await bellhop.events("trigger_converted")).toEqual([
    expect.objectContaining({ trigger: "cart-rescue", variant: shown.variant }),
  ]);
});

test("exit intent with an empty cart, or a quick out-and-back, shows nothing", async ({ page }) => {
  await page.clock.install();
  const bellhop = new Bellhop(page);
  await bellhop.goto("/checkout");
  await bellhop.leaveThroughTop();
  await page.clock.runFor(2_000);
  await expect(bellhop.teaser).toHaveCount(0);

  // With a cart, out and straight back in (within the grace period) is not leaving.
  await page.evaluate(() => (window as any).fernhillCart.add("FH-TR-01", "Trail Runner", 129));
  await page.mouse.move(600, -10);
  await page.clock.runFor(100);
  await page.mouse.move(600, 200);
  await page.clock.runFor(2_000);
  await expect(bellhop.teaser).toHaveCount(0);
  // ...and really leaving still works, which shows the cart reached the widget.
  await bellhop.leaveThroughTop();
  await page.clock.runFor(1_000);
  await expect(bellhop.teaser).toBeVisible();
});

test("time on a product page shows the carousel offer, which works with buttons, keys and labels", async ({ page }) => {
  await page.clock.install();
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await page.clock.runFor(20_000);
  await expect(bellhop.teaser).toHaveCount(0);
  await page.clock.runFor(11_000);
  await expect(bellhop.teaser).toContainText("Runners who looked at this also liked");

  await bellhop.teaser.getByText("Runners who looked at this also liked").click();
  await expect(bellhop.panel).toBeVisible();
  const carousel = bellhop.panel.locator('[aria-roledescription="carousel"]');
  await expect(carousel).toBeVisible();
  const cards = carousel.getByRole("group");
  await expect(cards).toHaveCount(3);
  await expect(cards.nth(0)).toHaveAttribute("aria-label", "1 of 3");
  await expect(cards.nth(2)).toHaveAttribute("aria-label", "3 of 3");
  await expect(cards.nth(0)).toContainText("Merino Midlayer Hoodie");
  await expect(cards.nth(0)).toContainText("$119.00");

  const track = carousel.locator(".track");
  const scrolled = () => track.evaluate((el) => el.scrollLeft);
  const start = await scrolled();
  await carousel.getByRole("button", { name: "Next" }).click();
  await page.clock.runFor(1_000);
  await expect.poll(scrolled).toBeGreaterThan(start + 100);
  await carousel.getByRole("button", { name: "Previous" }).click();
  await page.clock.runFor(1_000);
  await expect.poll(scrolled).toBeLessThan(start + 10);
  await track.focus();
  await page.keyboard.press("ArrowRight");
  await page.clock.runFor(1_000);
  await expect.poll(scrolled).toBeGreaterThan(start + 100);

  // "Add to cart" on a card reaches the store's own cart through the host-page event.
  await cards.nth(1).getByRole("button", { name: "Add to cart" }).click();
  await expect(page.locator("#cart-count")).toHaveText("1");
});

test("active time pauses while the tab is hidden", async ({ page }) => {
  await page.clock.install();
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await page.clock.runFor(10_000);
  await setHidden(page, true);
  await page.clock.runFor(60_000);
  await setHidden(page, false);
  await expect(bellhop.teaser).toHaveCount(0);
  await page.clock.runFor(21_000);
  await expect(bellhop.teaser).toBeVisible();
});

test("frequency caps hold across reloads and pages", async ({ page }) => {
  await page.clock.install();
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await page.clock.runFor(31_000);
  await expect(bellhop.teaser).toBeVisible();

  // once_per_days 3: not again after a reload, nor on another product page.
  await page.reload();
  await expect(bellhop.launcher).toBeVisible();
  await page.clock.runFor(60_000);
  await bellhop.goto("/products/rain-shell");
  await page.clock.runFor(60_000);
  expect(await bellhop.events("trigger_shown")).toEqual([]);

  // Four days later it may show again.
  await page.clock.fastForward(4 * 24 * 3600 * 1000);
  await bellhop.goto("/products/rain-shell");
  await page.clock.runFor(31_000);
  await expect(bellhop.teaser).toBeVisible();
  expect(await bellhop.events("trigger_shown")).toEqual([expect.objectContaining({ trigger: "product-offer" })]);
});

test("a dismissed teaser stays dismissed for that shopper", async ({ page }) => {
  await page.clock.install();
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await page.clock.runFor(31_000);
  await expect(bellhop.teaser).toBeVisible();
  // Esc closes the teaser (focus stayed on the page) and counts as dismissed.
  await page.keyboard.press("Escape");
  await expect(bellhop.teaser).toHaveCount(0);
  expect(await bellhop.events("trigger_dismissed")).toEqual([expect.objectContaining({ trigger: "product-offer" })]);

  await page.clock.fastForward(4 * 24 * 3600 * 1000);
  await bellhop.goto("/products/day-pack");
  await page.clock.runFor(60_000);
  await expect(bellhop.teaser).toHaveCount(0);
  expect(await bellhop.events("trigger_shown")).toEqual([]);
});

test("the teaser's × closes it too", async ({ page }) => {
  await page.clock.install();
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await page.clock.runFor(31_000);
  await bellhop.teaser.getByRole("button", { name: "Dismiss" }).click();
  await expect(bellhop.teaser).toHaveCount(0);
  expect(await bellhop.events("trigger_dismissed")).toHaveLength(1);
});

test("a trigger never interrupts a shopper who is reading the open chat", async ({ page }) => {
  await page.clock.install();
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await bellhop.open();
  await page.clock.runFor(40_000);
  await expect(bellhop.log).not.toContainText("Runners who looked at this also liked");
  expect(await bellhop.events("trigger_shown")).toEqual([]);
});

/** Hides or shows the tab as switching tabs would (headless pages are always visible). */
async function setHidden(page: import("@playwright/test").Page, hidden: boolean) {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

test.describe("on a phone, where there is no pointer to leave the window", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("a fast swipe back up to the top of checkout is exit intent", async ({ page }) => {
    const bellhop = new Bellhop(page);
    await bellhop.addToCart();
    await bellhop.goto("/checkout");
    // A long checkout page (the demo's is short).
    await page.evaluate(() => {
      const filler = document.createElement("div");
      filler.style.height = "4000px";
      document.querySelector("main")!.append(filler);
    });
    // Scroll gestures synthesized by Chromium itself (headless Chromium does not scroll for
    // synthesized touch gestures; the heuristic reads scroll events, whatever moved the page).
    const cdp = await page.context().newCDPSession(page);
    const swipe = (yDistance: number, speed: number) =>
      cdp.send("Input.synthesizeScrollGesture", { x: 200, y: 400, yDistance, speed, gestureSourceType: "mouse" });
    // Reading down slowly, and a slow scroll back up, are not leaving.
    await swipe(-2500, 800);
    await swipe(1200, 400);
    await page.waitForTimeout(500);
    await expect(bellhop.teaser).toHaveCount(0);
    // A fling back to the top is.
    await swipe(-1200, 800);
    await page.waitForTimeout(400);
    await swipe(3000, 8000);
    await expect(bellhop.teaser).toContainText(/Before you go|Leaving already\?/);
    expect(await bellhop.events("trigger_shown")).toEqual([expect.objectContaining({ trigger: "cart-rescue" })]);
  });

  test("a fast swipe to the top fires however long the shopper read before it", async ({ page }) => {
    await page.clock.install();
    const bellhop = new Bellhop(page);
    await bellhop.addToCart();
    await bellhop.goto("/checkout");
    await page.evaluate(() => {
      const filler = document.createElement("div");
      filler.style.height = "4000px";
      document.querySelector("main")!.append(filler);
    });
    const cdp = await page.context().newCDPSession(page);
    const swipe = (yDistance: number, speed: number) =>
      cdp.send("Input.synthesizeScrollGesture", { x: 200, y: 400, yDistance, speed, gestureSourceType: "mouse" });
    await swipe(-2500, 2000);
    // Reading for half a minute, then a fling back to the top: the swipe's start is its own
    // first scroll event, not the last one before the pause.
    await page.clock.fastForward(30_000);
    await swipe(3000, 8000);
    await expect(bellhop.teaser).toContainText(/Before you go|Leaving already\?/);
  });

  test("coming back to the tab after a short absence is exit intent", async ({ page }) => {
    await page.clock.install();
    const bellhop = new Bellhop(page);
    await bellhop.addToCart();
    await bellhop.goto("/checkout");
    // A glance away for a second does not count...
    await setHidden(page, true);
    await page.clock.runFor(1_000);
    await setHidden(page, false);
    await page.clock.runFor(1_000);
    await expect(bellhop.teaser).toHaveCount(0);
    // ...half a minute in another app does.
    await setHidden(page, true);
    await page.clock.runFor(30_000);
    await setHidden(page, false);
    await expect(bellhop.teaser).toBeVisible();
  });
});
