"""A DCAT-AP harvester written against the standards, not against citykg's code.

Usage: harvest_feed.py BASE_URL ADMIN_TOKEN CONFORMANCE_DIR CHANGED_DATASET_IRI

1. GET BASE_URL/catalog (Turtle), follow hydra:next to the end (Hydra Core), collect the
   datasets the dcat:Catalog links with dcat:dataset; their number must equal hydra:totalItems.
2. Validate the whole feed with pySHACL against the DCAT-AP 3.0.1 shapes: 0 violations.
3. Change one dataset with SPARQL 1.1 Update (its title, its record's dct:modified = NOW()),
   then harvest with modified_since = a time before the change: exactly that dataset comes back.
"""

import datetime
import sys
import time
import urllib.parse
import urllib.request

import pyshacl
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF, SH

HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")


def get(url):
    request = urllib.request.Request(url, headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200, (url, response.status)
        media_type = response.headers.get_content_type()
        assert media_type == "text/turtle", media_type
        return response.read()


def harvest(url):
    """Every page from url on: (merged graph, datasets in page order, totalItems, pages)."""
    merged, datasets, total, pages, seen = rdflib.Graph(), [], None, 0, set()
    while url:
        assert url not in seen, f"hydra:next loops back to {url}"
        seen.add(url)
        page = rdflib.Graph()
        page.parse(data=get(url), format="turtle", publicID=url)
        pages += 1
        merged += page
        for catalog in page.subjects(RDF.type, DCAT.Catalog):
            datasets.extend(str(d) for d in page.objects(catalog, DCAT.dataset))
        totals = {int(t) for t in page.objects(None, HYDRA.totalItems)}
        assert len(totals) == 1, f"one hydra:totalItems per page, got {totals}"
        total = totals.pop()
        nexts = list(page.objects(None, HYDRA.next))
        assert len(nexts) <= 1, nexts
        url = str(nexts[0]) if nexts else None
    return merged, datasets, total, pages


def dcat_ap_shapes(conformance):
    shapes = rdflib.Graph()
    shapes.parse(f"{conformance}/dcat-ap/shacl/dcat-ap-SHACL.ttl", format="turtle")
    # Upstream names two property shapes of dcat:DataServiceShape it never defines; pySHACL
    # stops on them ("not a well-formed SHACL PropertyShape"). Drop exactly those two.
    dangling = [(s, o) for s, o in shapes.subject_objects(SH.property) if (o, None, None) not in shapes]
    assert len(dangling) == 2 and all("#dcat:DataServiceShape/" in str(o) for _, o in dangling), dangling
    for s, o in dangling:
        shapes.remove((s, SH.property, o))
    return shapes


def sparql_update(base, token, update):
    request = urllib.request.Request(
        f"{base}/update",
        data=update.encode(),
        method="POST",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status in (200, 204), response.status


def main():
    base, token, conformance, changed = sys.argv[1:5]
    feed, datasets, total, pages = harvest(f"{base}/catalog?page_size=2")
    assert len(datasets) == total, f"{len(datasets)} datasets on the pages, hydra:totalItems {total}"
    assert len(set(datasets)) == total, "a dataset appeared on two pages"
    assert changed in datasets, changed
    print(f"full harvest: {total} datasets in {pages} pages")

    conforms, report, text = pyshacl.validate(feed, shacl_graph=dcat_ap_shapes(conformance))
    violations = list(report.subjects(SH.resultSeverity, SH.Violation))
    assert not violations, text
    print(f"pySHACL: {len(feed)} triples, 0 violations")

    # A time after every write so far, to the second.
    time.sleep(1.1)
    since = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    record = next(feed.subjects(rdflib.URIRef("http://xmlns.com/foaf/0.1/primaryTopic"), rdflib.URIRef(changed)))
    graph = f"{urllib.parse.urlsplit(changed).scheme}://{urllib.parse.urlsplit(changed).netloc}/graph/catalog"
    sparql_update(base, token, f"""
        PREFIX dct: <http://purl.org/dc/terms/>
        DELETE {{ GRAPH <{graph}> {{ <{changed}> dct:title ?t . <{record}> dct:modified ?m }} }}
        INSERT {{ GRAPH <{graph}> {{ <{changed}> dct:title "Changed by the harvester test"@en .
                                   <{record}> dct:modified ?now }} }}
        WHERE {{ GRAPH <{graph}> {{ <{changed}> dct:title ?t . <{record}> dct:modified ?m }} BIND(NOW() AS ?now) }}""")
    query = urllib.parse.urlencode({"modified_since": since.isoformat().replace("+00:00", "Z")})
    delta, changed_sets, delta_total, _ = harvest(f"{base}/catalog?{query}")
    assert changed_sets == [changed], changed_sets
    assert delta_total == 1, delta_total
    titles = {str(t) for t in delta.objects(rdflib.URIRef(changed), DCTERMS.title)}
    assert "Changed by the harvester test" in titles, titles
    print("modified_since harvest: exactly the changed dataset")
    print("harvest checks passed")


if __name__ == "__main__":
    main()
