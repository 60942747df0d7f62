// Reach: the sessions an identity reaches, as a tree of paths one can
// expand and collapse. A branch's children are built when it is first
// opened, so a reach of hundreds of sessions renders at once; a filter
// opens the branches that lead to what it names.
import { $, id, send, el, show } from "./core.js";
import { addSessions, setAsk, addStep } from "./pickers.js";

let root = null, lastAs = "";

$("reach-form").addEventListener("submit", (e) => {
  e.preventDefault();
  $("reach-tree").textContent = "…";
  lastAs = $("reach-as").value.trim();
  const t0 = performance.now();
  send({ type: "reach", id: id("r"), as: lastAs }, (m) => {
    if (m.type !== "done") { $("reach-tree").textContent = m.error; return; }
    const reached = m.reached || [];
    addSessions(lastAs, reached);
    root = build(reached);
    const t1 = performance.now();
    render();
    const ms = Math.round(performance.now() - t1);
    $("reach-stats").textContent = `${reached.length} sessions · ${count(root)} nodes · answered in ${Math.round(t1 - t0)} ms · rendered in ${ms} ms`;
    $("reach-stats").dataset.renderMs = ms;
    if (!reached.length) $("reach-tree").textContent = "reaches no role session";
  });
});

function build(reached) {
  const r = { children: new Map(), needs: [], sessions: 0 };
  for (const s of reached) {
    let node = r;
    for (const hop of s.path) {
      node.sessions++;
      if (!node.children.has(hop)) node.children.set(hop, { children: new Map(), needs: [], sessions: 0, hop });
      node = node.children.get(hop);
    }
    node.session = s.session; node.needs = s.needs || []; node.path = s.path;
  }
  return r;
}

function count(n) { let c = 0; for (const ch of n.children.values()) c += 1 + count(ch); return c; }

// A small tree opens its first level; a large one (hundreds of
// sessions) starts collapsed, one line per first hop.
let openFirst = true;
function render() {
  openFirst = count(root) <= 50;
  $("reach-tree").replaceChildren(branch(root, 0));
}

// branch is a node's list; a child with children is a <details> whose
// list is built when first opened.
function branch(node, depth) {
  const ul = el("ul");
  for (const [name, child] of node.children) {
    const label = el("span", "hop", name);
    if (child.session) label.append(el("span", "sess", " ⟶ " + child.session));
    if (child.needs.length) label.append(el("span", "needs", " needs " + child.needs.join(", ")));
    if (child.session && child.path.every((h) => h.startsWith("AssumeRole "))) {
      const a = el("a", "ask-link", "ask as"); a.title = "ask a question as this session";
      a.addEventListener("click", (e) => { e.preventDefault(); askAs(child.path); });
      label.append(" ", a);
    }
    const li = el("li");
    if (child.children.size) {
      const d = el("details"), s = el("summary", null, label, el("span", "count", ` (${child.sessions})`));
      d.append(s);
      d.node = child; d.depth = depth + 1;
      d.addEventListener("toggle", () => { if (d.open) open(d); });
      d.open = openFirst && depth < 1;
      li.append(d);
    } else li.append(label);
    ul.append(li);
  }
  return ul;
}

// open builds a branch's list the first time it opens.
function open(d) {
  if (!d.built) { d.built = true; d.append(branch(d.node, d.depth)); }
}

function askAs(path) {
  setAsk({ principal: lastAs });
  for (const hop of path) addStep("AssumeRole", hop.slice("AssumeRole ".length), "", "console");
  show("ask");
  $("ask-action").focus();
}

// Expand all opens every branch (building them), collapse all closes them.
$("reach-expand").addEventListener("click", () => {
  const t = performance.now();
  let more = true;
  while (more) {
    more = false;
    for (const d of $("reach-tree").querySelectorAll("details:not([open])")) { open(d); d.open = true; more = true; }
  }
  $("reach-stats").dataset.expandMs = Math.round(performance.now() - t);
});
$("reach-collapse").addEventListener("click", () => $("reach-tree").querySelectorAll("details[open]").forEach((d) => (d.open = false)));
