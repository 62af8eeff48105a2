// The report pages' style sheet: system fonts, one column up to 1240 px, colours that say
// pass/fail/skip/error the same everywhere, and hex dumps coloured by field.
export const REPORT_CSS = `
:root {
  --text: #1f2328; --muted: #59636e; --faint: #8c959f; --line: #d1d9e0; --soft-line: #e7ebef;
  --page: #f4f6f8; --card: #ffffff; --accent: #0969da; --accent-bg: #ddf4ff;
  --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9;
  --error: #bc4c00; --error-bg: #fff1e5; --skip: #59636e; --skip-bg: #eaeef2;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--text); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 22px; margin: 0; font-weight: 650; letter-spacing: -0.01em; }
h2 { font-size: 16px; margin: 0 0 10px; font-weight: 650; }
h3 { font-size: 13px; margin: 14px 0 6px; font-weight: 650; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
code, pre, .mono { font-family: var(--mono); font-size: 12.5px; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
a { color: var(--accent); }
.muted { color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin-top: 16px; }

/* Header: verdict, run facts, count tiles, proportion bar. */
.masthead { border-top: 5px solid var(--accent); }
.masthead.pass { border-top-color: var(--pass); }
.masthead.fail { border-top-color: var(--fail); }
.masthead-top { display: flex; align-items: center; gap: 14px; flex-wrap: wrap; }
.verdict { font-weight: 700; font-size: 13px; letter-spacing: 0.06em; padding: 4px 10px; border-radius: 6px; color: #fff; background: var(--accent); }
.verdict.pass { background: var(--pass); }
.verdict.fail { background: var(--fail); }
.facts { display: flex; flex-wrap: wrap; gap: 4px 18px; margin-top: 6px; color: var(--muted); }
.facts b { color: var(--text); font-weight: 600; }
.tiles { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 10px; margin-top: 14px; }
.tile { border: 1px solid var(--soft-line); border-radius: 8px; padding: 8px 12px; background: #fafbfc; }
.tile .n { font-size: 26px; font-weight: 700; line-height: 1.1; font-variant-numeric: tabular-nums; }
.tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; }
.tile.pass .n { color: var(--pass); } .tile.fail .n { color: var(--fail); } .tile.error .n { color: var(--error); } .tile.skip .n { color: var(--skip); }
.tile.zero .n { color: var(--faint); }
.ratio { display: flex; height: 8px; border-radius: 4px; overflow: hidden; margin-top: 12px; background: var(--soft-line); }
.ratio span { display: block; }
.ratio .pass { background: var(--pass); } .ratio .fail { background: var(--fail); } .ratio .error { background: var(--error); } .ratio .skip { background: #afb8c1; }

/* Two-column rows of cards. */
.row { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
.row > .card { margin-top: 16px; }
dl.fields { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 5px 16px; margin: 0; }
dl.fields dt { color: var(--muted); }
dl.fields dd { margin: 0; overflow-wrap: anywhere; }
dl.fields dd.mono { font-size: 12.5px; }
.subhead { font-size: 12px; color: var(--muted); margin: -6px 0 10px; }

/* Totals tables with a proportion bar per row. */
table.totals { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.totals th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; border-bottom: 1px solid var(--line); padding: 4px 6px; }
table.totals td { border-bottom: 1px solid var(--soft-line); padding: 4px 6px; }
table.totals td.num, table.totals th.num { text-align: right; width: 52px; }
table.totals td.bar { width: 32%; }
table.totals .ratio { margin: 0; height: 6px; }
td.has-fail { color: var(--fail); font-weight: 600; } td.has-error { color: var(--error); font-weight: 600; }
td.zero { color: var(--faint); }

/* Filter bar (shown only with JavaScript, which it needs). */
.filters { display: none; z-index: 5; margin-top: 16px; padding: 8px 14px; background: rgba(255, 255, 255, 0.96); border: 1px solid var(--line); border-radius: 10px; box-shadow: 0 2px 8px rgba(31, 35, 40, 0.06); }
.js .filters { display: block; }
/* Sticky only where it leaves room to read: a tall bar on a short screen would hide the rows. */
@media (min-height: 700px) { .filters { position: sticky; top: 0; } }
.filters-row { display: flex; gap: 8px 18px; flex-wrap: wrap; align-items: center; }
.filters-row + .filters-row { margin-top: 6px; padding-top: 6px; border-top: 1px solid var(--soft-line); row-gap: 5px; }
.filters-row + .filters-row .chip { font-size: 12px; padding: 1px 8px; }
.filter-group { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.filter-group.actions { margin-left: auto; }
.filter-label { font-size: 12px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; margin-right: 2px; }
button { font: inherit; cursor: pointer; }
.chip { border: 1px solid var(--line); background: #fff; color: var(--text); border-radius: 999px; padding: 2px 10px; font-size: 12.5px; }
.chip:hover { border-color: var(--faint); }
.chip[aria-pressed="true"] { background: var(--accent-bg); border-color: var(--accent); color: #0550ae; }
.chip.pass[aria-pressed="true"] { background: var(--pass-bg); border-color: var(--pass); color: var(--pass); }
.chip.fail[aria-pressed="true"] { background: var(--fail-bg); border-color: var(--fail); color: var(--fail); }
.chip.error[aria-pressed="true"] { background: var(--error-bg); border-color: var(--error); color: var(--error); }
.chip.skip[aria-pressed="true"] { background: var(--skip-bg); border-color: var(--skip); }
.chip .n { color: var(--muted); margin-left: 3px; font-variant-numeric: tabular-nums; }
.filters input[type="search"] { font: inherit; font-size: 13px; border: 1px solid var(--line); border-radius: 6px; padding: 3px 8px; width: 190px; }
.action { border: 1px solid var(--line); background: #f6f8fa; border-radius: 6px; padding: 3px 10px; font-size: 12.5px; }
.action:hover { background: #eef1f4; }
.count { color: var(--muted); font-size: 12.5px; }
.empty { padding: 24px; text-align: center; color: var(--muted); }

/* Scenario tables: one <details> per scenario, laid out as a grid row. */
.suite { padding: 0; overflow: hidden; }
.suite-head { display: flex; align-items: baseline; gap: 12px; padding: 12px 18px; border-bottom: 1px solid var(--line); }
.suite-head h2 { margin: 0; }
.grid-row { display: grid; grid-template-columns: 96px minmax(150px, 250px) minmax(0, 1fr) 190px 76px; gap: 12px; align-items: start; padding: 8px 18px 8px 34px; }
.col-head { font-size: 12px; color: var(--muted); font-weight: 600; background: #f6f8fa; border-bottom: 1px solid var(--line); padding-top: 6px; padding-bottom: 6px; }
.col-head .dur, .grid-row .dur { text-align: right; font-variant-numeric: tabular-nums; }
details.scenario { border-bottom: 1px solid var(--soft-line); scroll-margin-top: 130px; }
details.scenario:last-child { border-bottom: 0; }
details.scenario > summary { list-style: none; cursor: pointer; position: relative; }
details.scenario > summary::-webkit-details-marker { display: none; }
details.scenario > summary::before { content: "▸"; position: absolute; left: 14px; top: 8px; color: var(--faint); font-size: 12px; }
details.scenario[open] > summary::before { content: "▾"; }
details.scenario > summary:hover { background: #f6f8fa; }
details.scenario[open] > summary { background: #f6f8fa; }
details.scenario.attention > summary { box-shadow: inset 3px 0 0 var(--fail); }
details.scenario.outcome-error > summary { box-shadow: inset 3px 0 0 var(--error); }
.id { font-family: var(--mono); font-size: 12.5px; overflow-wrap: anywhere; }
.reason-line { display: block; margin-top: 2px; color: var(--fail); font-size: 12.5px; overflow-wrap: anywhere; }
.outcome-error .reason-line { color: var(--error); }
.outcome-skip .reason-line { color: var(--muted); }
details.scenario[open] .reason-line { display: none; }
.badge { display: inline-block; min-width: 70px; text-align: center; border-radius: 5px; padding: 1px 8px; font-size: 12px; font-weight: 600; }
.badge.pass { background: var(--pass-bg); color: var(--pass); }
.badge.fail { background: var(--fail-bg); color: var(--fail); }
.badge.error { background: var(--error-bg); color: var(--error); }
.badge.skip { background: var(--skip-bg); color: var(--skip); }
.badge.differs { background: var(--fail-bg); color: var(--fail); }
.badge.same { background: var(--skip-bg); color: var(--skip); }
.badge.only-a, .badge.only-b { background: var(--accent-bg); color: #0550ae; }
.tags { display: flex; flex-wrap: wrap; gap: 4px; }
.tag { font-size: 11.5px; padding: 0 7px; border-radius: 999px; background: #eef1f4; color: var(--muted); }

/* Scenario detail panel. */
.detail { padding: 6px 18px 16px 34px; background: #fbfcfd; border-top: 1px dashed var(--soft-line); }
.failure { border-left: 3px solid var(--fail); background: var(--fail-bg); padding: 8px 12px; border-radius: 0 6px 6px 0; margin-top: 10px; }
.failure.error { border-left-color: var(--error); background: var(--error-bg); }
.failure.skip { border-left-color: var(--skip); background: var(--skip-bg); }
.failure .what { font-weight: 600; overflow-wrap: anywhere; }
.versus { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 10px; margin-top: 8px; }
.versus > div { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
.versus .label { font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
.versus .expected pre { color: var(--pass); } .versus .actual pre { color: var(--fail); }
ol.steps { list-style: none; margin: 0; padding: 0; max-width: 760px; }
ol.steps li { display: grid; grid-template-columns: 18px minmax(0, 1fr) 200px 72px; gap: 8px; align-items: center; padding: 2px 0; }
ol.steps .sym.pass { color: var(--pass); } ol.steps .sym.fail { color: var(--fail); } ol.steps .sym.error { color: var(--error); }
ol.steps .track { height: 6px; background: var(--soft-line); border-radius: 3px; overflow: hidden; }
ol.steps .track span { display: block; height: 100%; background: #8c959f; }
ol.steps .track span.fail { background: var(--fail); } ol.steps .track span.error { background: var(--error); }
ol.steps .ms { text-align: right; font-variant-numeric: tabular-nums; color: var(--muted); font-size: 12.5px; }
ul.observations { margin: 0; padding-left: 18px; }

/* Transcript excerpts. */
.transcript { border: 1px solid var(--line); border-radius: 6px; background: #fff; max-height: 560px; overflow: auto; }
.tx { display: grid; grid-template-columns: 64px 22px 48px minmax(0, 1fr); gap: 2px 8px; padding: 5px 10px; border-bottom: 1px solid var(--soft-line); align-items: baseline; }
.tx:last-child { border-bottom: 0; }
.tx.in { background: #fbfdff; }
.tx .t { color: var(--faint); font-variant-numeric: tabular-nums; font-size: 12px; text-align: right; }
.tx .dir { font-weight: 700; text-align: center; }
.tx.out .dir { color: #8250df; } .tx.in .dir { color: var(--accent); }
.tx .kind { font-size: 11px; font-weight: 600; text-transform: uppercase; color: var(--muted); }
.tx .head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 10px; }
.tx .msg { font-weight: 600; white-space: nowrap; }
.tx .kv { white-space: nowrap; font-size: 12.5px; }
.tx .kv .k { color: var(--muted); margin-right: 3px; }
.tx .kv .v { font-family: var(--mono); font-size: 12px; }
.tx .kv.sw-ok .v { color: var(--pass); font-weight: 600; } .tx .kv.sw-bad .v { color: var(--fail); font-weight: 600; }
.tx .problem { color: var(--error); font-size: 12.5px; }
.tx .hex { grid-column: 4; font-family: var(--mono); font-size: 11.5px; line-height: 1.7; overflow-wrap: anywhere; color: #424a53; }
.tx .body { grid-column: 4; }
.seg { border-radius: 3px; padding: 0 2px; margin-right: 3px; }
.seg-cid { background: #ddf4ff; } .seg-cmd, .seg-ins { background: #fbefff; color: #6e40c9; }
.seg-bcnt, .seg-seq, .seg-lc, .seg-le, .seg-lc-le, .seg-l { background: #dafbe1; color: #116329; }
.seg-cla, .seg-p1, .seg-p2 { background: #f3eefc; }
.seg-sw { background: #fff8c5; color: #7d4e00; font-weight: 600; }
.seg-padding { color: var(--faint); }
.seg-reserved, .seg-flags, .seg-counter { background: #fff1e5; }
.seg-key-handle, .seg-public-key { background: #f6f8fa; }
.seg-certificate { background: #eef1f4; color: var(--muted); } .seg-signature { background: #fbefff; }
.seg-version { background: #dafbe1; }
.more { color: var(--faint); font-style: italic; }
.legend { display: flex; gap: 4px 10px; flex-wrap: wrap; align-items: center; font-size: 11.5px; color: var(--muted); margin: 0 0 6px; }
.legend .seg { font-family: var(--mono); }
body.hide-hid .tx-hid, body.hide-apdu .tx-apdu, body.hide-http .tx-http { display: none; }

/* Timing chart. */
.chart svg { width: 100%; height: auto; display: block; }
.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; fill: var(--text); }
.chart text.value { fill: var(--muted); font-variant-numeric: tabular-nums; }
.chart text.scenario { fill: var(--muted); }

/* Comparison tables. */
table.diff { width: 100%; border-collapse: collapse; }
table.diff th { text-align: left; font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); padding: 5px 8px; }
table.diff td { border-bottom: 1px solid var(--soft-line); padding: 5px 8px; vertical-align: baseline; overflow-wrap: anywhere; }
table.diff td.a, table.diff td.b { font-weight: 600; }
table.diff td.a { background: #fbf5ff; } table.diff td.b { background: #eef6ff; }
table.diff tr.changed td:first-child { font-weight: 600; }
table.diff tr.unchanged td { color: var(--muted); }
.neq { display: inline-block; width: 18px; margin-left: -4px; color: var(--fail); font-weight: 700; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.slower { color: var(--fail); font-weight: 600; } .faster { color: var(--pass); font-weight: 600; }
.runs { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
.run-label { display: inline-block; font-weight: 700; color: #fff; background: #8250df; border-radius: 4px; padding: 0 7px; margin-right: 6px; }
.run-label.b { background: var(--accent); }
.grid-row.compare-row { grid-template-columns: 96px minmax(0, 1fr) 90px 90px 76px 76px 64px; }
.delta { position: relative; display: block; height: 8px; background: var(--soft-line); border-radius: 4px; }
.delta::after { content: ""; position: absolute; left: 50%; top: -3px; bottom: -3px; border-left: 1px solid var(--faint); }
.delta span { position: absolute; top: 0; bottom: 0; border-radius: 4px; }
.delta .slower { background: var(--fail); } .delta .faster { background: var(--pass); }

@media (max-width: 900px) {
  .row, .runs, .versus { grid-template-columns: minmax(0, 1fr); }
  .tiles { grid-template-columns: repeat(3, minmax(0, 1fr)); }
  .grid-row { grid-template-columns: 80px minmax(0, 1fr) 70px; }
  .grid-row .title-col, .grid-row .tags-col { grid-column: 2 / 4; }
}
`;
