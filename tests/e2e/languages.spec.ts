// The widget in every language Bellhop knows: the page's `<html lang>` picks the flow's
// language (es-MX → es), Bellhop's own labels follow it, right-to-left languages mirror the
// layout, and no page load in any language throws or logs an error.
import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Bellhop } from "./fixtures/bellhop";

const screenshots = process.env.BELLHOP_SCREENSHOTS ?? "test-results";

/** Serves the storefront's pages with `<html lang="…">` changed to `lang`, and another flow. */
async function speak(page: Page, lang: string, flow = "/flows/demo.json") {
  await page.route(/\/products\/|\/checkout|\/$/, async (route) => {
    if (route.request().resourceType() !== "document") return route.continue();
    const response = await route.fetch();
    const body = (await response.text())
      .replace('<html lang="en">', `<html lang="${lang}">`)
      .replace('data-flow="/flows/demo.json"', `data-flow="${flow}"`);
    await route.fulfill({ response, body });
  });
}

/** Every console error and page error from now on. */
function problems(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") seen.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => seen.push(`page: ${e.message}`));
  return seen;
}

async function ask(bellhop: Bellhop, question: string) {
  await bellhop.panel.getByRole("textbox").fill(question);
  await bellhop.panel.getByRole("textbox").press("Enter");
}

// What a shopper sees first in each language of the polyglot flow (www/flows/polyglot.json).
const LANGUAGES = [
  { lang: "en", open: "Open chat", greeting: "Hi, I'm Fern!", send: "Send", dir: "ltr" },
  { lang: "es", open: "Abrir chat", greeting: "¡Hola, soy Fern!", send: "Enviar", dir: "ltr" },
  { lang: "fr", open: "Ouvrir le chat", greeting: "Bonjour, je suis Fern", send: "Envoyer", dir: "ltr" },
  { lang: "de", open: "Chat öffnen", greeting: "Hallo, ich bin Fern", send: "Senden", dir: "ltr" },
  { lang: "pt", open: "Abrir chat", greeting: "Olá, sou a Fern", send: "Enviar", dir: "ltr" },
  { lang: "it", open: "Apri chat", greeting: "Ciao, sono Fern", send: "Invia", dir: "ltr" },
  { lang: "ar", open: "فتح الدردشة", greeting: "مرحبًا، أنا فيرن", send: "إرسال", dir: "rtl" },
  { lang: "he", open: "פתיחת צ׳אט", greeting: "שלום, אני פרן", send: "שליחה", dir: "rtl" },
];

for (const { lang, open, greeting, send, dir } of LANGUAGES) {
  test(`a page in ${lang} loads without errors and speaks ${lang}`, async ({ page }) => {
    const seen = problems(page);
    await speak(page, lang, "/flows/polyglot.json");
    await page.goto("/products/trail-runner");
    // The first load in a language that is not the flow's first one (it used to throw).
    const launcher = page.getByRole("button", { name: open, exact: true });
    await expect(launcher).toBeVisible();
    await launcher.click();
    const panel = page.getByRole("dialog", { name: "Fern" });
    await expect(panel.getByRole("log")).toContainText(greeting);
    await expect(panel.getByRole("button", { name: send })).toBeVisible();
    await expect(page.locator("bellhop-widget").locator(".root")).toHaveAttribute("dir", dir);
    // A reload resumes in the same language, also without errors.
    await page.reload();
    await expect(page.getByRole("dialog", { name: "Fern" }).getByRole("log")).toContainText(greeting);
    expect(seen).toEqual([]);
  });
}

test("es-MX gets the flow's Spanish, and a French page the flow's first language", async ({ page, browser }) => {
  const seen = problems(page);
  await speak(page, "es-MX");
  await page.goto("/products/trail-runner");
  await expect(page.getByRole("button", { name: "Abrir chat" })).toBeVisible();
  // The demo flow speaks English and Spanish only: a French page gets English, labels too.
  const context = await browser.newContext();
  const french = await context.newPage();
  const seenFrench = problems(french);
  await speak(french, "fr");
  await french.goto("/products/trail-runner");
  await expect(french.getByRole("button", { name: "Open chat" })).toBeVisible();
  await context.close();
  expect([...seen, ...seenFrench]).toEqual([]);
});

test("a Spanish page gets Spanish answers, and Spanish \"did you mean\" when unsure", async ({ page }) => {
  const seen = problems(page);
  await speak(page, "es-MX");
  const bellhop = new Bellhop(page);
  await page.goto("/products/trail-runner");
  await expect(page.locator("html")).toHaveAttribute("lang", "es-MX");
  await page.getByRole("button", { name: "Abrir chat" }).click();
  await expect(bellhop.panel).toBeVisible();
  // Everyday Spanish, without accents or "¿": the flow's words are "envío", "cuesta".
  await ask(bellhop, "hola, cuanto cuestan los envios");
  await expect(bellhop.log).toContainText("El envío estándar es");
  await ask(bellhop, "donde esta mi pedido");
  await expect(bellhop.log).toContainText("¿Cuál es tu número de pedido?");
  // A payment question is answered in Spanish.
  await ask(bellhop, "puedo pagar con tarjeta?");
  await expect(bellhop.log).toContainText("Aceptamos Visa");
  expect(seen).toEqual([]);
});

test("an English page gets English answers to chat English", async ({ page }) => {
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await bellhop.open();
  await ask(bellhop, "hi, how much is shipping pls? need it asap");
  await expect(bellhop.log).toContainText("Standard shipping is free over $75");
});

test.describe("a shopper on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("in Spanish picks a size from Spanish options and asks in everyday words", async ({ page }) => {
    const seen = problems(page);
    await speak(page, "es");
    const bellhop = new Bellhop(page);
    await page.goto("/products/trail-runner");
    await page.getByRole("button", { name: "Abrir chat" }).click();
    await expect(bellhop.panel).toBeVisible();
    await bellhop.panel.getByRole("button", { name: "Tallas", exact: true }).first().click();
    await expect(bellhop.log).toContainText("¿Para qué buscas talla?");
    // The options of the flow's question, in Spanish (they were English on a Spanish page).
    for (const option of ["Zapatillas", "Chaquetas", "Sudaderas"]) {
      await expect(bellhop.panel.getByRole("button", { name: option, exact: true })).toBeVisible();
    }
    await expect(bellhop.panel.getByRole("button", { name: "Jackets", exact: true })).toHaveCount(0);
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, "choices-es-phone.png") });
    await bellhop.panel.getByRole("button", { name: "Chaquetas", exact: true }).click();
    await expect(bellhop.log).toContainText("Chaquetas y sudaderas: corte");
    // Words no phrasing of the entry has, joined by a shop concept: "se rompió" is a defect.
    await ask(bellhop, "se rompio la suela de mis botas");
    await expect(bellhop.log).toContainText("un año de garantía");
    expect(seen).toEqual([]);
  });
});

test("everyday English finds the entry through a shop concept", async ({ page }) => {
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/trail-runner");
  await bellhop.open();
  await ask(bellhop, "the sole came off my boots");
  await expect(bellhop.log).toContainText("one-year warranty against defects");
});
