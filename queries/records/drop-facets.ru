# title: Drop the evaluation facets of deleted nodes
# description: After a delete, the facets of the deleted evaluations (see facets.py). A facet
#   left behind would do no harm (a search reads the evaluation's value, which is gone), but
#   the index should not grow with the lake's past.
# param: nodes iri-list — the deleted nodes
PREFIX ml: <https://w3id.org/modellake#>
DELETE { GRAPH ml:EvaluationFacets { ?evaluation ml:evaluationFacet ?facet } }
WHERE {
  VALUES ?evaluation { $nodes }
  GRAPH ml:EvaluationFacets { ?evaluation ml:evaluationFacet ?facet }
}
