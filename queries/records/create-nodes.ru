# title: Create nodes if none of them exists
# description: Inserts the new node graphs and the write's audit record in one request, but
#   only when none of the node graphs exists yet, so two writers cannot both create the same
#   node. The caller reads the revision back to learn whether the insert happened. Every node
#   graph states its node's ml:revision; matching that triple, rather than any triple, lets the
#   store answer from an index instead of scanning all graphs.
# param: graphs iri-list — the node graphs that must not exist yet
# param: data quad-data — the node graphs and the audit record
PREFIX ml: <https://w3id.org/modellake#>
INSERT { $data }
WHERE { FILTER NOT EXISTS { VALUES ?g { $graphs } GRAPH ?g { ?g ml:revision ?revision } } }
