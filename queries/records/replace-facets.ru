# title: Replace the evaluation facets of some evaluations, if a write landed
# description: Sent in the same request as a write (after it), so the derived search index in
#   the graph ml:EvaluationFacets changes with the write or not at all: the facets of the given
#   evaluations are deleted and the new ones inserted, only if the written node is now at the
#   write's revision (see facets.py). Written with full IRIs and no PREFIX, as it follows
#   another update in one request.
# param: node iri — a node the write stored
# param: revision string — the write's revision
# param: evaluations iri-list — the evaluations whose facets the write changes
# param: facets quad-data — their new facets (graph ml:EvaluationFacets)
DELETE { GRAPH <https://w3id.org/modellake#EvaluationFacets> { ?evaluation ?facet ?score } }
WHERE {
  GRAPH $node { $node <https://w3id.org/modellake#revision> $revision }
  VALUES ?evaluation { $evaluations }
  GRAPH <https://w3id.org/modellake#EvaluationFacets> { ?evaluation ?facet ?score }
} ;
INSERT { $facets }
WHERE { GRAPH $node { $node <https://w3id.org/modellake#revision> $revision } }
