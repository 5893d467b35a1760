# title: Drop the evaluation facets of deleted nodes
# description: After a delete, the facets of the deleted evaluations (see facets.py): every
#   triple of theirs in ml:EvaluationFacets, a graph that holds facets only. A facet left behind
#   would find an evaluation that is gone, so none may stay.
# param: nodes iri-list — the deleted nodes
PREFIX ml: <https://w3id.org/modellake#>
DELETE { GRAPH ml:EvaluationFacets { ?evaluation ?facet ?score } }
WHERE {
  VALUES ?evaluation { $nodes }
  GRAPH ml:EvaluationFacets { ?evaluation ?facet ?score }
}
