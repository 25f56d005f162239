//! Parsing random shapes never panics: random bytes, and random soups of SHACL tokens that
//! parse as Turtle far more often, so the compiler itself is exercised.

use crate::standards::shacl::{Shapes, validate};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

#[test]
fn random_bytes_never_panic_the_parser() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..2000 {
        let len = (rng.next() % 200) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let text = String::from_utf8_lossy(&bytes);
        let _ = Shapes::from_turtle(&text, None);
    }
}

#[test]
fn random_shapes_never_panic_the_parser_or_the_validator() {
    let subjects = ["ex:S", "ex:T", "_:b", "ex:a", "_:l"];
    let predicates = [
        "sh:path",
        "sh:targetNode",
        "sh:targetClass",
        "sh:class",
        "sh:minCount",
        "sh:maxCount",
        "sh:node",
        "sh:not",
        "sh:and",
        "sh:or",
        "sh:xone",
        "sh:property",
        "sh:in",
        "sh:inversePath",
        "sh:zeroOrMorePath",
        "sh:alternativePath",
        "sh:qualifiedValueShape",
        "sh:qualifiedMinCount",
        "sh:qualifiedValueShapesDisjoint",
        "sh:closed",
        "sh:pattern",
        "sh:flags",
        "sh:languageIn",
        "sh:minInclusive",
        "sh:lessThan",
        "sh:datatype",
        "sh:nodeKind",
        "sh:hasValue",
        "sh:uniqueLang",
        "sh:deactivated",
        "sh:severity",
        "rdf:first",
        "rdf:rest",
        "rdf:type",
        "ex:p",
    ];
    let objects = [
        "ex:S",
        "ex:T",
        "_:b",
        "_:l",
        "ex:a",
        "ex:p",
        "rdf:nil",
        "( ex:S ex:T )",
        "( ex:p )",
        "( )",
        "1",
        "-1",
        "\"x\"",
        "\"(\"",
        "true",
        "sh:IRI",
        "ex:C",
        "[ sh:path ex:p ]",
        "\"2\"^^xsd:byte",
        "2.5",
    ];
    let mut rng = Rng(42);
    for _ in 0..1500 {
        let mut text = String::from(super::PREFIXES);
        for _ in 0..(1 + rng.next() % 8) {
            text.push_str(&format!(
                "{} {} {} .\n",
                rng.pick(&subjects),
                rng.pick(&predicates),
                rng.pick(&objects)
            ));
        }
        if let Ok(shapes) = Shapes::from_turtle(&text, None) {
            let data = super::graph(&text);
            let Ok(_) = validate(&shapes, &data);
        }
    }
}
