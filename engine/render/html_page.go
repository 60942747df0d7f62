package render

// pageHTML is the report's shell; HTML fills in the title, the style, the
// script and the data. Every control is a real button, select or input
// with a label, usable from the keyboard.
const pageHTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Clearance audit: {{TITLE}}</title>
<style>{{CSS}}</style></head>
<body>
<header><h1>Clearance audit</h1><p id="summary"></p></header>
<main>
<section aria-labelledby="h-sev"><h2 id="h-sev">Findings by severity and rule</h2>
<div id="sev-buttons" role="group" aria-label="filter by severity"></div>
<table id="rules"><thead><tr><th scope="col">Rule</th><th scope="col">Findings</th><th scope="col">What</th></tr></thead><tbody></tbody></table>
</section>
<section aria-labelledby="h-find"><h2 id="h-find">Findings</h2>
<form id="filters" role="search" onsubmit="return false">
<label>Severity <select id="f-sev"><option value="">all</option></select></label>
<label>Rule <select id="f-rule"><option value="">all</option></select></label>
<label>Account <select id="f-account"><option value="">all</option></select></label>
<label>Principal <input id="f-principal" list="principals" autocomplete="off" placeholder="ARN or name"></label>
<datalist id="principals"></datalist>
<label>Search <input id="f-search" type="search" placeholder="title, principal, policy, action"></label>
<label>Group by <select id="f-group"><option value="">nothing</option><option value="principal">principal</option><option value="policy">policy</option></select></label>
<button type="button" id="f-clear">Clear filters</button>
</form>
<p id="count" aria-live="polite"></p>
<div id="list"></div>
</section>
<section aria-labelledby="h-reach"><h2 id="h-reach">Who reaches each administrator role</h2>
<p>One tree per role: each principal that reaches it, with the hops of its path (each hop allowed as a chain). Expand a role to see them.</p>
<div id="targets"></div>
</section>
</main>
<script type="application/json" id="data">{{DATA}}</script>
<script>{{JS}}</script>
</body></html>
`

const pageCSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:1200px;padding:0 1em;color:#1d2433}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin-top:1.5em}
table{border-collapse:collapse}td,th{padding:.25em .7em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.sev{display:inline-block;min-width:5.5em;text-align:center;font-weight:600;font-size:12px;padding:.05em .4em;border-radius:3px;color:#fff}
.critical{background:#b00020}.high{background:#b34700}.medium{background:#7a6300}.low{background:#4d5a66}
#filters{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:end;background:#f5f6f8;padding:.6em;border-radius:4px}
#filters label{display:flex;flex-direction:column;font-size:12px;color:#444}
input,select,button{font:inherit;padding:.2em .4em}
button{cursor:pointer}
#sev-buttons button{margin:0 .4em .4em 0;border:1px solid #bbb;background:#fff;border-radius:4px}
#sev-buttons button[aria-pressed=true]{outline:2px solid #1f618d}
ul.findings{list-style:none;padding:0;margin:0}
li.finding{border:1px solid #ddd;border-radius:4px;margin:.35em 0}
li.finding>button.toggle{display:block;width:100%;text-align:left;background:none;border:0;padding:.45em .7em}
li.finding>button.toggle:hover,li.finding>button.toggle:focus{background:#f0f4f8}
.body{padding:.3em .9em .8em;border-top:1px solid #eee}
.body h4{margin:.8em 0 .2em;font-size:13px}
pre.stmt{background:#f7f7f9;border:1px solid #e3e3e8;padding:.5em;overflow:auto;font-size:12px;max-height:24em;margin:.2em 0}
code{background:#f4f4f4;padding:.05em .3em;word-break:break-all;font-size:12px}
details.group,details.target{border-left:3px solid #1f618d;margin:.4em 0;padding:.2em .6em}
details.group>summary,details.target>summary{cursor:pointer;font-weight:600}
.more{margin:.5em 0}
.muted{color:#666}
ul.tree{list-style:none;margin:.2em 0 .2em 1.1em;padding:0}
ul.tree li{position:relative;padding-left:1em}
ul.tree li::before{content:"\2514\2500";position:absolute;left:-.2em;color:#999}
table.evidence td:first-child code{white-space:nowrap;word-break:normal}
.fix{background:#eef6ee;border-left:3px solid #2e7d32;padding:.4em .7em}
`
