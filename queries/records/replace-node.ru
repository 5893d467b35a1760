# title: Replace a node if it is at the expected revision
# description: Empties the node's graph and writes its new description and the write's audit
#   record, in one request, only if the node is still at the revision the writer last read
#   (HTTP If-Match). The caller reads the revision back to learn whether it happened.
# param: node iri — the node (its graph has the same IRI)
# param: expected string — the revision the writer last read
# param: data quad-data — the new node graph and the audit record
PREFIX ml: <https://w3id.org/modellake#>
DELETE { GRAPH $node { ?s ?p ?o } }
WHERE  { GRAPH $node { $node ml:revision $expected . ?s ?p ?o } } ;
INSERT { $data }
WHERE  { FILTER NOT EXISTS { GRAPH $node { ?a ?b ?c } } }
