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
    const alerts = queueAlerts(live);
    source.addEventListener("created", () => {
      alerts.arrived();
      // Long enough for the sound to play; a reply being typed is never thrown away.
      setTimeout(reloadSoon, 1500);
    });
    ["shopper_message", "joined", "closed", "email", "rating", "unanswered"].forEach((kind) =>
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
  ["closed", "rating", "email", "unanswered"].forEach((kind) =>
    source.addEventListener(kind, (event) => { if (mine(event)) reloadSoon(); }));

  // The queue's alerts: the tab's title counts waiting shoppers; once a person has said yes
  // (a click, never on page load), each new shopper also plays a short sound and shows a
  // browser notification. The choice is kept in this browser.
  function queueAlerts(live) {
    const base = document.title.replace(/^\(\d+\) /, "");
    let waiting = Number(live.getAttribute("data-waiting")) || 0;
    const title = () => { document.title = waiting > 0 ? "(" + waiting + ") " + base : base; };
    title();
    const KEY = "bellhop-inbox-alerts";
    const button = document.getElementById("alerts-on");
    const state = document.getElementById("alerts-state");
    let on = false;
    try { on = localStorage.getItem(KEY) === "on"; } catch (_) {}
    const say = () => { if (state) state.textContent = on ? "Sound and notifications are on for new shoppers." : ""; };
    if (button && !on) {
      button.hidden = false;
      button.addEventListener("click", async () => {
        if (window.Notification && Notification.permission === "default") {
          try { await Notification.requestPermission(); } catch (_) {}
        }
        on = true;
        try { localStorage.setItem(KEY, "on"); } catch (_) {}
        button.hidden = true;
        beep();
        say();
      });
    }
    say();
    function beep() {
      try {
        const Ctx = window.AudioContext || window.webkitAudioContext;
        if (!Ctx) return;
        const ctx = new Ctx();
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.15, ctx.currentTime);
        gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
        osc.connect(gain).connect(ctx.destination);
        osc.start();
        osc.stop(ctx.currentTime + 0.4);
      } catch (_) {}
    }
    return {
      arrived() {
        waiting += 1;
        title();
        if (!on) return;
        beep();
        if (window.Notification && Notification.permission === "granted") {
          try { new Notification("A shopper is waiting", { body: "Open the inbox to answer.", tag: "bellhop-waiting-" + waiting }); } catch (_) {}
        }
      },
    };
  }
})();
