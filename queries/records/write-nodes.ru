# title: Create some nodes and replace others, if nothing changed meanwhile
# description: One conditional write for importers that keep nodes in step with another system
#   (OpenLineage events, MLflow runs). The replaced node graphs are emptied and every new graph
#   and the audit record inserted, in one request, only if each replaced node is still at the
#   revision the writer read and none of the created nodes exists yet. Otherwise nothing
#   changes; the caller reads a revision back to learn whether the write happened.
# param: created iri-list — nodes that must not exist yet
# param: replaced iri-list — nodes whose graphs are emptied and written anew
# param: expected quad-data — for each replaced node, its graph holding its current ml:revision
# param: data quad-data — the node graphs and the audit record
PREFIX ml: <https://w3id.org/modellake#>
DELETE { GRAPH ?g { ?s ?p ?o } }
WHERE {
  $expected
  FILTER NOT EXISTS { VALUES ?new { $created } GRAPH ?new { ?new ml:revision ?taken } }
  VALUES ?g { $replaced }
  GRAPH ?g { ?s ?p ?o }
} ;
INSERT { $data }
WHERE { FILTER NOT EXISTS { VALUES ?g { $created $replaced } GRAPH ?g { ?g ml:revision ?r } } }
