//! The crate's RDF terms -> oxigraph's. Blank node labels the crate generates (`_:b0`, ...)
//! restart at 0 for every document, so each gets a fresh oxigraph blank node: two documents
//! stored in one graph must not share nodes by accident.

use super::JsonLdError;
use json_ld::rdf_types::{Id, LiteralType, Term};
use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad};
use std::collections::HashMap;

type CrateId = Id<json_ld::IriBuf, json_ld::BlankIdBuf>;
type CrateQuad =
    json_ld::rdf_types::Quad<CrateId, CrateId, Term<CrateId, json_ld::rdf_types::Literal>, CrateId>;

pub fn quads(source: impl Iterator<Item = CrateQuad>) -> Result<Vec<Quad>, JsonLdError> {
    let mut blanks: HashMap<String, BlankNode> = HashMap::new();
    let mut out = Vec::new();
    for json_ld::rdf_types::Quad(s, p, o, g) in source {
        let subject = node(s, &mut blanks)?;
        let predicate = match p {
            Id::Iri(iri) => named(iri.as_str())?,
            Id::Blank(b) => {
                return Err(JsonLdError::new(
                    None,
                    format!(
                        "a blank node ({b}) as a predicate is generalized RDF, which citykg cannot store"
                    ),
                ));
            }
        };
        let object: oxigraph::model::Term = match o {
            Term::Id(id) => node(id, &mut blanks)?.into(),
            Term::Literal(literal) => self::literal(literal)?.into(),
        };
        let graph = match g {
            None => GraphName::DefaultGraph,
            Some(g) => match node(g, &mut blanks)? {
                NamedOrBlankNode::NamedNode(n) => GraphName::NamedNode(n),
                NamedOrBlankNode::BlankNode(b) => GraphName::BlankNode(b),
            },
        };
        out.push(Quad::new(subject, predicate, object, graph));
    }
    Ok(out)
}

fn named(iri: &str) -> Result<NamedNode, JsonLdError> {
    NamedNode::new(iri).map_err(|e| JsonLdError::new(None, format!("<{iri}> is not an IRI: {e}")))
}

fn node(
    id: CrateId,
    blanks: &mut HashMap<String, BlankNode>,
) -> Result<NamedOrBlankNode, JsonLdError> {
    match id {
        Id::Iri(iri) => Ok(named(iri.as_str())?.into()),
        Id::Blank(label) => Ok(blanks
            .entry(label.as_str().to_owned())
            .or_default()
            .clone()
            .into()),
    }
}

fn literal(literal: json_ld::rdf_types::Literal) -> Result<Literal, JsonLdError> {
    match literal.type_ {
        LiteralType::Any(datatype) => Ok(Literal::new_typed_literal(
            literal.value,
            named(datatype.as_str())?,
        )),
        LiteralType::LangString(tag) => {
            Literal::new_language_tagged_literal(literal.value, tag.as_str())
                .map_err(|e| JsonLdError::new(None, format!("`{tag}` is not a language tag: {e}")))
        }
    }
}
