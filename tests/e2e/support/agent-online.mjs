// Keeps the demo agent's inbox open for the whole run, as on a store's working day: the
// server counts a person as available while their inbox's event stream is open (and they
// have not said "away"), so live handoffs are live. Started by playwright.config.ts; it
// answers /healthz once the stream is open, and reopens it if it ever ends.
import { createServer } from "node:http";

const base = `http://127.0.0.1:${process.env.BELLHOP_PORT}`;
const port = Number(process.env.BELLHOP_AGENT_PORT);
let open = false;

async function logIn() {
  const r = await fetch(`${base}/inbox/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: "email=agent%40fernhill.example&password=fernhill-demo",
  });
  const cookie = r.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  if (!cookie.includes("bellhop_session")) throw new Error(`login answered ${r.status}`);
  return cookie;
}

async function stayOnline() {
  for (;;) {
    try {
      const cookie = await logIn();
      const r = await fetch(`${base}/inbox/events`, { headers: { cookie } });
      if (r.status !== 200) throw new Error(`events answered ${r.status}`);
      open = true;
      for await (const _ of r.body) { /* keep-alives and events: nothing to do */ }
    } catch (_) {
      // www is not up yet, or restarted: try again shortly.
    }
    open = false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

createServer((req, res) => {
  res.statusCode = open && req.url === "/healthz" ? 200 : 503;
  res.end();
}).listen(port, "127.0.0.1");
stayOnline();
