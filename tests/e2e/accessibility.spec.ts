// Issue 4: keyboard only, axe-core, a phone-sized screen, a hostile host stylesheet, and a
// storefront on another origin with a strict Content-Security-Policy.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Bellhop } from "./fixtures/bellhop";
import { shopUrl } from "./fixtures/shop";

const screenshots = process.env.BELLHOP_SCREENSHOTS ?? "test-results";

/** The element that has focus, looking inside the widget's shadow root. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return "";
    const name = el.getAttribute("aria-label") ?? el.textContent?.trim() ?? "";
    return `${el.tagName.toLowerCase()}:${name}`;
  });
}

async function axe(page: Page) {
  // Before the panel is loaded, the launcher is the eager stage's own element.
  const host = (await page.locator("bellhop-widget").count()) > 0 ? "bellhop-widget" : "bellhop-launcher";
  const results = await new AxeBuilder({ page }).include(host).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test("a shopper can do everything with the keyboard alone", async ({ page }) => {
  const bellhop = new Bellhop(page);
  await bellhop.goto("/");
  // Tab from the page into the launcher (the widget comes last in the tab order).
  await page.locator("footer").click();
  for (let i = 0; i < 30 && !(await focused(page)).startsWith("button:Open chat"); i++) {
    await page.keyboard.press("Tab");
  }
  expect(await focused(page)).toBe("button:Open chat");
  // A visible focus ring.
  const ring = await bellhop.launcher.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(ring).not.toBe("none");

  await page.keyboard.press("Enter");
  await expect(bellhop.panel).toBeVisible();
  // Focus moved into the panel.
  await expect.poll(() => focused(page)).not.toBe("button:Open chat");
  expect(await bellhop.panel.evaluate((panel) => panel.contains((panel.getRootNode() as ShadowRoot).activeElement))).toBe(true);

  // Tab to a quick reply and press it (Tab may pass through the page and come back: the
  // panel is not modal, the store stays usable while it is open).
  for (let i = 0; i < 60 && (await focused(page)) !== "button:Shipping"; i++) await page.keyboard.press("Tab");
  expect(await focused(page)).toBe("button:Shipping");
  await page.keyboard.press("Enter");
  await expect(bellhop.log).toContainText("Standard shipping is free");

  // Type a question into the composer and send it with Enter.
  for (let i = 0; i < 60 && !(await focused(page)).startsWith("input:"); i++) await page.keyboard.press("Tab");
  expect(await focused(page)).toMatch(/^input:Type your message/);
  await page.keyboard.type("how long do refunds take");
  await page.keyboard.press("Enter");
  await expect(bellhop.log).toContainText("Refunds go back to your original payment method");

  // Esc closes the panel and focus returns to the launcher.
  await page.keyboard.press("Escape");
  await expect(bellhop.panel).toBeHidden();
  await expect.poll(() => focused(page)).toBe("button:Open chat");
});

test("axe-core finds no violations in the open widget, the teaser or the carousel", async ({ page }) => {
  await page.clock.install();
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  expect(await axe(page)).toEqual([]);
  await page.clock.runFor(31_000);
  await expect(bellhop.teaser).toBeVisible();
  expect(await axe(page)).toEqual([]);
  await bellhop.open();
  await expect(bellhop.panel.locator('[aria-roledescription="carousel"]')).toBeVisible();
  await bellhop.choose("No thanks", "Anything else I can help with?");
  await bellhop.choose("Returns", "You have 30 days");
  expect(await axe(page)).toEqual([]);
});

test("in dark mode with reduced motion the widget stays accessible (right-to-left: widget/tests/rich.rs)", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark", reducedMotion: "reduce" });
  const bellhop = new Bellhop(page);
  await bellhop.goto("/");
  await bellhop.open();
  await bellhop.choose("Shipping", "Standard shipping is free");
  expect(await axe(page)).toEqual([]);
  const background = await bellhop.panel.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(background).not.toBe("rgb(255, 255, 255)");
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

  test("the panel fills the screen, the composer text is 16 px and the carousel swipes", async ({ page }) => {
    await page.clock.install();
    const bellhop = new Bellhop(page);
    await bellhop.goto("/products/trail-runner");
    await page.clock.runFor(31_000);
    await bellhop.teaser.getByText("Runners who looked at this also liked").tap();
    await expect(bellhop.panel).toBeVisible();

    // A finger swipes the cards to the left (real touch input through the DevTools protocol).
    const track = bellhop.panel.locator(".track");
    const start = await track.evaluate((el) => el.scrollLeft);
    const t = (await track.boundingBox())!;
    const cdp = await page.context().newCDPSession(page);
    const y = t.y + t.height / 2;
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: t.x + t.width - 20, y }] });
    for (let i = 1; i <= 10; i++) {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x: t.x + t.width - 20 - i * 20, y }] });
    }
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    await page.clock.runFor(1_000);
    await expect.poll(() => track.evaluate((el) => el.scrollLeft)).toBeGreaterThan(start + 100);
    await bellhop.choose("No thanks", "Anything else I can help with?");
    await expect(bellhop.panel).toBeVisible();
    const box = (await bellhop.panel.boundingBox())!;
    expect(box.width).toBeCloseTo(390, 0);
    expect(box.height).toBeCloseTo(844, 0);
    const input = bellhop.panel.getByRole("textbox");
    expect(await input.evaluate((el) => getComputedStyle(el).fontSize)).toBe("16px");
    await bellhop.choose("Shipping", "Standard shipping is free");
    expect(await axe(page)).toEqual([]);
    await bellhop.choose("Something else", "Anything else I can help with?");
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, "widget-open-phone.png") });
  });
});

test("a host page with hostile global CSS does not change the widget", async ({ page }) => {
  const bellhop = new Bellhop(page);
  await bellhop.goto("/");
  await bellhop.open();
  await bellhop.choose("Shipping", "Standard shipping is free");
  const look = () =>
    page.evaluate(() => {
      const root = document.querySelector("bellhop-widget")!.shadowRoot!;
      return [".launcher", ".panel", ".msg.bot .bubble", ".msg.shopper .bubble", ".composer input", ".quick-replies button"].map((sel) => {
        const el = root.querySelector(sel);
        if (!el) return `${sel}: missing`;
        const s = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return `${sel}: ${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}x${Math.round(r.height)} ${s.display} ${s.fontFamily} ${s.fontSize} ${s.color} ${s.backgroundColor} ${s.zIndex}`;
      });
    });
  const before = await look();
  await page.addStyleTag({
    content: `
      * { all: unset !important; box-sizing: content-box !important; font: 40px/3 serif !important; color: red !important; }
      div, aside, button, input, p, ul, li, section, header { display: none !important; }
      *::before, *::after { content: "HACKED" !important; }
      body * { position: static !important; transform: rotate(3deg) !important; z-index: -1 !important; }
      bellhop-widget, [data-testid] { display: none !important; visibility: hidden !important; opacity: 0 !important; }
      :root { --bellhop-accent: red; --accent: red; }
    `,
  });
  await expect.poll(look).toEqual(before);
  await expect(bellhop.panel).toBeVisible();
  await bellhop.choose("Something else", "Anything else I can help with?");
});

test("a storefront on another origin with a strict CSP loads and uses the widget", async ({ page }) => {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => (m.type() === "error" || m.type() === "warning") && problems.push(m.text()));
  page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP blocked ${e.violatedDirective}: ${e.blockedURI}`));
  });
  const bellhop = new Bellhop(page);
  await bellhop.goto(shopUrl("/products/trail-runner"));
  expect(new URL(page.url()).port).not.toBe(new URL(test.info().project.use.baseURL!).port);
  await bellhop.open();
  await expect(bellhop.panel.locator("img.avatar")).toHaveJSProperty("complete", true);
  await bellhop.choose("Shipping", "Standard shipping is free");
  await bellhop.panel.getByRole("textbox").fill("swap size");
  await bellhop.panel.getByRole("textbox").press("Enter");
  await expect(bellhop.log).toContainText("choose Exchange");
  expect(problems).toEqual([]);
});

test("screenshots of the open widget on desktop", async ({ page }) => {
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await bellhop.open();
  await bellhop.choose("Returns", "You have 30 days");
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, "widget-open-desktop.png") });
});
