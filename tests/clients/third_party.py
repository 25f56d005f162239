"""Drives a running citykg with third-party clients: SPARQLWrapper and rdflib.

Usage: third_party.py BASE_URL ADMIN_TOKEN. Exits non-zero on the first failed check.
"""
import sys

import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

BASE, TOKEN = sys.argv[1].rstrip("/"), sys.argv[2]
QUERY, UPDATE = f"{BASE}/query", f"{BASE}/update"
EX = "http://example.com/clients/"


def wrapper(endpoint):
    client = SPARQLWrapper(endpoint)
    client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    return client


def check(condition, message):
    if not condition:
        print(f"FAILED: {message}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {message}")


# SPARQLWrapper: update, then SELECT, ASK and CONSTRUCT.
update = wrapper(UPDATE)
update.setMethod(POST)
update.setQuery(
    f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}s1> <{EX}p> 1 . <{EX}s2> <{EX}p> 2 . }} }}"
)
result = update.query()
check(result.response.status in (200, 204), "SPARQLWrapper update is accepted")

select = wrapper(QUERY)
select.setQuery(f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s")
select.setReturnFormat(JSON)
rows = select.query().convert()["results"]["bindings"]
check([r["s"]["value"] for r in rows] == [f"{EX}s1", f"{EX}s2"], "SPARQLWrapper SELECT (JSON) sees the inserted rows")

select_post = wrapper(QUERY)
select_post.setMethod(POST)
select_post.setQuery(f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }}")
select_post.setReturnFormat(XML)
xml_rows = select_post.query().convert().getElementsByTagName("result")
check(len(xml_rows) == 2, "SPARQLWrapper SELECT by POST (XML)")

ask = wrapper(QUERY)
ask.setQuery(f"ASK {{ <{EX}s2> <{EX}p> 2 }}")
ask.setReturnFormat(JSON)
check(ask.query().convert()["boolean"] is True, "SPARQLWrapper ASK")

construct = wrapper(QUERY)
construct.setQuery(f"CONSTRUCT {{ ?s <{EX}q> ?o }} WHERE {{ ?s <{EX}p> ?o }}")
construct.setReturnFormat(TURTLE)
graph = rdflib.Graph().parse(data=construct.query().convert(), format="turtle")
check(len(graph) == 2, "SPARQLWrapper CONSTRUCT (Turtle) parses in rdflib")

construct_xml = wrapper(QUERY)
construct_xml.setQuery(f"CONSTRUCT {{ ?s <{EX}q> ?o }} WHERE {{ ?s <{EX}p> ?o }}")
construct_xml.setReturnFormat(XML)
check(len(construct_xml.query().convert()) == 2, "SPARQLWrapper CONSTRUCT (RDF/XML) gives an rdflib graph")

# rdflib's own SPARQL store: queries and updates through a Graph.
store = SPARQLUpdateStore(QUERY, UPDATE, headers={"Authorization": f"Bearer {TOKEN}"})
remote = rdflib.Graph(store, identifier=rdflib.URIRef(f"{EX}rdflib"))
remote.add((rdflib.URIRef(f"{EX}s3"), rdflib.URIRef(f"{EX}p"), rdflib.Literal(3)))
store.commit()
answer = list(store.query(f"SELECT ?o WHERE {{ <{EX}s3> <{EX}p> ?o }}"))
check([int(row[0]) for row in answer] == [3], "rdflib SPARQLUpdateStore add + SELECT")
asked = store.query(f"ASK {{ <{EX}s3> <{EX}p> 3 }}")
check(bool(asked), "rdflib SPARQLUpdateStore ASK")
built = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{EX}rdflib> {{ ?s ?p ?o }} }}")
check(len(built.graph) == 1, "rdflib SPARQLUpdateStore CONSTRUCT")
store.update(f"DELETE WHERE {{ GRAPH <{EX}rdflib> {{ ?s ?p ?o }} }}")
check(not bool(store.query(f"ASK {{ <{EX}s3> ?p ?o }}")), "rdflib SPARQLUpdateStore update (DELETE WHERE)")

# Without the token, the update is refused with a problem.
anonymous = SPARQLWrapper(UPDATE)
anonymous.setMethod(POST)
anonymous.setQuery(f"CLEAR GRAPH <{EX}g>")
try:
    anonymous.query()
    check(False, "an update without token must be refused")
except Exception as error:  # SPARQLWrapper raises on 401
    check("401" in str(error) or "Unauthorized" in str(error), f"an update without token is refused ({type(error).__name__})")
print("all third-party client checks passed")
