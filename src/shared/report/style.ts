/** The report's one style sheet, inline: readable on screen and on paper, figures on white. */
export const REPORT_STYLE = `
:root { color-scheme: light; }
body { margin: 0; background: #f8fafc; color: #1e293b;
  font: 15px/1.55 "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; }
header, main { max-width: 72rem; margin: 0 auto; padding: 0 1.5rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 0.3rem; }
h2 { font-size: 1.3rem; margin: 1.6rem 0 0.4rem; }
.provenance, .design { color: #475569; font-size: 0.85rem; margin: 0 0 0.8rem; }
section { background: #fff; border: 1px solid #e2e8f0; border-radius: 6px; padding: 0.6rem 1.2rem;
  margin: 1rem 0; }
figure { background: #fff; border: 1px solid #e2e8f0; border-radius: 6px; margin: 1rem 0; padding: 0.5rem; }
section figure { border: none; padding: 0; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { color: #475569; font-size: 0.85rem; padding: 0.3rem 0.5rem 0; }
div.table-wrap { overflow-x: auto; }
table.data { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.82rem; width: 100%; }
table.data caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
table.data th, table.data td { padding: 0.2rem 0.5rem; border-bottom: 1px solid #e2e8f0; text-align: left; }
table.data thead th { border-bottom: 2px solid #94a3b8; }
table.data .num { text-align: right; font-variant-numeric: tabular-nums; }
table.data tbody tr:nth-child(even) { background: #f8fafc; }
.note table { border-collapse: collapse; }
.note th, .note td { border: 1px solid #cbd5e1; padding: 0.2rem 0.5rem; }
.note code, .note pre { background: #f1f5f9; border-radius: 4px; }
.note pre { padding: 0.5rem; overflow-x: auto; }
.offline-link, .offline-image { color: #334155; }
/* Notes' math is MathML (src/shared/markdown.ts, offline): drawn with a math font the reader's
   system has (Windows and macOS ship one; Linux has DejaVu's or Latin Modern), nothing loaded. */
math { font-family: "Latin Modern Math", "STIX Two Math", "Cambria Math", "DejaVu Math TeX Gyre", math;
  font-size: 1.1em; }
.math-display { overflow-x: auto; margin: 0.6rem 0; }
.katex-error { color: #cc0000; }
.failed { color: #991b1b; }
.empty { color: #64748b; font-style: italic; }
details summary { cursor: pointer; color: #334155; margin: 0.4rem 0; }
@media print {
  body { background: #fff; }
  section, figure { border: none; break-inside: avoid; }
  details > table { display: table; }
}
`;
