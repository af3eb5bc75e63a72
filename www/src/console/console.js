// The console's one script. Every page works without it; it adds three things:
// - unsaved work survives a reload: each editor form's fields are kept in this browser's
//   localStorage as they are typed, restored when the page comes back, and forgotten once
//   the server has saved them (it redirects with ?saved=REVISION);
// - a flow file chosen for import is read into the form's text box;
// - the "Fire a proactive message" buttons call the preview's widget.
"use strict";
(function () {
  const form = document.querySelector("form[data-unsaved]");
  if (form) {
    const key = "bellhop-console:" + location.pathname;
    const skip = new Set(["csrf", "revision", "back", "action"]);
    const read = () => {
      const pairs = [];
      for (const [name, value] of new FormData(form)) if (!skip.has(name)) pairs.push([name, String(value)]);
      return pairs;
    };
    const params = new URLSearchParams(location.search);
    if (params.has("saved")) {
      localStorage.removeItem(key);
      params.delete("saved");
      const query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }
    const initial = JSON.stringify(read());
    let stored = null;
    try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (_) { stored = null; }
    if (stored && JSON.stringify(stored) !== initial) {
      const values = new Map();
      for (const [name, value] of stored) {
        if (!values.has(name)) values.set(name, []);
        values.get(name).push(value);
      }
      const used = new Map();
      for (const el of form.elements) {
        if (!el.name || skip.has(el.name) || !values.has(el.name) || el.type === "hidden") continue;
        const list = values.get(el.name);
        if (el.type === "checkbox") { el.checked = list.includes(el.value); continue; }
        const i = used.get(el.name) || 0;
        if (i < list.length) { el.value = list[i]; used.set(el.name, i + 1); }
      }
      const note = form.querySelector(".unsaved-note");
      if (note) {
        note.hidden = false;
        const discard = note.querySelector(".discard");
        if (discard) discard.addEventListener("click", () => { localStorage.removeItem(key); location.reload(); });
      }
    }
    const keep = () => {
      const now = read();
      if (JSON.stringify(now) === initial) localStorage.removeItem(key);
      else try { localStorage.setItem(key, JSON.stringify(now)); } catch (_) { /* full: the server copy stays */ }
    };
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
  }

  for (const input of document.querySelectorAll("input[type=file][data-fills]")) {
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      const target = document.getElementById(input.getAttribute("data-fills"));
      if (!file || !target) return;
      file.text().then((text) => { target.value = text; });
    });
  }

  const frame = document.querySelector("iframe.preview");
  for (const button of document.querySelectorAll("[data-fire]")) {
    button.addEventListener("click", () => {
      const w = frame && frame.contentWindow;
      if (w && typeof w.Bellhop === "function") {
        w.Bellhop("preview", button.getAttribute("data-fire"), button.getAttribute("data-variant") || "");
      }
    });
  }
})();
