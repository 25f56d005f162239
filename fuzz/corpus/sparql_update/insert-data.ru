PREFIX ex: <http://example.org/>
INSERT DATA { ex:a ex:b "c" . GRAPH ex:g { ex:a ex:b [ ex:c 1 ] } }