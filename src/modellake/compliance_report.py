"""The auditor's report: one self-contained HTML file (no scripts, no external resources), CSV,
and JSON-LD of the findings."""

from __future__ import annotations

import csv
import html
import io
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef

from .compliance import ComplianceReport, DocumentationScore
from .namespaces import DCTERMS, ML, PROV, RDF, XSD

_SEVERITY_COLOUR = {"high": "#b42318", "medium": "#b54708", "low": "#475467"}


def to_csv(report: ComplianceReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["check", "regulation", "severity", "node", "title", "detail"])
    for result in report.results:
        for f in result.findings:
            writer.writerow([result.check.name, result.check.regulation, result.check.severity,
                             f.get("node", ""), f.get("title", ""), f.get("detail", "")])
    return buffer.getvalue()


def to_graph(report: ComplianceReport, base_iri: str) -> Graph:
    """The findings as RDF: one ml:ComplianceRun with a finding per affected node."""
    g = Graph()
    g.bind("ml", ML)
    g.bind("prov", PROV)
    run = BNode()
    g.add((run, RDF.type, ML.ComplianceRun))
    g.add((run, PROV.startedAtTime, Literal(report.generated_at, datatype=XSD.dateTime)))
    g.add((run, ML.principalName, Literal(report.principal)))
    for result in report.results:
        g.add((run, ML.checkName, Literal(result.check.name)))
        for f in result.findings:
            finding = BNode()
            g.add((run, ML.finding, finding))
            g.add((finding, ML.checkName, Literal(result.check.name)))
            if f.get("node", "").startswith(("http://", "https://", "urn:")):
                g.add((finding, ML.affectedNode, URIRef(f["node"])))
            g.add((finding, DCTERMS.description, Literal(f.get("detail", ""))))
    return g


def to_html(report: ComplianceReport, *, server: str = "") -> str:
    """A page an auditor can open anywhere: summary, per-check findings, completeness chart.

    ``server`` (e.g. http://127.0.0.1:8000) makes node links point at their lineage there."""
    esc = html.escape
    summary = report.to_json()["summary"]
    rows = []
    for r in report.results:
        colour = _SEVERITY_COLOUR.get(r.check.severity, "#475467")
        state = "passed" if r.passed else f"{len(r.findings)} finding(s)"
        rows.append(
            f"<tr><td><a href='#{esc(r.check.name)}'>{esc(r.check.title)}</a></td>"
            f"<td>{esc(r.check.regulation)}</td>"
            f"<td style='color:{colour}'>{esc(r.check.severity)}</td>"
            f"<td class='{'ok' if r.passed else 'bad'}'>{state}</td></tr>")
    sections = []
    for r in report.results:
        if r.passed:
            body = "<p class='ok'>No findings.</p>"
        else:
            items = "".join(
                f"<tr><td>{_node_link(f.get('node', ''), server)}</td>"
                f"<td>{esc(f.get('title', ''))}</td><td>{esc(f.get('detail', ''))}</td></tr>"
                for f in r.findings)
            body = ("<table><thead><tr><th>node</th><th>title</th><th>finding</th></tr></thead>"
                    f"<tbody>{items}</tbody></table>")
        sections.append(
            f"<section id='{esc(r.check.name)}'><h3>{esc(r.check.title)}</h3>"
            f"<p class='meta'>{esc(r.check.regulation)} · severity {esc(r.check.severity)} · "
            f"check <code>{esc(r.check.name)}</code></p><p>{esc(r.check.description)}</p>"
            f"{body}</section>")
    chart = _completeness_chart(list(report.scores.values()))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Model Lake compliance report</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#101828}}
table{{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}}
td,th{{border:1px solid #d0d5dd;padding:4px 8px;text-align:left;vertical-align:top}}
th{{background:#f2f4f7}} .ok{{color:#067647}} .bad{{color:#b42318;font-weight:600}}
.meta{{color:#475467;font-size:.9em}} section{{margin-top:1.5em}} code{{font-size:.9em}}
</style></head><body>
<h1>Model Lake compliance report</h1>
<p class="meta">Generated {esc(report.generated_at)} by {esc(report.principal)}.
{summary['checks']} checks, {summary['failing']} with findings, {summary['findings']} findings.</p>
<h2>Summary</h2>
<table><thead><tr><th>check</th><th>regulation or policy</th><th>severity</th><th>result</th>
</tr></thead><tbody>{''.join(rows)}</tbody></table>
<h2>Documentation completeness</h2>
{chart}
<h2>Findings by check</h2>
{''.join(sections)}
</body></html>
"""


def _node_link(node: str, server: str) -> str:
    esc = html.escape
    if not node.startswith(("http://", "https://", "urn:")):
        return esc(node)
    href = f"{server}/api/v1/nodes/{quote(node, safe='')}/lineage?format=turtle"
    return f"<a href='{esc(href)}'>{esc(node)}</a>"


def _completeness_chart(scores: list[DocumentationScore]) -> str:
    """A horizontal bar per model, as inline SVG (no script, no external file)."""
    if not scores:
        return "<p>No models.</p>"
    esc = html.escape
    scores = sorted(scores, key=lambda s: (s.score, s.title))
    bar, label_width, height = 20, 320, 24
    parts = []
    for i, s in enumerate(scores):
        y = i * height
        colour = "#067647" if s.score >= 80 else "#b54708" if s.score >= 50 else "#b42318"
        tip = "; ".join(s.missing) or "complete"
        parts.append(
            f"<g><title>{esc(tip)}</title>"
            f"<text x='{label_width - 6}' y='{y + 15}' text-anchor='end' font-size='12'>"
            f"{esc(s.title[:48])}</text>"
            f"<rect x='{label_width}' y='{y + 3}' width='{s.score * 4}' height='{bar - 4}' "
            f"fill='{colour}'/><text x='{label_width + s.score * 4 + 6}' y='{y + 15}' "
            f"font-size='12'>{s.score}</text></g>")
    total_height = height * len(scores) + 10
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{label_width + 460}' "
            f"height='{total_height}' role='img' aria-label='documentation completeness'>"
            f"{''.join(parts)}</svg>")
