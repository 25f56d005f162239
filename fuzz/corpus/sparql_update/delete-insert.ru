PREFIX ex: <http://example.org/>
WITH ex:g DELETE { ?s ex:b ?o } INSERT { ?s ex:b ?n } WHERE { ?s ex:b ?o BIND(?o + 1 AS ?n) }