package render

// pageJS lists, filters, searches and groups the findings of the page's
// data, and builds each finding's details and each role's reach tree only
// when they are opened. It uses no template literals (the Go string is a
// raw string) and sets text with textContent, never with innerHTML.
const pageJS = `
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const F = D.findings, SEVS = ["critical", "high", "medium", "low"], PAGE = 200;
const $ = (id) => document.getElementById(id);
for (const f of F) {
  f.detail = D.texts[f.detail];
  f.methods = f.methods.map((i) => D.methods[i]);
  for (const e of f.evidence) e.summary = D.texts[e.summary];
}
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const k in attrs || {}) {
    if (k === "text") e.textContent = attrs[k]; else if (k === "cls") e.className = attrs[k]; else e.setAttribute(k, attrs[k]);
  }
  for (const c of kids) if (c != null) e.append(c);
  return e;
}
function sevBadge(s) { return el("span", {cls: "sev " + s, text: s.toUpperCase()}); }
function shortName(arn) { const i = arn.lastIndexOf("/"); return i >= 0 ? arn.slice(i + 1) : arn; }
const hay = F.map((f) => [f.title, f.principal, f.subject, f.detail, f.rule, f.policies.join(" "),
  f.evidence.map((e) => e.action + " " + e.resource).join(" "),
  f.grants.map((g) => (g.sid || "") + " " + (g.group || "")).join(" ")].join(" ").toLowerCase());
const state = {sev: "", rule: "", account: "", principal: "", q: "", group: ""};

function options(sel, values, label) {
  for (const v of values) sel.append(el("option", {value: v, text: label ? label(v) : v}));
}
function countBy(key) { const m = {}; for (const f of F) m[key(f)] = (m[key(f)] || 0) + 1; return m; }

function setup() {
  $("summary").textContent = "World " + D.world + ": " + F.length + " findings over " + D.principals + " principals, " +
    D.decisions + " decisions" + (D.excluded_aws_managed ? "; " + D.excluded_aws_managed + " AWS-managed roles left out" : "") +
    (D.organization ? "; organization loaded" : "; no organization loaded") +
    (D.catalog.length ? ". Escalation methods from " + D.catalog.join("; ") + "." : ".");
  const bySev = countBy((f) => f.severity), byRule = countBy((f) => f.rule);
  options($("f-sev"), SEVS, (s) => s + " (" + (bySev[s] || 0) + ")");
  const rules = Object.keys(byRule).sort();
  options($("f-rule"), rules, (r) => r + " (" + byRule[r] + ")");
  options($("f-account"), Object.keys(countBy((f) => f.account)).filter((a) => a).sort());
  options($("principals"), Object.keys(countBy((f) => f.principal)).sort());
  for (const s of SEVS) {
    const b = el("button", {type: "button", "data-sev": s, "aria-pressed": "false"}, sevBadge(s), " " + (bySev[s] || 0));
    b.addEventListener("click", () => { set("sev", state.sev === s ? "" : s); $("f-sev").value = state.sev; });
    $("sev-buttons").append(b);
  }
  const tb = document.querySelector("#rules tbody");
  for (const r of rules) {
    const b = el("button", {type: "button", "data-rule": r, text: r});
    b.addEventListener("click", () => { $("f-rule").value = r; set("rule", r); $("h-find").scrollIntoView(); });
    tb.append(el("tr", {}, el("td", {}, b), el("td", {text: String(byRule[r])}), el("td", {text: D.rules[r].title})));
  }
  const bind = (id, key, ev) => $(id).addEventListener(ev, () => set(key, $(id).value));
  bind("f-sev", "sev", "change"); bind("f-rule", "rule", "change"); bind("f-account", "account", "change");
  bind("f-group", "group", "change");
  let timer;
  for (const [id, key] of [["f-principal", "principal"], ["f-search", "q"]]) {
    $(id).addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => set(key, $(id).value), 120); });
  }
  $("f-clear").addEventListener("click", () => {
    for (const id of ["f-sev", "f-rule", "f-account", "f-principal", "f-search", "f-group"]) $(id).value = "";
    Object.assign(state, {sev: "", rule: "", account: "", principal: "", q: "", group: ""});
    render();
  });
  targets();
  render();
}
function set(key, v) { state[key] = v; render(); }

function matches(i) {
  const f = F[i];
  if (state.sev && f.severity !== state.sev) return false;
  if (state.rule && f.rule !== state.rule) return false;
  if (state.account && f.account !== state.account) return false;
  if (state.principal && !f.principal.toLowerCase().includes(state.principal.toLowerCase())) return false;
  if (state.q) for (const w of state.q.toLowerCase().split(/\s+/)) if (w && !hay[i].includes(w)) return false;
  return true;
}

function render() {
  const shown = [];
  for (let i = 0; i < F.length; i++) if (matches(i)) shown.push(i);
  const per = {};
  for (const i of shown) per[F[i].severity] = (per[F[i].severity] || 0) + 1;
  $("count").textContent = shown.length + " of " + F.length + " findings (" +
    SEVS.map((s) => (per[s] || 0) + " " + s).join(", ") + ")";
  for (const b of document.querySelectorAll("#sev-buttons button")) b.setAttribute("aria-pressed", String(b.dataset.sev === state.sev));
  const list = $("list");
  list.replaceChildren();
  if (!state.group) { list.append(pagedList(shown)); return; }
  const groups = new Map();
  for (const i of shown) {
    const keys = state.group === "principal" ? [F[i].principal] : (F[i].policies.length ? F[i].policies : ["(no policy)"]);
    for (const k of keys) { if (!groups.has(k)) groups.set(k, []); groups.get(k).push(i); }
  }
  const sorted = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  list.append(pagedGroups(sorted, 0));
}

// pagedGroups shows PAGE groups, then a button for the next ones.
function pagedGroups(sorted, from) {
  const frag = document.createDocumentFragment();
  for (const [key, idx] of sorted.slice(from, from + PAGE)) {
    const d = el("details", {cls: "group", "data-key": key}, el("summary", {}, key + " ", el("span", {cls: "muted", text: "(" + idx.length + " findings)"})));
    d.addEventListener("toggle", () => { if (d.open && d.children.length === 1) d.append(pagedList(idx)); });
    frag.append(d);
  }
  if (sorted.length > from + PAGE) frag.append(moreButton(sorted.length - from - PAGE, "groups", () => pagedGroups(sorted, from + PAGE)));
  return frag;
}

// pagedList shows PAGE findings, then a button for the next ones.
function pagedList(idx) {
  const ul = el("ul", {cls: "findings"});
  const add = (from) => {
    for (const i of idx.slice(from, from + PAGE)) ul.append(row(i));
    if (idx.length > from + PAGE) ul.append(el("li", {}, moreButton(idx.length - from - PAGE, "findings", () => { add(from + PAGE); return null; })));
  };
  add(0);
  return ul;
}
function moreButton(left, what, next) {
  const b = el("button", {type: "button", cls: "more", text: "Show " + Math.min(left, PAGE) + " more " + what + " (" + left + " left)"});
  b.addEventListener("click", () => {
    const holder = b.closest("li") || b;
    const got = next();
    if (got) holder.replaceWith(got); else holder.remove();
  });
  return b;
}

function row(i) {
  const f = F[i], id = "f" + i;
  const btn = el("button", {type: "button", cls: "toggle", "aria-expanded": "false", "aria-controls": id}, sevBadge(f.severity), " ", f.title);
  const body = el("div", {cls: "body", id: id, hidden: ""});
  btn.addEventListener("click", () => {
    const open = btn.getAttribute("aria-expanded") !== "true";
    if (open && !body.firstChild) details(f, body);
    body.hidden = !open;
    btn.setAttribute("aria-expanded", String(open));
  });
  return el("li", {cls: "finding", "data-finding": String(i), "data-rule": f.rule, "data-severity": f.severity}, btn, body);
}

function details(f, body) {
  const r = D.rules[f.rule];
  body.append(el("p", {}, "Rule ", el("code", {text: f.rule}), " (" + r.title + "). Principal ", el("code", {text: f.principal}),
    f.subject ? el("span", {}, "; about ", el("code", {text: f.subject})) : null, f.account ? "; account " + f.account : null, "."));
  if (f.detail) body.append(el("p", {text: f.detail}));
  if (f.methods.length) {
    const ul = el("ul");
    for (const m of f.methods) ul.append(el("li", {}, m.catalogue + " ", m.link ? el("a", {href: m.link, text: m.id}) : el("code", {text: m.id}), " " + m.name));
    body.append(el("h4", {text: "Escalation method"}), ul);
  }
  if (f.statements.length) {
    body.append(el("h4", {text: f.statements.length > 1 ? "Granting statements" : "Statement"}));
    f.statements.forEach((si, k) => body.append(statement(D.statements[si], f.grants[k])));
  }
  if (f.evidence.length) {
    const t = el("table", {cls: "evidence"}, el("thead", {}, el("tr", {}, ...["Action", "Resource", "Decision", "Why", "Replay"].map((h) => el("th", {scope: "col", text: h})))));
    const tb = el("tbody");
    for (const e of f.evidence) tb.append(el("tr", {}, el("td", {}, el("code", {text: e.action})), el("td", {}, el("code", {text: e.resource})),
      el("td", {}, el("b", {text: e.decision})), el("td", {text: e.summary}), el("td", {}, el("code", {text: e.why}))));
    t.append(tb);
    body.append(el("h4", {text: "Evidence (decisions)"}), t);
  }
  const fix = el("div", {cls: "fix"}, el("p", {text: r.fix}));
  if (r.refs.length) { const ul = el("ul"); for (const ref of r.refs) ul.append(el("li", {}, el("a", {href: ref.URL, text: ref.Title}))); fix.append(ul); }
  body.append(el("h4", {text: "Remediation"}), fix);
}

function statement(s, g) {
  const head = el("p", {cls: "stmt-head"}, "Policy ", el("code", {text: s.policy}), ", statement " + s.index,
    s.sid ? el("span", {}, " (Sid ", el("code", {text: s.sid}), ")") : null,
    g && g.group ? el("span", {}, ", via group ", el("code", {text: shortName(g.group)})) : null,
    g && g.action ? el("span", {}, ", allows ", el("code", {text: g.action})) : null,
    s.place ? el("span", {cls: "muted", text: " at " + s.place}) : null);
  const pre = s.text ? el("pre", {cls: "stmt", text: s.text}) : el("p", {cls: "muted", text: "(the world's files do not hold this document)"});
  return el("div", {cls: "statement"}, head, pre);
}

function targets() {
  const box = $("targets");
  if (!D.targets.length) { box.append(el("p", {text: "No principal reaches an administrator role, and no federation enters a role."})); return; }
  for (const t of D.targets) {
    const d = el("details", {cls: "target"}, el("summary", {}, el("code", {text: t.role}),
      el("span", {cls: "muted", text: " " + (t.admin ? "administrator; " : "") + t.reached.length + " reach it"})));
    d.addEventListener("toggle", () => { if (d.open && d.children.length === 1) d.append(reachTree(t)); });
    box.append(d);
  }
}
function reachTree(t) {
  const root = el("ul", {cls: "tree"});
  for (const r of t.reached) {
    let ul = root, first = true;
    for (const hop of r.path.slice(0, -1)) {
      const li = el("li", {}, el("code", {text: hop}), first ? el("span", {cls: "muted", text: " (" + (r.rule === "federation-entry-point" ? "federation" : F[r.finding].severity) + ")"}) : null);
      const sub = el("ul", {cls: "tree"});
      li.append(sub); ul.append(li); ul = sub; first = false;
    }
    ul.append(el("li", {}, el("code", {text: t.role})));
  }
  return root;
}
setup();
`
