# title: Create nodes if none of them exists
# description: Inserts the new node graphs and the write's audit record in one request, but
#   only when none of the node graphs exists yet, so two writers cannot both create the same
#   node. The caller reads the revision back to learn whether the insert happened. Every node
#   graph states its node's ml:revision; matching that triple, rather than any triple, lets the
#   store answer from an index instead of scanning all graphs. The check is a counting subquery
#   that starts from the listed graphs: Oxigraph 0.5 evaluated the same check written as FILTER
#   NOT EXISTS by reading every node's revision (265 ms at 10^4 models, growing with the lake;
#   0.2 ms this way).
# param: graphs iri-list — the node graphs that must not exist yet
# param: data quad-data — the node graphs and the audit record
PREFIX ml: <https://w3id.org/modellake#>
INSERT { $data }
WHERE {
  { SELECT (COUNT(*) AS ?existing) WHERE { VALUES ?g { $graphs } GRAPH ?g { ?g ml:revision ?revision } } }
  FILTER (?existing = 0)
}
