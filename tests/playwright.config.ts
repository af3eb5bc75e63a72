// End-to-end tests against `www`, which this run starts itself (see `webServer`).
// `cargo xtask test` sets the BELLHOP_* variables: the www binary, the widget built once by
// `cargo xtask dist`, the flows folder and Debian's Chromium. Never a downloaded browser.
import { defineConfig, devices } from "@playwright/test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests with \`cargo xtask test\``);
  return value;
}

const port = Number(process.env.BELLHOP_PORT ?? 18080);
// A second origin for a storefront that embeds the widget cross-origin (e2e/support/storefront.mjs).
export const shopPort = port + 1;
// The shop-system fakes (`shop-fakes`: Shopify, WooCommerce, an order service) and a second
// www whose orders come live from the fake Shopify (e2e/orders.spec.ts).
export const fakesPort = port + 2;
export const shopifyPort = port + 3;
// The demo agent's inbox, held open for the whole run (e2e/support/agent-online.mjs).
const agentPort = port + 4;
// A real SMTP server (Debian's aiosmtpd) that keeps what www sends in a Maildir the tests
// read (e2e/fixtures/mail.ts).
const smtpPort = port + 5;
// One folder per run, the same in the runner (which starts the servers) and its workers
// (which evaluate this file again): named by the port, emptied by the runner.
const mailDir = join(tmpdir(), `bellhop-e2e-mail-${port}`);
if (!process.env.TEST_WORKER_INDEX) {
  rmSync(mailDir, { recursive: true, force: true });
  mkdirSync(mailDir, { recursive: true });
}
process.env.BELLHOP_E2E_MAILDIR = join(mailDir, "Maildir");
const dataDir = mkdtempSync(join(tmpdir(), "bellhop-e2e-"));
const shopifyDataDir = mkdtempSync(join(tmpdir(), "bellhop-e2e-shopify-"));

// The flows the test server serves: the project's own, except that the demo's team is in
// around the clock (the server answers a handoff from the flow's business hours, and a test
// must not pass or fail with the hour it runs at), and `demo-closed.json`, the same flow
// with the team never in, for the offline branch.
function testFlows(): string {
  const source = required("BELLHOP_FLOWS_DIR");
  const dir = mkdtempSync(join(tmpdir(), "bellhop-e2e-flows-"));
  for (const name of readdirSync(source)) copyFileSync(join(source, name), join(dir, name));
  const demo = JSON.parse(readFileSync(join(source, "demo.json"), "utf8"));
  const allDay = ["00:00-24:00"];
  const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  demo.bot.business_hours = { time_zone: "UTC", weekly: Object.fromEntries(days.map((d) => [d, allDay])) };
  writeFileSync(join(dir, "demo.json"), JSON.stringify(demo));
  demo.bot.business_hours = { time_zone: "UTC", weekly: {} };
  writeFileSync(join(dir, "demo-closed.json"), JSON.stringify(demo));
  return dir;
}

const flowsDir = testFlows();

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  fullyParallel: true,
  workers: 2,
  // A flaky test is a bug to fix, not to retry.
  retries: 0,
  forbidOnly: true,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.BELLHOP_CHROMIUM ?? "/usr/bin/chromium",
      // This machine's network is closed: keep Chromium from calling home at start.
      args: [
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    },
  },
  projects: [{ name: "desktop", use: { ...devices["Desktop Chrome"] } }],
  webServer: [{
    command: `${process.env.BELLHOP_SMTP_PYTHON ?? "/usr/bin/python3"} -m aiosmtpd -n -l 127.0.0.1:${smtpPort} -c aiosmtpd.handlers.Mailbox ${join(mailDir, "Maildir")}`,
    port: smtpPort,
    reuseExistingServer: false,
    timeout: 10_000,
  },
  {
    command: [
      required("BELLHOP_WWW_BIN"),
      `--addr 127.0.0.1:${port}`,
      `--widget-dir ${required("BELLHOP_WIDGET_DIR")}`,
      `--flows-dir ${flowsDir}`,
      `--data-dir ${dataDir}`,
      // Demo orders and the demo agent (agent@fernhill.example / fernhill-demo).
      "--demo",
      `--allowed-origins http://127.0.0.1:${shopPort}`,
      // As behind one proxy of ours: a test may say which address a shopper comes from
      // (`X-Forwarded-For`); without the header the socket's address counts.
      "--trust-proxy 1",
      `--smtp-url smtp://127.0.0.1:${smtpPort}`,
    ].join(" "),
    env: {
      BELLHOP_MAIL_FROM: "Fernhill Outfitters <help@fernhill.example>",
      BELLHOP_TEAM_EMAIL: "team@fernhill.example",
    },
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  },
  {
    command: `${required("BELLHOP_SHOP_FAKES_BIN")} --addr 127.0.0.1:${fakesPort}`,
    url: `http://127.0.0.1:${fakesPort}/healthz`,
    reuseExistingServer: false,
    timeout: 10_000,
    stdout: "ignore",
  },
  {
    command: [
      required("BELLHOP_WWW_BIN"),
      `--addr 127.0.0.1:${shopifyPort}`,
      `--widget-dir ${required("BELLHOP_WIDGET_DIR")}`,
      `--flows-dir ${flowsDir}`,
      `--data-dir ${shopifyDataDir}`,
      "--demo",
      "--trust-proxy 1",
    ].join(" "),
    env: {
      BELLHOP_SHOPIFY_STORE: `http://127.0.0.1:${fakesPort}`,
      BELLHOP_SHOPIFY_TOKEN: "shpat_fake0123456789abcdef0123456789",
      BELLHOP_ORDERS_CACHE_SECONDS: "0",
    },
    url: `http://127.0.0.1:${shopifyPort}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  },
  {
    command: "node e2e/support/agent-online.mjs",
    env: { BELLHOP_PORT: String(port), BELLHOP_AGENT_PORT: String(agentPort) },
    url: `http://127.0.0.1:${agentPort}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
  {
    command: "node e2e/support/storefront.mjs",
    env: { BELLHOP_PORT: String(port), BELLHOP_SHOP_PORT: String(shopPort) },
    url: `http://127.0.0.1:${shopPort}/healthz`,
    reuseExistingServer: false,
    timeout: 10_000,
  }],
});
