// Issue 30: the team in the loop. The inbox's tab counts waiting shoppers; a click (never
// the page load) turns on a sound and a browser notification for each new one; the new
// controls pass axe-core.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { Bellhop } from "./fixtures/bellhop";
import { mailsTo } from "./fixtures/mail";
import { shopifyStoreUrl } from "./fixtures/shop";

async function logIn(page: Page, base = "") {
  await page.goto(`${base}/inbox/login`);
  await page.getByLabel("Email").fill("agent@fernhill.example");
  await page.getByLabel("Password").fill("fernhill-demo");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
}

function handoff(label: string) {
  const at = Date.now() - 1_000;
  return {
    key: `${label}-${Date.now()}-0123456789abcdef0123456789abcdef`.slice(0, 64),
    transcript: [{ at, from: "shopper", text: "is anyone there?" }],
    context: { page_url: "http://127.0.0.1/products/trail-runner", language: "en" },
  };
}

// On the second www (the one reading orders from the fake Shopify): no other test hands off
// there, so the queue changes only when this test says.
test("the inbox's tab counts waiting shoppers and alerts only after a click", async ({ page, context, request }) => {
  const base = shopifyStoreUrl("");
  await context.grantPermissions(["notifications"]);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.addInitScript(() => {
    (window as any).__notified = [];
    const Real = window.Notification;
    class Spy {
      static get permission() { return Real.permission; }
      static requestPermission() { return Real.requestPermission(); }
      constructor(title: string, options?: NotificationOptions) { (window as any).__notified.push([title, options?.body]); }
    }
    (window as any).Notification = Spy;
  });
  await logIn(page, base);
  const count = async () => Number((await page.title()).match(/^\((\d+)\) /)?.[1] ?? 0);
  const before = await count();
  // Nothing was asked on page load.
  const button = page.getByRole("button", { name: /Alert me with a sound and a notification/ });
  await expect(button).toBeVisible();
  expect(await page.evaluate(() => (window as any).__notified.length)).toBe(0);
  expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id)).toEqual([]);

  // Before the click: the title counts, nothing else.
  expect((await request.post(`${base}/api/v1/handoffs`, { data: handoff("title"), headers: { "x-forwarded-for": "198.51.100.30" } })).status()).toBe(201);
  await expect.poll(count).toBe(before + 1);
  expect(await page.evaluate(() => (window as any).__notified.length)).toBe(0);

  await page.reload();
  await button.click();
  await expect(page.getByRole("status").filter({ hasText: "Sound and notifications are on" })).toBeVisible();
  await expect(button).toBeHidden();
  expect((await request.post(`${base}/api/v1/handoffs`, { data: handoff("notified"), headers: { "x-forwarded-for": "198.51.100.31" } })).status()).toBe(201);
  await expect.poll(() => page.evaluate(() => (window as any).__notified.length)).toBe(1);
  expect(await page.evaluate(() => (window as any).__notified[0][0])).toBe("A shopper is waiting");
  // The choice holds across reloads: no button again.
  await page.reload();
  await expect(page.getByRole("status").filter({ hasText: "Sound and notifications are on" })).toBeVisible();
  await expect(button).toBeHidden();
  expect(errors).toEqual([]);
});

test("an offline handoff is confirmed by email, and the team's reply reaches the shopper who left, whose link brings them back to it", async ({ browser }) => {
  test.setTimeout(90_000);
  const address = `ana.${Date.now()}@example.com`;
  // The shopper asks for a person while the team is away (the demo flow, closed) and leaves.
  const shopperContext = await browser.newContext();
  const page = await shopperContext.newPage();
  const shopper = new Bellhop(page);
  await shopper.goto("/?flow=demo-closed");
  await shopper.open();
  await shopper.choose("Talk to a person", "Our team is away right now");
  const composer = page.getByRole("textbox", { name: "Type your message…" });
  await composer.fill(address);
  await composer.press("Enter");
  await expect(shopper.log).toContainText(`We'll reply to ${address}`);
  await expect.poll(() => mailsTo(address).length, { timeout: 20_000 }).toBe(1);
  const confirmation = mailsTo(address)[0];
  expect(confirmation.text).toContain("We got your question");
  expect(confirmation.headers).toMatch(/^Reply-To: team@fernhill\.example/m);
  await shopperContext.close();

  // The agent replies in the inbox.
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await logIn(agent);
  await agent.getByRole("row").filter({ hasText: address }).first().getByRole("link").first().click();
  await agent.getByRole("textbox").fill("Found it: your parcel leaves on Monday.");
  await agent.getByRole("button", { name: /Send/ }).click();
  await expect.poll(() => mailsTo(address).length, { timeout: 20_000 }).toBe(2);
  const reply = mailsTo(address).find((m) => m.text.includes("Found it: your parcel leaves on Monday."));
  expect(reply, "the reply by email").toBeTruthy();
  const link = reply!.text.match(/http:\/\/\S+#bellhop-resume=[0-9a-f]+/)?.[0];
  expect(link, reply!.text).toBeTruthy();
  await agentContext.close();

  // On another device: the link opens the store with the conversation and the reply.
  const phone = await browser.newContext();
  const back = await phone.newPage();
  await back.goto(link!);
  const widget = new Bellhop(back);
  await expect(widget.panel).toBeVisible();
  await expect(widget.log).toContainText("Found it: your parcel leaves on Monday.");
  expect(back.url()).not.toContain("bellhop-resume");
  await phone.close();
});
