// Pickers with completion: principals (users, roles, roots, identity
// providers, and the sessions a Reach found), chain steps, actions (the
// catalog), resources (the world) and context keys (the IAM global keys
// and the action's own), each completed by the server's complete verb as
// one types.
import { $, id, send, el, fill, welcomed, json } from "./core.js";

const WEB_IDPS = ["accounts.google.com", "graph.facebook.com", "www.amazon.com", "cognito-identity.amazonaws.com"];
let principals = [], sessions = new Map(); // session ARN -> {as, steps}

welcomed((w) => {
  principals = w.principals || [];
  fillPrincipals();
  fill("roles", principals.filter((p) => p.includes(":role/")));
  fill("providers", principals.filter((p) => /:(saml|oidc)-provider\//.test(p)).concat(WEB_IDPS));
  fill("resources", w.resource_arns || []);
});

function fillPrincipals() {
  const opts = principals.map((p) => ({ value: p, label: kindOf(p) }));
  for (const [arn, s] of sessions) opts.push({ value: arn, label: `session: ${s.as} ⟶ ${s.steps.length} hop(s)` });
  fill("principals", opts);
}

function kindOf(arn) {
  if (arn.endsWith(":root")) return "root user";
  for (const [re, k] of [[/:user\//, "user"], [/:role\//, "role"], [/-provider\//, "identity provider"], [/^[a-z0-9-]+:[0-9a-f-]{36}$/, "identity pool"]]) {
    if (re.test(arn)) return k;
  }
  return "";
}

// addSessions makes the sessions a Reach found pickable as principals: an
// AssumeRole path from an IAM identity becomes the chain that makes it.
export function addSessions(as, reached) {
  for (const r of reached) {
    const steps = [];
    for (const hop of r.path) {
      const [op, role] = hop.split(" ");
      if (op !== "AssumeRole" || !role) { steps.length = 0; break; }
      steps.push({ AssumeRole: { role, session: "console" } });
    }
    if (steps.length === r.path.length) sessions.set(r.session, { as, steps });
  }
  fillPrincipals();
}

// Picking a session fills the chain that makes it.
$("ask-principal").addEventListener("change", () => {
  const s = sessions.get($("ask-principal").value);
  if (!s) return;
  $("ask-principal").value = s.as;
  $("ask-steps").replaceChildren();
  for (const st of s.steps) addStep("AssumeRole", st.AssumeRole.role, "", "console");
});

// completes attaches server completion to an input: kind, the datalist it
// fills, and extra members (a key's action).
function completes(input, kind, listId, extra) {
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      send({ type: "complete", id: id("c"), kind, prefix: input.value, ...(extra ? extra() : {}) }, (m) => {
        if (m.type !== "completions") return;
        if (kind === "principal") {
          const known = new Set(principals);
          for (const p of m.items || []) if (!known.has(p)) principals.push(p);
          fillPrincipals();
        } else fill(listId, m.items || []);
      });
    }, 120);
  });
}

for (const i of ["ask-action", "wc-action"]) completes($(i), "action", "actions");
for (const i of ["ask-resource", "wc-resource"]) completes($(i), "resource", "resources");
for (const i of ["ask-principal", "can-principal", "reach-as"]) completes($(i), "principal", "principals");

// The chain builder: each step an STS operation with its role, provider,
// session name and, as JSON, its other parameters (claims, attributes...).
const OPS = ["AssumeRole", "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML", "GetSessionToken", "GetFederationToken"];

export function addStep(op = "AssumeRole", role = "", provider = "", session = "") {
  const sel = el("select", "op", ...OPS.map((o) => { const x = el("option", null, o); x.value = o; return x; }));
  sel.value = op;
  const input = (cls, list, ph, v) => { const i = el("input", cls); i.placeholder = ph; i.value = v; i.autocomplete = "off"; if (list) i.setAttribute("list", list); return i; };
  const roleIn = input("role", "roles", "role ARN", role);
  const row = el("div", "step", sel, roleIn, input("provider", "providers", "provider (web identity, SAML)", provider),
    input("session", null, "session or user name", session), input("more", null, '{"claims": {...}}', ""));
  const rm = el("button", "rm", "×"); rm.type = "button"; rm.title = "remove the step";
  rm.addEventListener("click", () => row.remove());
  row.append(rm);
  $("ask-steps").append(row);
  return row;
}
$("ask-add-step").addEventListener("click", () => addStep());

// chainSteps reads the builder into the scenario format's steps.
export function chainSteps() {
  return [...$("ask-steps").querySelectorAll(".step")].map((row, i) => {
    const op = row.querySelector(".op").value, v = (c) => row.querySelector("." + c).value.trim();
    const p = json(v("more"), `step ${i + 1} parameters`) || {};
    if (v("role") && op.startsWith("AssumeRole")) p.role = v("role");
    if (v("provider") && op !== "AssumeRole" && op.startsWith("AssumeRole")) p.provider = v("provider");
    if (v("session")) p[op === "GetFederationToken" ? "name" : op.startsWith("AssumeRole") ? "session" : "_"] = v("session");
    delete p._;
    return { [op]: p };
  });
}

// Context keys: rows of key (completed from the IAM global keys and the
// action's own keys) and value (JSON when it reads as JSON: true, 3,
// ["a","b"]; text otherwise).
export function addKey(key = "", value = "") {
  const k = el("input", "key"); k.setAttribute("list", "keys"); k.placeholder = "aws:SourceIp"; k.value = key; k.autocomplete = "off";
  completes(k, "key", "keys", () => ({ action: $("ask-action").value }));
  const v = el("input", "value"); v.placeholder = "value"; v.value = value;
  const rm = el("button", "rm", "×"); rm.type = "button";
  const row = el("div", "ctx", k, "=", v, rm);
  rm.addEventListener("click", () => row.remove());
  $("ask-ctx").append(row);
  return row;
}
$("ask-add-key").addEventListener("click", () => addKey());

export function contextKeys() {
  const out = {};
  for (const row of $("ask-ctx").querySelectorAll(".ctx")) {
    const k = row.querySelector(".key").value.trim(), v = row.querySelector(".value").value.trim();
    if (!k) continue;
    try { out[k] = JSON.parse(v); } catch { out[k] = v; }
  }
  return out;
}

// setAsk fills the Ask form (from an audit finding, a Reach session).
export function setAsk({ principal = "", action = "", resource = "", account = "", context = {} }) {
  $("ask-principal").value = principal; $("ask-action").value = action; $("ask-resource").value = resource;
  $("ask-account").value = account; $("ask-steps").replaceChildren(); $("ask-ctx").replaceChildren();
  $("ask-session-policy").value = "";
  for (const [k, v] of Object.entries(context)) addKey(k, typeof v === "string" ? v : JSON.stringify(v));
}
