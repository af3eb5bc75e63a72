// Issue 21: the merchant console. An owner edits a copy of the demo flow in the browser,
// tries it beside the editor with the real widget, publishes it and rolls it back; agents
// are kept out; a trigger edited in the console fires on the storefront.
//
// Each test works on a flow of its own (`?flow=NAME` on the storefront), so the other
// tests, which use the demo flow on the same server, never see these edits.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Bellhop } from "./fixtures/bellhop";

const screenshots = process.env.BELLHOP_SCREENSHOTS ?? "test-results";

async function logIn(page: Page, email: string, password: string) {
  await page.goto("/inbox/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

const owner = (page: Page) => logIn(page, "owner@fernhill.example", "fernhill-owner");

/** A copy of the demo flow under `name`, published once as version 1. */
async function copyOfDemo(page: Page, name: string) {
  await owner(page);
  await expect(page).toHaveURL(/\/console$/);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Start from").selectOption("demo");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { name: `Flow ${name}` })).toBeVisible();
  await page.getByRole("button", { name: "Publish the draft" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Published" })).toBeVisible();
}

async function axe(page: Page) {
  const results = await new AxeBuilder({ page }).exclude("iframe").analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function publish(page: Page, name: string) {
  await page.goto(`/console/flows/${name}`);
  await page.getByRole("button", { name: "Publish the draft" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Published" })).toBeVisible();
}

/** A shopper who has never been here asks a question on the storefront running `flow`. */
async function freshShopperAsks(page: Page, flow: string, question: string) {
  const context = await page.context().browser()!.newContext();
  const shopper = new Bellhop(await context.newPage());
  await shopper.goto(`/?flow=${flow}`);
  await shopper.open();
  await shopper.panel.getByRole("textbox", { name: "Type your message…" }).fill(question);
  await shopper.panel.getByRole("textbox", { name: "Type your message…" }).press("Enter");
  return { shopper, context };
}

test("an owner adds an FAQ entry, fixes it, tries it, publishes it and rolls it back", async ({ page }) => {
  test.setTimeout(90_000);
  await copyOfDemo(page, "console-faq");
  expect(await axe(page)).toEqual([]);

  // A new entry with two phrasings and no answer yet.
  await page.getByRole("link", { name: "FAQ", exact: true }).click();
  await page.getByRole("button", { name: "Add an FAQ entry" }).click();
  await expect(page.getByRole("heading", { name: /FAQ entry “new-question”/ })).toBeVisible();
  await page.getByLabel("Id", { exact: true }).fill("dogs");
  const question = page.getByRole("group", { name: /^Question/ });
  await question.getByLabel("English").fill("Can I bring my dog to the store?");
  await question.getByLabel("Spanish").fill("¿Puedo ir a la tienda con mi perro?");
  const phrasings = page.getByRole("group", { name: /^Phrasings/ });
  await phrasings.getByLabel("English").fill("are dogs allowed in the shop\npets welcome in store");
  await phrasings.getByLabel("Spanish").fill("se admiten perros en la tienda\nmascotas en la tienda");

  // Unsaved work survives a reload.
  await page.reload();
  await expect(page.getByText("Restored the changes you had not saved")).toBeVisible();
  await expect(page.getByRole("group", { name: /^Phrasings/ }).getByLabel("English")).toHaveValue(
    "are dogs allowed in the shop\npets welcome in store",
  );
  await page.getByRole("button", { name: "Save the draft" }).click();

  // The empty answer is an error next to the answer, and the draft cannot be published.
  // In the forms' words: no "goto", no file notation.
  const problem = page.locator(".problems li.error", { hasText: "This entry has no answer yet." });
  await expect(problem).toBeVisible();
  await expect(problem).toContainText("Fix: Write what the shopper should read in “Answer”");
  await expect(problem).not.toContainText("goto");
  await expect(page.getByText("Restored the changes")).toBeHidden();
  const answer = page.getByRole("group", { name: /^Answer \(Markdown/ });
  await expect(problem.locator("xpath=ancestor::form")).toHaveCount(1);
  await page.goto("/console/flows/console-faq");
  await expect(page.getByRole("button", { name: "Publish the draft" })).toBeDisabled();
  await page.goBack();

  await answer.getByLabel("English").fill("Dogs on a lead are **welcome** in our shop.");
  await answer.getByLabel("Spanish").fill("Los perros con correa son **bienvenidos** en la tienda.");
  await page.getByRole("button", { name: "Save the draft" }).click();
  await expect(problem).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: /^0 errors|no problems/ }).first()).toBeVisible();
  await expect(page.locator(".preview strong", { hasText: "welcome" })).toBeVisible();

  // The question box: the entry wins, with the words it shares.
  await page.getByLabel("Ask the FAQ a question").fill("can my dog come into the shop");
  await page.getByRole("button", { name: "Ask", exact: true }).click();
  const explained = page.locator("#explained");
  await expect(explained).toContainText("Answers with dogs");
  await expect(explained.getByRole("row").nth(1)).toContainText("dogs");
  await expect(explained.getByRole("row").nth(1)).toContainText("dog");
  expect(await axe(page)).toEqual([]);

  // The preview is the real widget running the draft.
  // (The launcher is fixed in the frame's corner: Playwright scrolls the frame, not the page.)
  await page.locator("iframe.preview").scrollIntoViewIfNeeded();
  const preview = page.frameLocator("iframe.preview");
  await preview.getByRole("button", { name: "Open chat" }).click();
  const composer = preview.getByRole("textbox", { name: "Type your message…" });
  await composer.fill("are dogs allowed in the shop");
  await composer.press("Enter");
  await expect(preview.getByRole("log")).toContainText("Dogs on a lead are welcome in our shop.");
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, "console-editor.png"), fullPage: true });

  // Not live before publishing: a fresh shopper does not get it.
  let { shopper, context } = await freshShopperAsks(page, "console-faq", "are dogs allowed in the shop");
  await expect(shopper.log).not.toContainText("Dogs on a lead", { timeout: 3_000 });
  await context.close();

  await publish(page, "console-faq");
  ({ shopper, context } = await freshShopperAsks(page, "console-faq", "are dogs allowed in the shop"));
  await expect(shopper.log).toContainText("Dogs on a lead are welcome in our shop.");
  await context.close();

  // Rolling back to version 1 brings the old behaviour back.
  await page.goto("/console/flows/console-faq");
  await page.getByRole("button", { name: "Roll back to version 1" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Rolled back" })).toBeVisible();
  await expect(page.getByRole("row", { name: /rollback to version 1/ })).toBeVisible();
  ({ shopper, context } = await freshShopperAsks(page, "console-faq", "are dogs allowed in the shop"));
  await expect(shopper.log).toContainText(/didn't|not sure|did you mean|Did you mean|understand/i);
  await expect(shopper.log).not.toContainText("Dogs on a lead");
  await context.close();
});

test("the FAQ health list names the entries the matcher confuses", async ({ page }) => {
  await owner(page);
  await page.goto("/console/flows/demo/health");
  await expect(page.getByRole("heading", { name: /FAQ health/ })).toBeVisible();
  await expect(page.getByText(/of \d+ found their own entry/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Entries the matcher confuses" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Entries with too few phrasings" })).toBeVisible();
  expect(await axe(page)).toEqual([]);
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, "console-health.png"), fullPage: true });
});

test("an agent cannot reach the console's pages or actions", async ({ page }) => {
  await logIn(page, "agent@fernhill.example", "fernhill-demo");
  await expect(page).toHaveURL(/\/inbox$/);
  for (const path of ["/console", "/console/flows/demo", "/console/flows/demo/edit/faq", "/console/accounts", "/console/preview/demo.json?format=bhf"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
  }
  await expect(page.getByText("The console is for the store's owners")).toBeVisible();
  // Actions too, even with a valid form token from the agent's own inbox session.
  await page.goto("/inbox");
  const csrf = await page.locator('input[name="csrf"]').first().inputValue();
  const origin = new URL(page.url()).origin;
  for (const [path, form] of [
    ["/console/flows/demo/publish", { csrf, revision: "0" }],
    ["/console/flows/demo/draft", { csrf, revision: "0", back: "bot", "s:/bot/name": "Hacked" }],
    ["/console/flows/demo/versions/1/rollback", { csrf }],
    ["/console/accounts", { csrf, name: "Eve", email: "eve@evil.example", password: "0123456789ab", role: "owner" }],
  ] as const) {
    const response = await page.request.post(path, { form: form as Record<string, string>, headers: { origin } });
    expect(response.status(), path).toBe(403);
  }
  // Nothing changed: the demo's bot keeps its name.
  const flow = await (await page.request.get("/flows/demo.json")).json();
  expect(flow.bot.name).toBe("Fern from Fernhill");
});

test("a trigger edited in the console fires on the storefront with the browser's clock", async ({ page }) => {
  test.setTimeout(60_000);
  await copyOfDemo(page, "console-trigger");
  await page.goto("/console/flows/console-trigger/edit/triggers");
  await page.getByRole("link", { name: "product-offer" }).click();
  await expect(page.getByLabel("Event", { exact: true })).toHaveValue("time_on_page");
  await page.getByLabel("Seconds, or percent scrolled").fill("8");
  await page.getByRole("button", { name: "Save the draft" }).click();
  await expect(page.getByLabel("Seconds, or percent scrolled")).toHaveValue("8");

  // Fired by hand in the preview.
  await page.locator("iframe.preview").scrollIntoViewIfNeeded();
  await expect(page.frameLocator("iframe.preview").getByRole("button", { name: "Open chat" })).toBeVisible();
  await page.getByRole("button", { name: "product-offer", exact: true }).click();
  await expect(page.frameLocator("iframe.preview").getByTestId("teaser")).toContainText("Runners who looked at this also liked");
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, "console-trigger.png"), fullPage: true });
  expect(await axe(page)).toEqual([]);
  await publish(page, "console-trigger");

  const context = await page.context().browser()!.newContext();
  const shopperPage = await context.newPage();
  await shopperPage.clock.install();
  const shopper = new Bellhop(shopperPage);
  await shopper.goto("/products/trail-runner?flow=console-trigger");
  await shopperPage.clock.runFor(5_000);
  await expect(shopper.teaser).toHaveCount(0);
  await shopperPage.clock.runFor(4_000);
  await expect(shopper.teaser).toContainText("Runners who looked at this also liked");
  await context.close();
});

test("the console works on a tablet", async ({ page }) => {
  await page.setViewportSize({ width: 820, height: 1180 });
  await owner(page);
  await page.goto("/console/flows/demo/edit/bot");
  await expect(page.getByLabel("Accent colour", { exact: true })).toHaveValue("#1f5f4a");
  await expect(page.getByText("Contrast: readable")).toBeVisible();
  expect(await axe(page)).toEqual([]);
  // Nothing is wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, "console-bot-tablet.png"), fullPage: true });
});

test("saving every page of the editor unchanged changes nothing shoppers get", async ({ page }) => {
  test.setTimeout(120_000);
  await copyOfDemo(page, "console-roundtrip");
  const flow = await (await page.request.get("/flows/console-roundtrip.json")).json();
  const parts = ["bot", "hours", "handoff", "faq", "steps", "triggers"];
  flow.faq.entries.forEach((_: unknown, i: number) => parts.push(`faq/${i}`));
  flow.steps.forEach((_: unknown, i: number) => parts.push(`steps/${i}`));
  flow.triggers.forEach((_: unknown, i: number) => parts.push(`triggers/${i}`));
  const live = await (await page.request.get("/flows/console-roundtrip.json?format=bhf")).body();
  for (const part of parts) {
    await page.goto(`/console/flows/console-roundtrip/edit/${part}`);
    await page.getByRole("button", { name: "Save the draft" }).click();
    await expect(page).toHaveURL(new RegExp(`/edit/${part}$`));
    await expect(page.getByRole("status").filter({ hasText: "The draft has no problems." })).toBeVisible();
    // The compiled draft is byte for byte the published flow.
    const draft = await (await page.request.get("/console/preview/console-roundtrip.json?format=bhf")).body();
    expect(draft.equals(live), `saving ${part} changed the flow`).toBe(true);
  }
});

// Issue 27 (done when): axe-core is clean on every console page with the demo. The walk
// test does the same for a flow made from blank.
test("axe-core finds nothing on any console page of the demo", async ({ page }) => {
  test.setTimeout(90_000);
  await copyOfDemo(page, "console-axe");
  const pages = ["/console", "/console/accounts", "/console/flows/console-axe"];
  for (const section of ["bot", "faq", "faq/0", "steps", "steps/0", "triggers", "triggers/0", "hours", "handoff"]) {
    pages.push(`/console/flows/console-axe/edit/${section}`);
  }
  pages.push("/console/flows/console-axe/health", "/console/flows/console-axe/insights", "/console/flows/console-axe/preview");
  for (const path of pages) {
    await page.goto(path);
    expect(await axe(page), path).toEqual([]);
  }
});

test("an owner writes a question's choices in Spanish and a Spanish shopper taps them", async ({ page }) => {
  test.setTimeout(60_000);
  await copyOfDemo(page, "console-choices");
  await page.goto("/console/flows/console-choices/edit/steps");
  await page.getByRole("link", { name: "size-kind", exact: true }).click();
  const choices = page.getByRole("group", { name: "Choices (for “one of the choices”)" });
  await expect(choices.getByLabel("English")).toHaveValue("Shoes\nJackets\nHoodies");
  await expect(choices.getByLabel("Spanish")).toHaveValue("Zapatillas\nChaquetas\nSudaderas");
  await choices.getByLabel("Spanish").fill("Zapatillas\nChaquetas\nSudaderas con capucha");
  await page.getByRole("button", { name: "Save the draft" }).click();
  await expect(choices.getByLabel("Spanish")).toHaveValue("Zapatillas\nChaquetas\nSudaderas con capucha");
  await expect(choices.getByLabel("English")).toHaveValue("Shoes\nJackets\nHoodies");
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, "console-choices.png"), fullPage: true });
  expect(await axe(page)).toEqual([]);
  await publish(page, "console-choices");

  const context = await page.context().browser()!.newContext();
  const shopperPage = await context.newPage();
  await shopperPage.route(/\/products\//, async (route) => {
    if (route.request().resourceType() !== "document") return route.continue();
    const response = await route.fetch();
    const body = (await response.text()).replace('<html lang="en">', '<html lang="es">');
    await route.fulfill({ response, body });
  });
  const shopper = new Bellhop(shopperPage);
  await shopperPage.goto("/products/trail-runner?flow=console-choices");
  await shopperPage.getByRole("button", { name: "Abrir chat" }).click();
  await shopper.panel.getByRole("button", { name: "Tallas", exact: true }).first().click();
  await shopper.panel.getByRole("button", { name: "Sudaderas con capucha", exact: true }).click();
  await expect(shopper.log).toContainText("Chaquetas y sudaderas: corte");
  await context.close();
});
