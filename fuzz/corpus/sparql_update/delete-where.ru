PREFIX sosa: <http://www.w3.org/ns/sosa/>
DELETE WHERE { ?o a sosa:Observation ; sosa:resultTime ?t . }