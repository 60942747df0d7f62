// Ask: a principal or a chain, an action, a resource and context keys;
// the answer with the deciding statements shown in their policy's text,
// highlighted, and each guardrail with whether it allowed or blocked.
// Each answer stays on screen, subscribed, so overlay edits re-send it.
import { $, id, send, request, el, json, headline, verdictClass } from "./core.js";
import { chainSteps, contextKeys } from "./pickers.js";

const asked = new Map(); // ask id -> {els, msg}

$("ask-form").addEventListener("submit", (e) => {
  e.preventDefault();
  let msg;
  try {
    msg = { type: "ask", id: id("a"), subscribe: true, action: $("ask-action").value, resource: $("ask-resource").value };
    const steps = chainSteps(), ctx = contextKeys(), sp = json($("ask-session-policy").value, "session policy");
    const as = $("ask-principal").value.trim();
    if (steps.length) { msg.chain = { steps }; if (as) msg.chain.as = as; } else msg.principal = as;
    if (Object.keys(ctx).length) msg.context = ctx;
    if (sp) msg.session_policy = sp;
    if ($("ask-account").value.trim()) msg.resource_account = $("ask-account").value.trim();
  } catch (err) { $("ask-error").textContent = err.message; return; }
  $("ask-error").textContent = "";
  const make = () => {
    const a = el("div", "answer", el("div", "q"), el("div", "verdict", "…"), el("div", "why"), el("ol", "chain"),
      el("ul", "deciding"), el("table", "guardrails"), el("div", "docs"),
      el("details", null, el("summary", null, "explanation"), el("pre")));
    a.querySelector(".q").textContent = `${msg.principal || (msg.chain.as || "") + " ⟶ " + msg.chain.steps.map(stepLabel).join(" ⟶ ")} · ${msg.action} · ${msg.resource}`;
    return a;
  };
  const els = [make(), make()];
  $("ask-answers").prepend(els[0]);
  $("ov-answers").prepend(els[1]);
  asked.set(msg.id, { els, msg });
  send(msg, (m) => renderAnswer(msg.id, m), true);
});

function stepLabel(s) {
  const [op, p] = Object.entries(s)[0];
  return op + (p && (p.role || p.name) ? " " + (p.role || p.name) : "");
}

function renderAnswer(qid, m) {
  const { els } = asked.get(qid);
  for (const a of els) {
    const v = a.querySelector(".verdict");
    if (m.type === "error" || m.type === "cancelled") { v.textContent = m.error; v.className = "verdict deny"; continue; }
    v.replaceChildren();
    if (m.update) {
      v.append(el("span", "before", headline(m.before)), "→ ");
      a.classList.add("changed");
    }
    v.append(headline(m.verdict));
    v.className = "verdict " + verdictClass(m.verdict);
    a.querySelector("pre").textContent = m.text;
    const why = (m.text || "").split("\n").find((l) => l.trim().startsWith("why:"));
    a.querySelector(".why").textContent = why ? why.trim() : "";
    a.querySelector(".chain").replaceChildren(...hops(m.chain));
    const dec = deciding(m.decision);
    a.querySelector(".deciding").replaceChildren(...dec.map((d) => el("li", null, d.label)));
    a.querySelector(".guardrails").replaceChildren(...guardrails(m.decision));
    a.querySelector(".docs").replaceChildren();
  }
  if (m.decision) documents(els, deciding(m.decision));
}

// hops lists a chain's hops: who called what, and the refusal if any.
function hops(chain) {
  if (!chain) return [];
  return (chain.hops || []).map((h) => el("li", h.refused ? "deny" : "",
    `${h.operation} ${h.target || ""} by ${h.caller}` + (h.refused ? ` — refused: ${h.reason || ""}` : h.session ? ` ⟶ ${h.session.arn}` : "")));
}

// deciding lists the statements that decided: the Deny statements of an
// explicit deny, the grants (identity, resource, session Allow) of an allow.
export function deciding(d) {
  if (!d) return [];
  const out = [];
  for (const [type, ms] of Object.entries(d.matched || {})) {
    for (const s of ms || []) {
      const decisive = d.decision === "explicit-deny" ? s.effect === "Deny"
        : d.decision === "allow" && s.effect === "Allow" && ["identity", "resource", "session"].includes(type);
      if (decisive) out.push({ ...s, type, label: `${s.effect} ${type}: ${s.policy}${s.sid ? ' Sid "' + s.sid + '"' : ""}, statement ${s.index}${s.level ? " at " + s.level : ""}` });
    }
  }
  return out;
}

// The guardrails a decision shows, with whether each let the request
// through (the decision logic's <guardrail>_passes).
const GUARDRAILS = [["scp", "SCPs"], ["rcp", "RCPs"], ["endpoint", "VPC endpoint policy"], ["boundary", "permissions boundary"], ["session", "session policy"]];

function guardrails(d) {
  if (!d) return [];
  const a = d.applies || {};
  return GUARDRAILS.map(([g, name]) => {
    const ms = (d.matched || {})[g] || [];
    const inForce = a[g] || (g === "session" && d.blocked_by === "session");
    let state, cls;
    if (!inForce) { state = "not in force"; cls = "off"; }
    else if (a[g + "_passes"]) { state = "allowed"; cls = "allow"; }
    else if (ms.some((m) => m.effect === "Deny")) { state = "blocked: explicit Deny"; cls = "deny"; }
    else { state = g === "session" && !a.session ? "blocked: no session policy" : "blocked: no Allow"; cls = "deny"; }
    const tr = el("tr", "g-" + g, el("th", null, name), el("td", "state " + cls, state),
      el("td", "stmts", ms.map((m) => `${m.effect} ${m.policy}${m.sid ? " " + m.sid : ""} #${m.index}${m.level ? " at " + m.level : ""}`).join("; ")));
    return tr;
  });
}

// documents fetches each deciding statement's policy (the policy verb,
// by the name the decision gives it) and shows its text with the
// statement's lines highlighted. A document outside the world (a session
// policy given with the question) is named, not shown.
async function documents(els, dec) {
  const byPolicy = new Map();
  for (const d of dec) {
    if (!byPolicy.has(d.policy)) byPolicy.set(d.policy, []);
    byPolicy.get(d.policy).push(d);
  }
  for (const [name, ds] of byPolicy) {
    const m = await request({ type: "policy", id: id("p"), named: name });
    for (const a of els) a.querySelector(".docs").append(documentView(name, m, ds));
  }
}

function documentView(name, m, ds) {
  const head = el("div", "doc-head", name);
  if (m.type !== "document") return el("div", "doc", head, el("div", "muted", m.error));
  head.append(el("span", "muted", ` (${m.ref.kind})`));
  const marks = new Map(); // line -> class
  for (const d of ds) {
    const st = (m.statements || []).find((s) => s.index === d.index);
    if (!st) continue;
    for (let n = st.line; n <= st.end_line; n++) marks.set(n, d.effect === "Deny" ? "hl deny" : "hl allow");
  }
  const pre = el("pre", "policy");
  m.document.replace(/\n$/, "").split("\n").forEach((line, i) => {
    pre.append(el("div", "l " + (marks.get(i + 1) || ""), el("span", "ln", String(i + 1)), line));
  });
  const box = el("div", "doc", head, pre);
  requestAnimationFrame(() => {
    const first = pre.querySelector(".hl");
    if (first) pre.scrollTop = Math.max(0, first.offsetTop - pre.offsetTop - 40);
  });
  return box;
}
