# title: Replace named graphs
# description: Empties the given named graphs and inserts the new content, as one request, so
#   the whole change is one transaction on either store. Used by the store layer for every
#   write; the parameters are filled only by the binder.
# param: graphs iri-list — the named graphs to empty first (may be empty)
# param: data quad-data — the new content, as GRAPH blocks
DELETE { GRAPH ?g { ?s ?p ?o } }
WHERE  { VALUES ?g { $graphs } GRAPH ?g { ?s ?p ?o } } ;
INSERT DATA { $data }
