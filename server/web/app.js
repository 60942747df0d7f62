// The Clearance console: plain JavaScript over the /v1/ws protocol
// (docs/protocol.md). The token comes from the URL fragment (#token=...),
// which the browser never sends to the server, and is kept for this tab.
"use strict";

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.hash.slice(1)).get("token") || sessionStorage.getItem("clearance-token") || "";
sessionStorage.setItem("clearance-token", token);
history.replaceState(null, "", location.pathname); // the token leaves the address bar

let ws, nextId = 0, overlayOpen = false;
const handlers = new Map(); // question id -> function(message)
const asked = new Map();    // ask id -> {el, msg}

function id(prefix) { return prefix + (++nextId); }

function send(msg, onMessage) {
  if (onMessage) handlers.set(msg.id, onMessage);
  ws.send(JSON.stringify(msg));
}

function connect() {
  ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/v1/ws");
  ws.onopen = () => ws.send(JSON.stringify({ type: "hello", version: 1, token }));
  ws.onclose = (e) => { $("status").textContent = "disconnected: " + (e.reason || e.code); };
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.type === "welcome") return welcome(m.world);
    if (m.type === "error" && !m.id) { $("status").textContent = m.error; return; }
    const h = handlers.get(m.id);
    if (h) h(m);
    if (["answer", "done", "error", "cancelled", "completions", "document", "overlay"].includes(m.type) && !asked.has(m.id)) handlers.delete(m.id);
  };
}

function fill(listId, items) {
  $(listId).replaceChildren(...items.map((v) => { const o = document.createElement("option"); o.value = v; return o; }));
}

function welcome(w) {
  $("status").textContent = `${w.accounts} accounts · ${w.users} users · ${w.roles} roles · ${w.resources} resources`;
  fill("principals", w.principals || []);
  fill("resources", w.resource_arns || []);
  fill("managed", w.managed_policies || []);
  const sel = $("ov-policy");
  sel.replaceChildren(...(w.policies || []).map((p, i) => {
    const o = document.createElement("option");
    o.value = i; o.textContent = `${p.kind}: ${p.target}${p.name ? " / " + p.name : ""}`;
    o.ref = p; return o;
  }));
  loadPolicy();
}

// Actions complete from the catalog as one types.
let completing;
for (const input of [$("ask-action"), $("wc-action")]) {
  input.addEventListener("input", () => {
    clearTimeout(completing);
    completing = setTimeout(() => {
      send({ type: "complete", id: id("c"), kind: "action", prefix: input.value }, (m) => fill("actions", m.items || []));
    }, 120);
  });
}

// Views.
document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => show(b.dataset.view)));
function show(view) {
  document.querySelectorAll("#tabs button").forEach((b) => b.classList.toggle("on", b.dataset.view === view));
  document.querySelectorAll(".view").forEach((v) => v.classList.toggle("on", v.id === view));
}

function json(text, what) {
  if (!text.trim()) return undefined;
  try { return JSON.parse(text); } catch (e) { throw new Error(what + ": " + e.message); }
}

function verdictClass(v) { return v === "allow" ? "allow" : v.endsWith("deny") ? "deny" : ""; }

// Ask: each answer stays on screen, subscribed, so overlay edits re-send it.
$("ask-form").addEventListener("submit", (e) => {
  e.preventDefault();
  let msg;
  try {
    msg = { type: "ask", id: id("a"), subscribe: true, action: $("ask-action").value, resource: $("ask-resource").value };
    const steps = json($("ask-steps").value, "steps"), ctx = json($("ask-context").value, "context");
    if (steps) msg.chain = { as: $("ask-principal").value, steps }; else msg.principal = $("ask-principal").value;
    if (ctx) msg.context = ctx;
    if ($("ask-account").value.trim()) msg.resource_account = $("ask-account").value.trim();
  } catch (err) { return alert(err.message); }
  const el = document.createElement("div");
  el.className = "answer";
  el.innerHTML = `<div class="q"></div><div class="verdict">…</div><div class="why"></div><ul class="deciding"></ul><details><summary>explanation</summary><pre></pre></details>`;
  el.querySelector(".q").textContent = `${msg.principal || msg.chain.as} · ${msg.action} · ${msg.resource}`;
  $("ask-answers").prepend(el);
  const copy = el.cloneNode(true);
  $("ov-answers").prepend(copy);
  asked.set(msg.id, { els: [el, copy], msg });
  send(msg, (m) => renderAnswer(msg.id, m));
});

function renderAnswer(qid, m) {
  for (const el of asked.get(qid).els) {
    const v = el.querySelector(".verdict");
    if (m.type === "error" || m.type === "cancelled") { v.textContent = m.error; v.className = "verdict deny"; continue; }
    v.replaceChildren();
    if (m.update) {
      const b = document.createElement("span"); b.className = "before"; b.textContent = headline(m.before);
      v.append(b, "→ ");
      el.classList.add("changed");
    }
    v.append(headline(m.verdict));
    v.className = "verdict " + verdictClass(m.verdict);
    el.querySelector("pre").textContent = m.text;
    const why = (m.text || "").split("\n").find((l) => l.trim().startsWith("why:"));
    el.querySelector(".why").textContent = why ? why.trim() : "";
    el.querySelector(".deciding").replaceChildren(...deciding(m.decision).map((s) => {
      const li = document.createElement("li"); li.textContent = s; return li;
    }));
  }
}

// headline is a verdict as the answer's first word: ALLOW, DENY (explicit)...
function headline(v) {
  if (v === "allow") return "ALLOW";
  if (v === "explicit-deny") return "DENY (explicit)";
  if (v === "implicit-deny") return "DENY (implicit)";
  return v;
}

// deciding lists the statements that decided: the Deny statements of an
// explicit deny, the grants (identity, resource, session Allow) of an allow.
function deciding(d) {
  if (!d) return [];
  const out = [];
  for (const [type, ms] of Object.entries(d.matched || {})) {
    for (const s of ms || []) {
      const decisive = d.decision === "explicit-deny" ? s.effect === "Deny"
        : d.decision === "allow" && s.effect === "Allow" && ["identity", "resource", "session"].includes(type);
      if (decisive) out.push(`${s.effect} ${type}: ${s.policy}${s.sid ? ' Sid "' + s.sid + '"' : ""}, statement ${s.index}${s.level ? " at " + s.level : ""}`);
    }
  }
  return out;
}

// Who can / What can: streamed, with progress and a cancel button.
let running;
function stream(msg) {
  $("wc-found").replaceChildren(); $("wc-result").textContent = "";
  $("wc-progress").value = 0; $("wc-cancel").disabled = false; running = msg.id;
  send(msg, (m) => {
    if (m.type === "progress") { $("wc-progress").max = m.total; $("wc-progress").value = m.done; $("wc-stage").textContent = `${m.stage} ${m.done}/${m.total}`; return; }
    if (m.type === "partial") { const li = document.createElement("li"); li.textContent = m.grant.principal + (m.grant.federated_by ? " (made by " + m.grant.federated_by + ")" : ""); $("wc-found").append(li); return; }
    $("wc-cancel").disabled = true; running = null;
    $("wc-result").textContent = m.type === "done" ? m.text : m.type + ": " + m.error;
    $("wc-stage").textContent = m.type;
  });
}
$("whocan-form").addEventListener("submit", (e) => { e.preventDefault(); stream({ type: "who_can", id: id("w"), action: $("wc-action").value, resource: $("wc-resource").value }); });
$("can-form").addEventListener("submit", (e) => { e.preventDefault(); stream({ type: "can", id: id("k"), principal: $("can-principal").value }); });
$("wc-cancel").addEventListener("click", () => running && ws.send(JSON.stringify({ type: "cancel", id: running })));

// Reach: the sessions as a tree of paths, each node expandable.
$("reach-form").addEventListener("submit", (e) => {
  e.preventDefault();
  $("reach-tree").textContent = "…";
  send({ type: "reach", id: id("r"), as: $("reach-as").value }, (m) => {
    if (m.type !== "done") { $("reach-tree").textContent = m.error; return; }
    const root = { children: new Map() };
    for (const r of m.reached || []) {
      let node = root;
      for (const hop of r.path.concat([r.session])) {
        if (!node.children.has(hop)) node.children.set(hop, { children: new Map(), needs: [] });
        node = node.children.get(hop);
      }
      node.needs = r.needs || [];
    }
    $("reach-tree").replaceChildren(treeOf(root, 0));
    if (!(m.reached || []).length) $("reach-tree").textContent = "reaches no role session";
  });
});
function treeOf(node, depth) {
  const ul = document.createElement("ul");
  for (const [name, child] of node.children) {
    const li = document.createElement("li");
    const label = name + (child.needs.length ? "  [needs " + child.needs.join(", ") + "]" : "");
    if (child.children.size) {
      const d = document.createElement("details"); d.open = depth < 2;
      const s = document.createElement("summary"); s.textContent = label;
      d.append(s, treeOf(child, depth + 1)); li.append(d);
    } else { li.textContent = label; }
    ul.append(li);
  }
  return ul;
}

// What if: an overlay, a JSON editor with the loader's positioned errors.
function currentRef() { const o = $("ov-policy").selectedOptions[0]; return o && o.ref; }
function loadPolicy() {
  const ref = currentRef(); if (!ref) return;
  send({ type: "policy", id: id("p"), ...ref }, (m) => { $("ov-doc").value = m.document || ""; showError(null); });
}
$("ov-policy").addEventListener("change", loadPolicy);
function gutter(badLine) {
  const n = $("ov-doc").value.split("\n").length;
  $("ov-doc").rows = Math.min(Math.max(n + 1, 8), 24); // the editor fits its document
  const g = $("ov-gutter"); g.replaceChildren();
  for (let i = 1; i <= n; i++) { const s = document.createElement("span"); s.textContent = i + "\n"; if (i === badLine) s.className = "bad"; g.append(s); }
}
function showError(m) {
  $("ov-error").textContent = m ? (m.line ? `line ${m.line}, column ${m.col}${m.path ? " (" + m.path + ")" : ""}: ` : "") + m.error : "";
  gutter(m && m.line);
  if (m && m.line) {
    const lines = $("ov-doc").value.split("\n");
    const at = lines.slice(0, m.line - 1).join("\n").length + (m.line > 1 ? 1 : 0) + Math.max(0, m.col - 1);
    $("ov-doc").setSelectionRange(at, at + 1);
  }
}
$("ov-doc").addEventListener("input", () => gutter());
function setOverlay(open, state) {
  overlayOpen = open;
  $("ov-open").disabled = open; $("ov-discard").disabled = !open; $("ov-apply").disabled = !open;
  document.querySelectorAll(".ov-op").forEach((b) => (b.disabled = !open));
  $("ov-state").textContent = state;
}
$("ov-open").addEventListener("click", () => send({ type: "open", id: id("o") }, (m) => m.type === "overlay" && setOverlay(true, "overlay open")));
$("ov-discard").addEventListener("click", () => send({ type: "discard", id: id("d") }, () => { setOverlay(false, "no overlay: the loaded world"); loadPolicy(); }));
function edit(msg) {
  send({ type: "edit", id: id("e"), ...msg }, (m) => {
    if (m.type === "error") return showError(m);
    showError(null);
    $("ov-state").textContent = `overlay: ${m.overlay - 1} edit(s) applied`;
  });
}
$("ov-apply").addEventListener("click", () => edit({ op: "put", ...currentRef(), document: $("ov-doc").value }));
document.querySelectorAll(".ov-op").forEach((b) => b.addEventListener("click", () => edit({ op: b.dataset.op, target: $("ov-target").value, policy_arn: $("ov-arn").value })));

// Audit: summary and findings, each linking to its Ask view.
$("audit-run").addEventListener("click", () => {
  $("audit-findings").replaceChildren(); $("audit-summary").textContent = "…";
  send({ type: "audit", id: id("u") }, (m) => {
    if (m.type === "progress") { $("audit-progress").max = m.total; $("audit-progress").value = m.done; $("audit-stage").textContent = `${m.stage} ${m.done}/${m.total}`; return; }
    if (m.type !== "done") { $("audit-summary").textContent = m.error; return; }
    const a = m.audit;
    $("audit-summary").textContent = `${a.findings.length} findings over ${a.principals} principals (${a.decisions} decisions)`;
    for (const f of a.findings) {
      const li = document.createElement("li");
      const sev = document.createElement("span"); sev.className = "sev-" + f.severity; sev.textContent = `[${f.severity}] `;
      li.append(sev, `${f.rule}: ${f.title} `);
      const ev = (f.evidence || [])[0];
      if (ev) {
        const a = document.createElement("a"); a.textContent = "ask"; a.className = "ask-link";
        a.addEventListener("click", () => {
          $("ask-principal").value = f.principal; $("ask-action").value = ev.action; $("ask-resource").value = ev.resource;
          $("ask-account").value = (f.principal.split(":")[4] || ""); $("ask-steps").value = ""; $("ask-context").value = "";
          show("ask");
          $("ask-form").requestSubmit();
        });
        li.append(a);
      }
      $("audit-findings").append(li);
    }
  });
});

connect();
