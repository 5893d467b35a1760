# title: Empty the whole store
# description: Drops every graph. Used by tests and by `modellake reset`; never by the API.
DROP SILENT ALL
