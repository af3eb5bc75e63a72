// Issue 6: a shopper asks for a person in the widget; an agent answers from the inbox.
// Two browser contexts, one real server, nothing mocked.
import { expect, test, type Page } from "@playwright/test";
import { Bellhop } from "./fixtures/bellhop";

async function logIn(page: Page) {
  await page.goto("/inbox");
  await expect(page).toHaveURL(/\/inbox\/login$/);
  await page.getByLabel("Email").fill("agent@fernhill.example");
  await page.getByLabel("Password").fill("fernhill-demo");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
}

test("a shopper asks for a human, an agent replies live, closes, and the shopper rates", async ({ page, browser }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  const shopper = new Bellhop(page);
  await shopper.goto("/products/trail-runner");
  await shopper.open();
  await shopper.choose("Talk to a person", "Someone from the team will join in a moment");
  await expect(shopper.panel.getByText(/connecting you|will join/i).first()).toBeVisible();

  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await logIn(agent);
  const row = agent.getByRole("row").filter({ hasText: "/products/trail-runner" }).first();
  await expect(row).toContainText("Waiting");
  await row.getByRole("link").click();
  await expect(agent.getByRole("heading", { name: /Conversation #\d+/ })).toBeVisible();
  // The context the bot gathered sits next to the transcript.
  const context = agent.getByRole("complementary");
  await expect(context).toContainText("/products/trail-runner");
  await expect(context).toContainText("Language");
  await expect(agent.locator(".messages.reported")).toContainText("Talk to a person");

  // The shopper writes; the agent's open page shows it without a reload.
  await page.getByRole("textbox", { name: "Type your message…" }).fill("Do the trail runners fit wide feet?");
  await page.getByRole("textbox", { name: "Type your message…" }).press("Enter");
  await expect(agent.locator(".messages li.shopper").last()).toHaveText(/Do the trail runners fit wide feet\?/);

  // The agent answers; the shopper sees them join and the reply, live.
  await agent.getByLabel("Reply to the shopper").fill("They run a little wide, so most people take their usual size.");
  await agent.getByRole("button", { name: "Send" }).click();
  await expect(shopper.log).toContainText("Alex");
  await expect(shopper.log).toContainText("They run a little wide");

  // The agent closes; the shopper is asked to rate, and the rating reaches the inbox.
  await agent.getByRole("button", { name: "Close conversation" }).click();
  await expect(agent.getByText("This conversation is closed.")).toBeVisible();
  await expect(shopper.log).toContainText("How did we do today?");
  await shopper.panel.getByRole("button", { name: "5 out of 5" }).click();
  await shopper.panel.getByRole("textbox", { name: "Anything to add? (optional)" }).fill("Fast and friendly");
  await shopper.panel.getByRole("button", { name: "Send rating" }).click();
  await expect(shopper.log).toContainText("Thank you for telling us!");
  await expect(agent.getByText(/Rating: 5 \/ 5/)).toBeVisible();
  await expect(agent.getByText("Fast and friendly")).toBeVisible();

  await agentContext.close();
  expect(errors).toEqual([]);
});

test("the inbox refuses wrong passwords and needs a login for every page", async ({ page }) => {
  await page.goto("/inbox/conversations/1");
  await expect(page).toHaveURL(/\/inbox\/login$/);
  await page.getByLabel("Email").fill("agent@fernhill.example");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toHaveText("That email and password do not match an account.");
  await logIn(page);
  await page.getByRole("button", { name: "Log out" }).click();
  await page.goto("/inbox");
  await expect(page).toHaveURL(/\/inbox\/login$/);
});

test("a shopper looks up a real order by number and email and sees its card", async ({ page }) => {
  const shopper = new Bellhop(page);
  const composer = page.getByRole("textbox", { name: "Type your message…" });
  await shopper.goto("/");
  await shopper.open();
  await shopper.choose("Track my order", "What's your order number?");
  await composer.fill("#10234");
  await composer.press("Enter");
  await expect(shopper.log).toContainText("And the email address you ordered with?");
  await composer.fill("Ana@Example.com");
  await composer.press("Enter");
  await expect(shopper.log).toContainText("order 10234 is on its way with DHL");
  const card = shopper.panel.getByTestId("order-card");
  await expect(card).toContainText("Ridgeline Trail Runner");
  await expect(card.getByRole("link", { name: /track/i })).toHaveAttribute("href", /^https:\/\/www\.dhl\.com\//);

});

test("an order lookup with the wrong email finds nothing and says so", async ({ page }) => {
  const shopper = new Bellhop(page);
  const composer = page.getByRole("textbox", { name: "Type your message…" });
  await shopper.goto("/");
  await shopper.open();
  await shopper.choose("Track my order", "What's your order number?");
  await composer.fill("10234");
  await composer.press("Enter");
  await expect(shopper.log).toContainText("And the email address you ordered with?");
  await composer.fill("eve@example.com");
  await composer.press("Enter");
  await expect(shopper.log).toContainText("I couldn't find an order with that number and email.");
  await expect(shopper.panel.getByTestId("order-card")).toHaveCount(0);
});

test("the inbox shows the shopper's cart by name, counted and priced as people write it", async ({ page, browser }) => {
  const shopper = new Bellhop(page);
  await shopper.addToCart("/products/trail-runner");
  await shopper.goto("/products/day-pack");
  await page.locator("main").getByRole("button", { name: "Add to cart" }).click();
  await expect(page.locator("#cart-count")).toHaveText("2");
  // From the checkout page, which no other test hands off from (they find their rows by page).
  await shopper.goto("/checkout");
  await shopper.open();
  await shopper.choose("Talk to a person", "Someone from the team will join in a moment");

  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await logIn(agent);
  await agent.getByRole("row").filter({ hasText: "/checkout" }).first().getByRole("link").click();
  const context = agent.getByRole("complementary");
  await expect(context).toContainText(/2 items: Ridgeline Trail Runner × 1, Switchback 24L Day Pack × 1 · \$218\.00/);
  await expect(context).not.toContainText("items, 218");
  await agentContext.close();
});

test("when the flow's team is away, the server says so too and the shopper leaves an email", async ({ page, browser }) => {
  // `demo-closed.json` is the demo flow with business hours that never open (see
  // playwright.config.ts); the server answers from the flow's hours, not its own setting.
  const shopper = new Bellhop(page);
  await shopper.goto("/?flow=demo-closed");
  await shopper.open();
  await shopper.choose("Talk to a person", "Our team is away right now");
  const composer = page.getByRole("textbox", { name: "Type your message…" });
  await composer.fill("ana.closed@example.com");
  await composer.press("Enter");
  await expect(shopper.log).toContainText("We'll reply to ana.closed@example.com");

  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await logIn(agent);
  const row = agent.getByRole("row").filter({ hasText: "ana.closed@example.com" }).first();
  await expect(row).toBeVisible();
  await expect(row).not.toContainText("Live");
  await agentContext.close();
});
