// Lighthouse on the demo product page with and without Bellhop's tag, RUNS times each,
// alternating. Prints one JSON object: the medians per variant and their difference.
// Usage: node page-cost.mjs BASE_URL RUNS   (run by `cargo xtask bench`)
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const [base, runsText] = process.argv.slice(2);
const runs = Number(runsText ?? 5);
const page = "/products/trail-runner";
const isBellhop = (url) => { try { return /\/bellhop\/|\/flows\//.test(new URL(url).pathname); } catch { return false; } };

const chrome = await chromeLauncher.launch({
  chromePath: process.env.BELLHOP_CHROMIUM ?? "/usr/bin/chromium",
  // This machine's network is closed: keep Chromium from calling home.
  chromeFlags: [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});

function measure(lhr) {
  const a = lhr.audits;
  const scripts = a["bootup-time"].details?.items ?? [];
  const requests = a["network-requests"].details?.items ?? [];
  const shifts = a["layout-shifts"]?.details?.items ?? [];
  return {
    tbt_ms: a["total-blocking-time"].numericValue,
    lcp_ms: a["largest-contentful-paint"].numericValue,
    cls: a["cumulative-layout-shift"].numericValue,
    main_thread_ms: a["mainthread-work-breakdown"].numericValue,
    bellhop_bootup_ms: scripts.filter((s) => isBellhop(s.url)).reduce((n, s) => n + s.total, 0),
    bellhop_bootup_by_script: Object.fromEntries(scripts.filter((s) => isBellhop(s.url))
      .map((s) => [new URL(s.url).pathname.split("/").pop(), Math.round(s.total * 10) / 10])),
    bellhop_bytes: requests.filter((r) => isBellhop(r.url)).reduce((n, r) => n + (r.transferSize ?? 0), 0),
    bellhop_requests: requests.filter((r) => isBellhop(r.url)).length,
    bellhop_shifts: shifts.filter((s) => JSON.stringify(s).includes("bellhop")).length,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const results = { with: [], without: [] };
for (let i = 0; i < runs; i++) {
  for (const [variant, query] of [["without", "?bellhop=off"], ["with", ""]]) {
    const r = await lighthouse(base + page + query, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance"],
      // Wait for the widget, which starts after `load` and idle time.
      maxWaitForLoad: 45_000,
    }, {
      extends: "lighthouse:default",
      // The bootup audit lists only scripts over 50 ms by default: Bellhop's are each under
      // that now, and a missing row read as 0 ms. List every script.
      audits: [{ path: "bootup-time", options: { thresholdInMs: 0 } }],
    });
    results[variant].push(measure(r.lhr));
    process.stderr.write(`lighthouse ${variant} run ${i + 1}/${runs}\n`);
  }
}
await chrome.kill();

// Per-run detail for the bootup attribution (medians hide a run's spread).
const bootupRuns = results.with.map((r) => r.bellhop_bootup_by_script);
for (const variant of ["with", "without"]) for (const r of results[variant]) delete r.bellhop_bootup_by_script;
const keys = Object.keys(results.with[0]);
const medians = (variant) => Object.fromEntries(keys.map((k) => [k, median(results[variant].map((r) => r[k]))]));
const withMedians = medians("with");
const withoutMedians = medians("without");
console.log(JSON.stringify({
  runs,
  page,
  settings: "Lighthouse 12.8.2 defaults (mobile, simulated throttling), bootup listed from 0 ms",
  bootup_runs: bootupRuns,
  with: withMedians,
  without: withoutMedians,
  difference: Object.fromEntries(keys.map((k) => [k, withMedians[k] - withoutMedians[k]])),
}));
