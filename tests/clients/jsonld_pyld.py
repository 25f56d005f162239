"""A third-party JSON-LD processor (pyld) reads citykg's JSON-LD.

Usage: jsonld_pyld.py ADDRESS BASE PATH...

For each resource PATH (e.g. /id/use-case/demo), the compacted, expanded and flattened
documents citykg answers are turned into RDF by pyld, which must be isomorphic (rdflib) to the
Turtle citykg answers for the same resource. pyld loads the context the documents name,
`{BASE}ns/context.jsonld`, from the running server (ADDRESS): the base IRI of a test server is
not its address, so the loader maps one to the other and refuses anything else.
"""

import sys

import requests
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import isomorphic, graph_diff

ADDRESS, BASE, PATHS = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3:]
CONTEXT = BASE + "ns/context.jsonld"
NS = "http://www.w3.org/ns/json-ld#"
fetched = []


def loader(url, options=None):
    if url != CONTEXT:
        raise jsonld.JsonLdError("unexpected remote document", "loading document failed",
                                 {"url": url}, code="loading document failed")
    reply = requests.get(ADDRESS + "/ns/context.jsonld", timeout=30)
    reply.raise_for_status()
    assert reply.headers["Content-Type"].startswith("application/ld+json"), reply.headers
    fetched.append(url)
    return {"contentType": "application/ld+json", "contextUrl": None,
            "documentUrl": url, "document": reply.json()}


jsonld.set_document_loader(loader)


def get(path, accept):
    reply = requests.get(ADDRESS + path, headers={"Accept": accept}, timeout=30)
    assert reply.status_code == 200, (path, accept, reply.status_code, reply.text)
    return reply


def pyld_graph(document):
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    graph = Graph()
    graph.parse(data=nquads, format="nt")
    return graph


for path in PATHS:
    turtle = Graph()
    # Turtle is UTF-8 whatever the Content-Type says (requests would assume Latin-1 for text/*).
    turtle.parse(data=get(path, "text/turtle").content, format="turtle")
    assert len(turtle) > 0, path
    for profile in ["compacted", "expanded", "flattened"]:
        reply = get(path, f'application/ld+json;profile="{NS}{profile}"')
        assert reply.headers["Content-Type"].startswith("application/ld+json"), reply.headers
        assert f'profile="{NS}{profile}"' in reply.headers["Content-Type"], reply.headers
        document = reply.json()
        if profile != "expanded":
            assert document["@context"] == CONTEXT, document.get("@context")
        graph = pyld_graph(document)
        if not isomorphic(graph, turtle):
            _, only_pyld, only_turtle = graph_diff(graph, turtle)
            print(f"{path} ({profile}): pyld and Turtle differ")
            print("only from JSON-LD:\n" + only_pyld.serialize(format="nt"))
            print("only in Turtle:\n" + only_turtle.serialize(format="nt"))
            sys.exit(1)
        print(f"{path} {profile}: {len(graph)} triples, same RDF as Turtle")
    # pyld's own compaction of our expanded form with our context reads back the same RDF.
    expanded = get(path, f'application/ld+json;profile="{NS}expanded"').json()
    recompacted = jsonld.compact(expanded, CONTEXT)
    assert isomorphic(pyld_graph(recompacted), turtle), path

assert fetched, "the context was never loaded"
print("all JSON-LD client checks passed")
