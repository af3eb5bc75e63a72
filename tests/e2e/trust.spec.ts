// Issue 26: the contract's limits live on both sides. A shopper whose page address has a
// long `utm_` tail still reaches a person, and a long rating comment is kept whole.
import { expect, test, type Page } from "@playwright/test";
import { Bellhop } from "./fixtures/bellhop";

async function logIn(page: Page) {
  await page.goto("/inbox");
  await page.getByLabel("Email").fill("agent@fernhill.example");
  await page.getByLabel("Password").fill("fernhill-demo");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
}

test("a handoff from a page whose address is 3,000 characters reaches the inbox, and a 1,500-character rating comment is kept", async ({ page, browser }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const tail = "x".repeat(3000 - "/products/day-pack?utm_campaign=".length);
  const shopper = new Bellhop(page);
  await shopper.goto(`/products/day-pack?utm_campaign=${tail}`);
  expect(page.url().length).toBeGreaterThan(3000);
  await shopper.open();
  await shopper.choose("Talk to a person", "Someone from the team will join in a moment");
  await expect(shopper.panel.getByText(/will join/i).first()).toBeVisible();
  await expect(shopper.log).not.toContainText("couldn't reach the team");

  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await logIn(agent);
  await agent.goto("/inbox?order=newest");
  const row = agent.getByRole("row").filter({ hasText: "utm_campaign=xxxx" }).first();
  await row.getByRole("link").click();
  const context = agent.getByRole("complementary");
  // The address, cut by the shopper's engine to the contract's 2,048 characters.
  await expect(context).toContainText("/products/day-pack?utm_campaign=xxx");
  const shown = await context.locator("dd").first().innerText();
  expect(shown.length).toBeLessThanOrEqual(2048);
  expect(shown.length).toBeGreaterThan(2000);

  await agent.getByRole("button", { name: "Close conversation" }).click();
  await expect(shopper.log).toContainText("How did we do today?");
  await shopper.panel.getByRole("button", { name: "4 out of 5" }).click();
  const comment = "The trail runners fit well. ".repeat(54).slice(0, 1500);
  await shopper.panel.getByRole("textbox", { name: "Anything to add? (optional)" }).fill(comment);
  await shopper.panel.getByRole("button", { name: "Send rating" }).click();
  await expect(shopper.log).toContainText("Thank you for telling us!");
  // The open conversation page reloads itself when the rating arrives (no reload of ours,
  // which would race with it).
  await expect(agent.getByText(/Rating: 4 \/ 5/)).toBeVisible();
  const rating = await agent.locator("p.rating").innerText();
  expect(rating).toContain(comment.trim());
  await agentContext.close();
  expect(errors).toEqual([]);
});
