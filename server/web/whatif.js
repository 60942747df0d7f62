// What if: an overlay over the loaded world, private to this tab (this
// connection). Edit any policy in a JSON editor with the loader's
// positioned errors inline; attach or detach a managed policy; set a
// boundary; add an SCP or RCP attached to the root, an OU or an account.
// The subscribed answers on screen are re-sent when an edit changes them.
import { $, id, send, request, el, fill, welcomed } from "./core.js";

let world;

welcomed((w) => {
  world = w;
  fill("managed", w.managed_policies || []);
  const boundaries = new Set(Object.values(w.boundaries || {}));
  const sel = $("ov-policy");
  sel.replaceChildren(...(w.policies || []).map((p, i) => {
    const o = el("option", null, `${p.kind}: ${p.target}${p.name ? " / " + p.name : ""}${boundaries.has(p.target) ? " (a boundary)" : ""}`);
    o.value = i; o.ref = p; return o;
  }));
  const levels = w.org_levels || [];
  $("ov-attach").replaceChildren(...levels.map((l) => { const o = el("option", null, `${l.kind}: ${l.name || l.id} (${l.id})`); o.value = l.id; return o; }));
  $("ov-new").hidden = !w.organization;
  loadPolicy();
});

// The policy picker filters as one types (a world may have thousands).
$("ov-filter").addEventListener("input", () => {
  const f = $("ov-filter").value.toLowerCase();
  let first = null;
  for (const o of $("ov-policy").options) { o.hidden = f && !o.textContent.toLowerCase().includes(f); if (!o.hidden && !first) first = o; }
  if (first && $("ov-policy").selectedOptions[0]?.hidden) { $("ov-policy").value = first.value; loadPolicy(); }
});

function currentRef() { const o = $("ov-policy").selectedOptions[0]; return o && o.ref; }
function loadPolicy() {
  const ref = currentRef(); if (!ref) return;
  send({ type: "policy", id: id("p"), ...ref }, (m) => { $("ov-doc").value = m.document || ""; showError(null); });
}
$("ov-policy").addEventListener("change", loadPolicy);

function gutter(editor, gutterEl, badLine) {
  const n = editor.value.split("\n").length;
  editor.rows = Math.min(Math.max(n + 1, 8), 24); // the editor fits its document
  gutterEl.replaceChildren(...Array.from({ length: n }, (_, i) => el("span", i + 1 === badLine ? "bad" : "", `${i + 1}\n`)));
}

// showError puts a positioned error under its editor, marks its line in
// the gutter and selects the character it points at.
function showError(m, editor = $("ov-doc"), gutterEl = $("ov-gutter"), box = $("ov-error")) {
  box.textContent = m ? (m.line ? `line ${m.line}, column ${m.col}${m.path ? " (" + m.path + ")" : ""}: ` : "") + m.error : "";
  gutter(editor, gutterEl, m && m.line);
  if (m && m.line) {
    const lines = editor.value.split("\n");
    const at = lines.slice(0, m.line - 1).join("\n").length + (m.line > 1 ? 1 : 0) + Math.max(0, m.col - 1);
    editor.setSelectionRange(at, at + 1);
  }
}
$("ov-doc").addEventListener("input", () => gutter($("ov-doc"), $("ov-gutter")));
$("ov-new-doc").addEventListener("input", () => gutter($("ov-new-doc"), $("ov-new-gutter")));

let edits = 0;
function setOverlay(open, state) {
  document.querySelectorAll(".ov-needs").forEach((b) => (b.disabled = !open));
  $("ov-open").disabled = open; $("ov-discard").disabled = !open;
  $("ov-state").textContent = state;
  document.body.classList.toggle("overlay-open", open);
}
$("ov-open").addEventListener("click", () => send({ type: "open", id: id("o") }, (m) => m.type === "overlay" && (edits = 0, setOverlay(true, "overlay open"))));
$("ov-discard").addEventListener("click", () => send({ type: "discard", id: id("d") }, () => {
  setOverlay(false, "no overlay: the loaded world"); $("ov-log").replaceChildren(); loadPolicy();
}));

// edit sends one edit; errors go to the box beside what was edited.
async function edit(msg, what, onError = (m) => showError(m)) {
  const m = await request({ type: "edit", id: id("e"), ...msg });
  if (m.type === "error") { onError(m); return false; }
  edits++;
  $("ov-state").textContent = `overlay: ${edits} edit(s) applied`;
  $("ov-log").prepend(el("li", null, what));
  return true;
}

$("ov-apply").addEventListener("click", async () => {
  const ref = currentRef();
  if (await edit({ op: "put", ...ref, document: $("ov-doc").value }, `${ref.kind} ${ref.target}${ref.name ? " / " + ref.name : ""} edited`)) showError(null);
});

document.querySelectorAll(".ov-op").forEach((b) => b.addEventListener("click", async () => {
  const op = b.dataset.op, target = $("ov-target").value.trim(), arn = $("ov-arn").value.trim();
  const what = op === "boundary" ? (arn ? `boundary of ${target} set to ${arn}` : `boundary of ${target} removed`) : `${arn} ${op}ed ${op === "attach" ? "to" : "from"} ${target}`;
  if (await edit({ op, target, policy_arn: arn }, what, (m) => { $("ov-op-error").textContent = m.error; })) $("ov-op-error").textContent = "";
}));

// A new SCP or RCP, attached to the level chosen.
const NEW_SCP = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "DenyIt", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}
  ]
}
`;
$("ov-new-doc").value = NEW_SCP;
gutter($("ov-new-doc"), $("ov-new-gutter"));
$("ov-new-add").addEventListener("click", async () => {
  const kind = $("ov-new-kind").value, name = $("ov-new-name").value.trim(), at = $("ov-attach").value;
  const err = (m) => showError(m, $("ov-new-doc"), $("ov-new-gutter"), $("ov-new-error"));
  if (!name) return err({ error: "the policy needs a name" });
  if (await edit({ op: "put", kind, target: name, document: $("ov-new-doc").value, attach_to: at }, `${kind.toUpperCase()} ${name} added at ${at}`, err)) {
    showError(null, $("ov-new-doc"), $("ov-new-gutter"), $("ov-new-error"));
    world.policies.push({ kind, target: name });
  }
});
