// Live updates for the open inbox page. Without this script the inbox still works; pages
// simply need a reload to show what arrived.
"use strict";
(function () {
  const live = document.querySelector("[data-live]");
  if (!live || !window.EventSource) return;
  const after = live.getAttribute("data-after") || "0";
  const source = new EventSource("/inbox/events?after=" + encodeURIComponent(after));
  const busy = () => {
    const el = document.activeElement;
    return el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT") && el.value;
  };
  const reloadSoon = () => {
    if (busy()) return; // never throw away a reply being typed
    window.location.reload();
  };
  if (live.getAttribute("data-live") === "queue") {
    ["created", "shopper_message", "joined", "closed", "email", "rating"].forEach((kind) =>
      source.addEventListener(kind, reloadSoon));
    return;
  }
  const conversation = Number(live.getAttribute("data-conversation"));
  const mine = (event) => {
    try {
      const data = JSON.parse(event.data);
      return data.conversation === conversation ? data.data : null;
    } catch (_) {
      return null;
    }
  };
  source.addEventListener("shopper_message", (event) => {
    const data = mine(event);
    if (!data) return;
    const li = document.createElement("li");
    li.className = "shopper";
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = "Shopper";
    const time = document.createElement("time");
    time.textContent = "just now";
    const p = document.createElement("p");
    p.textContent = String(data.text || "");
    li.append(who, time, p);
    live.append(li);
  });
  ["closed", "rating", "email"].forEach((kind) =>
    source.addEventListener(kind, (event) => { if (mine(event)) reloadSoon(); }));
})();
