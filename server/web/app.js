// The Clearance console: plain JavaScript modules over the /v1/ws
// protocol (docs/protocol.md); nothing is fetched but this server's own
// files.
import { $, id, send, el, show, connect, welcomed } from "./core.js";
import { setAsk } from "./pickers.js";
import "./ask.js";
import "./reach.js";
import "./whatif.js";

welcomed((w) => {
  $("status").textContent = `${w.accounts} accounts · ${w.users} users · ${w.roles} roles · ${w.resources} resources`;
});

document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => show(b.dataset.view)));

// Who can / What can: streamed, with progress and a cancel button;
// subscribed, so an overlay edit that changes the answer re-sends it.
let running, latest;
function stream(msg) {
  $("wc-found").replaceChildren(); $("wc-result").textContent = ""; $("wc-change").textContent = "";
  $("wc-progress").value = 0; $("wc-cancel").disabled = false; running = latest = msg.id;
  msg.subscribe = true;
  send(msg, (m) => {
    if (latest !== msg.id) return; // a question the page no longer shows
    if (m.type === "progress") { $("wc-progress").max = m.total; $("wc-progress").value = m.done; $("wc-stage").textContent = `${m.stage} ${m.done}/${m.total}`; return; }
    if (m.type === "partial") { $("wc-found").append(el("li", null, m.grant.principal + (m.grant.federated_by ? " (made by " + m.grant.federated_by + ")" : ""))); return; }
    if (m.update) $("wc-change").replaceChildren("changed by the overlay: ", el("span", "before", m.before), "→ ", m.verdict);
    $("wc-cancel").disabled = true; running = null;
    $("wc-result").textContent = m.type === "done" ? m.text : m.type + ": " + m.error;
    $("wc-stage").textContent = m.type;
  }, true);
}
$("whocan-form").addEventListener("submit", (e) => { e.preventDefault(); stream({ type: "who_can", id: id("w"), action: $("wc-action").value, resource: $("wc-resource").value }); });
$("can-form").addEventListener("submit", (e) => { e.preventDefault(); stream({ type: "can", id: id("k"), principal: $("can-principal").value }); });
$("wc-cancel").addEventListener("click", () => running && send({ type: "cancel", id: running }));

// Audit: summary and findings, each linking to its Ask view.
$("audit-run").addEventListener("click", () => {
  $("audit-findings").replaceChildren(); $("audit-summary").textContent = "…";
  send({ type: "audit", id: id("u") }, (m) => {
    if (m.type === "progress") { $("audit-progress").max = m.total; $("audit-progress").value = m.done; $("audit-stage").textContent = `${m.stage} ${m.done}/${m.total}`; return; }
    if (m.type !== "done") { $("audit-summary").textContent = m.error; return; }
    const a = m.audit;
    $("audit-summary").textContent = `${a.findings.length} findings over ${a.principals} principals (${a.decisions} decisions)`;
    for (const f of a.findings) {
      const li = el("li", null, el("span", "sev-" + f.severity, `[${f.severity}] `), `${f.rule}: ${f.title} `);
      const ev = (f.evidence || [])[0];
      if (ev) {
        const link = el("a", "ask-link", "ask");
        link.addEventListener("click", () => {
          setAsk({ principal: f.principal, action: ev.action, resource: ev.resource, account: f.principal.split(":")[4] || "" });
          show("ask");
          $("ask-form").requestSubmit();
        });
        li.append(link);
      }
      $("audit-findings").append(li);
    }
  });
});

connect();
