// The connection to the server (docs/protocol.md) and what every view
// shares. The token comes from the URL fragment (#token=...), which the
// browser never sends to the server, and is kept for this tab.
export const $ = (id) => document.getElementById(id);

const token = new URLSearchParams(location.hash.slice(1)).get("token") || sessionStorage.getItem("clearance-token") || "";
sessionStorage.setItem("clearance-token", token);
history.replaceState(null, "", location.pathname); // the token leaves the address bar

let ws, nextId = 0;
const handlers = new Map(); // question id -> function(message)
const keep = new Set();     // ids whose handler stays (subscriptions)
const onWelcome = [];

export function id(prefix) { return prefix + (++nextId); }

// send sends a message; onMessage gets every message with its id, until
// the last one (unless the id is kept: a subscription's answers come
// again after each overlay edit).
export function send(msg, onMessage, kept) {
  if (onMessage) handlers.set(msg.id, onMessage);
  if (kept) keep.add(msg.id);
  ws.send(JSON.stringify(msg));
}

// request sends a message and resolves with its one answer.
export function request(msg) {
  return new Promise((resolve) => send(msg, resolve));
}

export function welcomed(fn) { onWelcome.push(fn); }

const last = ["answer", "done", "error", "cancelled", "completions", "document", "overlay"];

export function connect() {
  ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/v1/ws");
  ws.onopen = () => ws.send(JSON.stringify({ type: "hello", version: 1, token }));
  ws.onclose = (e) => { $("status").textContent = "disconnected: " + (e.reason || e.code); };
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.type === "welcome") { onWelcome.forEach((fn) => fn(m.world)); return; }
    if (m.type === "error" && !m.id) { $("status").textContent = m.error; return; }
    const h = handlers.get(m.id);
    if (last.includes(m.type) && !keep.has(m.id)) handlers.delete(m.id);
    if (h) h(m);
  };
}

// el makes an element with a class and children (strings are text).
export function el(tag, cls, ...children) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  e.append(...children.filter((c) => c !== undefined && c !== null));
  return e;
}

export function fill(listId, items) {
  $(listId).replaceChildren(...items.map((v) => {
    const o = document.createElement("option");
    if (typeof v === "string") o.value = v; else { o.value = v.value; o.label = v.label; }
    return o;
  }));
}

export function show(view) {
  document.querySelectorAll("#tabs button").forEach((b) => b.classList.toggle("on", b.dataset.view === view));
  document.querySelectorAll(".view").forEach((v) => v.classList.toggle("on", v.id === view));
}

export function json(text, what) {
  if (!text.trim()) return undefined;
  try { return JSON.parse(text); } catch (e) { throw new Error(what + ": " + e.message); }
}

// headline is a verdict as the answer's first word: ALLOW, DENY (explicit)...
export function headline(v) {
  if (v === "allow") return "ALLOW";
  if (v === "explicit-deny") return "DENY (explicit)";
  if (v === "implicit-deny") return "DENY (implicit)";
  return v;
}

export function verdictClass(v) { return v === "allow" ? "allow" : v.endsWith("deny") || v.startsWith("chain refused") ? "deny" : ""; }
