// Issue 7: offline spells, an unreachable server, lost answers and a widget that cannot load.
// Nothing the shopper asked for is lost, nothing is done twice, nothing is thrown at the page.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { Bellhop } from "./fixtures/bellhop";
import { shopUrl } from "./fixtures/shop";

const composer = (page: Page) => page.getByRole("textbox", { name: "Type your message…" });

async function say(page: Page, text: string) {
  await composer(page).fill(text);
  await composer(page).press("Enter");
}

/** Counts the answers the page got from the server for `path`, by status. */
function answers(page: Page, path: string): number[] {
  const statuses: number[] = [];
  page.on("response", (r) => {
    if (new URL(r.url()).pathname === path && r.request().method() === "POST") statuses.push(r.status());
  });
  return statuses;
}

test("with the network off, FAQ answers and quick replies keep working", async ({ page, context }) => {
  const bellhop = new Bellhop(page);
  await bellhop.goto("/");
  await bellhop.open();
  await context.setOffline(true);
  await bellhop.choose("Shipping", "Standard shipping is free over $75");
  await say(page, "can i pay with paypal?");
  await expect(bellhop.log).toContainText("PayPal, Apple Pay");
  await say(page, "what is your return policy");
  await expect(bellhop.log).toContainText("30 days");
  // Nothing needed the server, so nothing talks about being offline.
  await expect(bellhop.panel.getByText("You're offline")).toHaveCount(0);
  await context.setOffline(false);
});

test("with the network off, a time-on-page trigger still offers its carousel, and its cards work", async ({ page, context }) => {
  await page.clock.install();
  const bellhop = new Bellhop(page);
  // A timed trigger is near on a product page: the panel and the flow are fetched ahead,
  // so the teaser still comes once the network is gone.
  await bellhop.goto("/products/trail-runner");
  const panelFetched = Promise.all([
    page.waitForResponse((r) => /\/bellhop-[0-9a-f]{16}_bg\.wasm$/.test(r.url())),
    page.waitForResponse((r) => r.url().includes("format=bhf")),
  ]);
  await page.clock.runFor(26_000);
  await panelFetched;
  await context.setOffline(true);
  await page.clock.runFor(5_000);
  await expect(bellhop.teaser).toContainText("Runners who looked at this also liked");
  await bellhop.teaser.getByText("Runners who looked at this also liked").click();
  const carousel = bellhop.panel.locator('[aria-roledescription="carousel"]');
  await expect(carousel.getByRole("group")).toHaveCount(3);
  await carousel.getByRole("button", { name: "Next" }).click();
  await bellhop.choose("Sizing help", "What are you sizing?");
  await expect(bellhop.panel.getByText("You're offline")).toHaveCount(0);
  await context.setOffline(false);
});

test("an order lookup asked for while the server is unreachable waits, survives a reload, and is answered once", async ({ page }) => {
  const statuses = answers(page, "/api/v1/orders/lookup");
  await page.route("**/api/v1/orders/lookup", (route) => route.abort("internetdisconnected"));
  const bellhop = new Bellhop(page);
  await bellhop.goto("/");
  await bellhop.open();
  await bellhop.choose("Track my order", "What's your order number?");
  await say(page, "10240");
  await expect(bellhop.log).toContainText("And the email address you ordered with?");
  await say(page, "sam@example.com");
  // Pending: the composer says why it waits, the panel says calmly that it will be sent,
  // and no answer is made up.
  await expect(bellhop.panel.getByText("Looking up your order…").first()).toBeVisible();
  await expect(bellhop.panel.getByRole("status").filter({ hasText: "You're offline" })).toBeVisible();
  await page.waitForTimeout(500);
  await expect(bellhop.log).not.toContainText("being packed");

  // The shopper reloads while the server is still unreachable: the request is still there.
  await page.reload();
  await expect(bellhop.panel).toBeVisible();
  await expect(bellhop.log).not.toContainText("being packed");

  // The server is back; the browser says it is online: the lookup goes, once.
  await page.unroute("**/api/v1/orders/lookup");
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(bellhop.log).toContainText("Order 10240 is being packed");
  await expect(bellhop.panel.getByText("You're offline")).toHaveCount(0);
  await page.waitForTimeout(500);
  expect(statuses).toEqual([200]);
  await expect(bellhop.log.getByText("Order 10240 is being packed")).toHaveCount(1);
});

test("a handoff whose answer was lost is retried and still makes one conversation", async ({ page }) => {
  const statuses: number[] = [];
  const tokens: string[] = [];
  let first = true;
  // The first request reaches the server, which creates the conversation, but its answer
  // never reaches the page (a dropped connection): the widget must retry with the same key.
  await page.route("**/api/v1/handoffs", async (route) => {
    const response = await route.fetch();
    statuses.push(response.status());
    tokens.push((await response.json()).token);
    if (first) {
      first = false;
      await route.abort("connectionreset");
    } else {
      await route.fulfill({ response });
    }
  });
  const bellhop = new Bellhop(page);
  await bellhop.goto("/checkout");
  await bellhop.open();
  await bellhop.quickReply("Talk to a person").click();
  await expect.poll(() => statuses.length).toBe(1);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(bellhop.log).toContainText("Someone from the team will join in a moment");
  expect(statuses).toEqual([201, 200]);
  expect(tokens[1]).toBe(tokens[0]);
});

test("the agent's messages arrive once each, also across a reload of the page", async ({ page, request }) => {
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/day-pack");
  await bellhop.open();
  const handoff = page.waitForResponse((r) => r.url().endsWith("/api/v1/handoffs"));
  await bellhop.choose("Talk to a person", "Someone from the team will join in a moment");
  const token = (await (await handoff).json()).token as string;

  // The agent answers from the inbox (a real session and form posts).
  const agent = await loggedInAgent(request);
  const id = await conversationId(request, agent, "/products/day-pack");
  await agentReply(request, agent, id, "First answer from the team.");
  await expect(bellhop.log).toContainText("First answer from the team.");

  await page.reload();
  await expect(bellhop.panel).toBeVisible();
  await agentReply(request, agent, id, "Second answer, sent after the reload.");
  await expect(bellhop.log).toContainText("Second answer, sent after the reload.");
  await expect(bellhop.log.getByText("First answer from the team.")).toHaveCount(1);
  await expect(bellhop.log.getByText("Second answer, sent after the reload.")).toHaveCount(1);
  expect(token.length).toBeGreaterThan(20);
});

test("a live stream the browser gave up on is reopened with backoff and nothing is missed", async ({ page, request }) => {
  // A proxy answers 503 twice while the server restarts: EventSource stops for good on an
  // HTTP error, so the widget must reopen it itself.
  let failures = 2;
  await page.route("**/api/v1/conversations/*/events*", (route) =>
    failures-- > 0 ? route.fulfill({ status: 503, body: "restarting" }) : route.continue());
  const bellhop = new Bellhop(page);
  await bellhop.goto("/products/merino-hoodie");
  await bellhop.open();
  await bellhop.choose("Talk to a person", "Someone from the team will join in a moment");
  const agent = await loggedInAgent(request);
  const id = await conversationId(request, agent, "/products/merino-hoodie");
  await agentReply(request, agent, id, "Sent while the stream was down.");
  await expect(bellhop.log).toContainText("Sent while the stream was down.", { timeout: 15_000 });
  await expect(bellhop.log.getByText("Sent while the stream was down.")).toHaveCount(1);
  expect(failures).toBeLessThan(0);
});

for (const [name, broken] of [
  ["cannot be fetched", "abort"],
  ["arrives broken", "garbage"],
] as const) {
  test(`the last good flow is used when the flow ${name}`, async ({ page }) => {
    const bellhop = new Bellhop(page);
    // The shopper used the chat once: both stages keep their part of the flow.
    await bellhop.goto("/");
    await bellhop.open();
    // Escape where focus is: in the panel, once opening has moved it there.
    await expect(bellhop.panel.getByRole("textbox", { name: "Type your message…" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(bellhop.panel).toBeHidden();
    await page.route("**/flows/demo.json*", (route) =>
      broken === "abort"
        ? route.abort("internetdisconnected")
        : route.fulfill({ status: 200, contentType: "application/octet-stream", body: "not a flow at all" }));
    await page.reload();
    await bellhop.open();
    await bellhop.choose("Shipping", "Standard shipping is free over $75");
  });
}

test("the widget survives a host page that replaces its body and navigates with pushState", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const bellhop = new Bellhop(page);
  await bellhop.goto("/");
  await bellhop.open();
  await bellhop.choose("Shipping", "Standard shipping is free over $75");
  await page.evaluate(() => {
    document.body.innerHTML = "<main><h1>A new page, rendered by the store's app</h1></main>";
    history.pushState({}, "", "/products/rain-shell");
  });
  await expect(bellhop.launcher.or(bellhop.panel)).toBeVisible();
  if (!(await bellhop.panel.isVisible())) await bellhop.open();
  await expect(bellhop.log).toContainText("Standard shipping is free over $75");
  await bellhop.choose("Something else", "Anything else I can help with?");
  expect(errors).toEqual([]);
});

for (const [name, prepare] of [
  ["the browser has no WebAssembly", (page: Page) => page.addInitScript(() => { delete (window as any).WebAssembly; })],
  ["the wasm is blocked", (page: Page) => page.route("**/*.wasm", (route) => route.abort("blockedbyclient"))],
] as const) {
  test(`when ${name}, the tag's contact link shows and nothing is thrown into the page`, async ({ page }) => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await prepare(page);
    await page.goto("/");
    const link = page.getByRole("link", { name: "Contact us" });
    await expect(link).toBeVisible();
    await expect(link).toHaveAttribute("href", "mailto:help@fernhill.example");
    await expect(page.locator("bellhop-widget, #bellhop")).toHaveCount(0);
    expect(errors).toEqual([]);
    // The store's page still works.
    await page.locator("main").getByRole("link").first().click();
    expect(errors).toEqual([]);
  });
}

test("when the store's Content-Security-Policy forbids WebAssembly, the contact link shows instead", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(shopUrl("/?csp=no-wasm"));
  const link = page.getByRole("link", { name: "Contact us" });
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute("href", "mailto:help@elsewhere.example");
  await expect(page.getByRole("button", { name: "Open chat" })).toHaveCount(0);
  expect(errors).toEqual([]);
});

// The inbox, driven over HTTP as a browser form would.
type Agent = { cookie: string; csrf: string };

async function loggedInAgent(request: import("@playwright/test").APIRequestContext): Promise<Agent> {
  const login = await request.post("/inbox/login", {
    form: { email: "agent@fernhill.example", password: "fernhill-demo" },
    maxRedirects: 0,
  });
  const cookie = (login.headers()["set-cookie"] ?? "").split(";")[0];
  const queue = await (await request.get("/inbox", { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(queue)![1];
  return { cookie, csrf };
}

/** The open conversation started on `path` (each test hands off from its own page). */
async function conversationId(request: import("@playwright/test").APIRequestContext, agent: Agent, path: string): Promise<string> {
  const queue = await (await request.get("/inbox", { headers: { cookie: agent.cookie } })).text();
  const row = queue.split("<tr").find((r) => r.includes(path + "<") && !r.includes("Closed"))!;
  return /\/inbox\/conversations\/(\d+)/.exec(row)![1];
}

async function agentReply(request: import("@playwright/test").APIRequestContext, agent: Agent, id: string, text: string) {
  const r = await request.post(`/inbox/conversations/${id}/reply`, {
    headers: { cookie: agent.cookie },
    form: { csrf: agent.csrf, text },
    maxRedirects: 0,
  });
  expect(r.status()).toBe(303);
}

test("with data-consent=required a handoff, its retries and its live stream store nothing until consent", async ({ page, request }) => {
  // The first handoff attempt is lost on the way: it waits in the outbox, in memory only.
  let dropped = false;
  await page.route("**/api/v1/handoffs", (route) => {
    if (!dropped) {
      dropped = true;
      return route.abort("connectionreset");
    }
    return route.continue();
  });
  const bellhop = new Bellhop(page);
  await bellhop.goto(shopUrl("/consent-handoff?consent=required"));
  await bellhop.open();
  await bellhop.quickReply("Talk to a person").click();
  await expect.poll(() => dropped).toBe(true);
  const stored = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("bellhop:")));
  expect(await stored()).toEqual([]);
  // Back online: the handoff goes through, a person answers on the live stream.
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(bellhop.log).toContainText("Someone from the team will join in a moment");
  const agent = await loggedInAgent(request);
  const id = await conversationId(request, agent, "/consent-handoff?consent=required");
  await agentReply(request, agent, id, "Hello from the team, before any consent.");
  await expect(bellhop.log).toContainText("Hello from the team, before any consent.");
  // The outbox, the snapshot (with the live stream's cursor), the visitor, the flow: none stored.
  expect(await stored()).toEqual([]);
  await page.evaluate(() => (window as any).Bellhop("consent", true));
  await expect.poll(stored).toEqual(expect.arrayContaining(["bellhop:state", "bellhop:visitor", "bellhop:flow"]));
  // The cursor is part of the snapshot: no key of its own.
  expect(await stored()).not.toContain("bellhop:last-event");
});

// Issue 32: a shopper on a train, first visit, whose connection drops before the first click.
for (const [lang, note, open] of [
  ["en", "You're offline — the chat needs a connection the first time.", "Open chat"],
  ["es", "Estás sin conexión: el chat necesita conexión la primera vez.", "Abrir chat"],
] as const) {
  test(`a first click that cannot load the chat says so (${lang}), with the tag's contact, and the next click tries again`, async ({ browser }) => {
    const context = await browser.newContext(
      lang === "es" ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : {},
    );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const panelFetched: string[] = [];
    page.on("request", (r) => {
      if (/\/bellhop-[0-9a-f]+_bg\.wasm$/.test(new URL(r.url()).pathname)) panelFetched.push(r.url());
    });
    if (lang === "es") {
      await page.route(/\/$/, async (route) => {
        if (route.request().resourceType() !== "document") return route.continue();
        const response = await route.fetch();
        const body = (await response.text()).replace('<html lang="en">', '<html lang="es">');
        await route.fulfill({ response, body });
      });
    }
    await page.goto("/");
    const launcher = page.getByRole("button", { name: open });
    await expect(launcher).toBeVisible();
    expect(panelFetched, "the panel was not fetched before the click").toEqual([]);
    await context.setOffline(true);
    await launcher.click();
    const bubble = page.getByTestId("launcher-note");
    await expect(bubble).toContainText(note);
    await expect(bubble).toHaveAttribute("role", "status");
    await expect(bubble.getByRole("link", { name: "Contact us" })).toHaveAttribute("href", "mailto:help@fernhill.example");
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath(`offline-first-click-${lang}.png`) });
    const axe = await new AxeBuilder({ page }).include("bellhop-launcher").analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);

    // Back online: the next click loads the chat, and the note goes.
    await context.setOffline(false);
    await launcher.click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await expect(bubble).toHaveCount(0);
    expect(errors).toEqual([]);
    await context.close();
  });
}
