//! The description of a resource with the sub-resources it owns: the one walk behind `/id/...`
//! pages, a use case read whole, a use case removed whole, and a harvested dataset copied or
//! removed. A node is owned by a root when it is a blank node or an IRI under the root's
//! (`{root}/...`, `{root}#...`); owned nodes are described too, transitively.

use super::{Quads, Storage, StoreError, Tx};
use oxigraph::model::{
    GraphNameRef, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term, TermRef, Triple,
};
use std::collections::HashSet;
use std::ops::ControlFlow;

/// What can answer quad patterns: the storage (a snapshot per read) or a transaction.
pub trait ReadQuads {
    fn read(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Quads<'_>;
}

impl ReadQuads for Storage {
    fn read(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Quads<'_> {
        self.quads(subject, predicate, object, graph)
    }
}

impl ReadQuads for Tx<'_> {
    fn read(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Quads<'_> {
        self.quads(subject, predicate, object, graph)
    }
}

/// Whether the description of `root` includes `node`: a blank node, or an IRI under the root's
/// (`{root}/...` or `{root}#...`).
pub fn owns(root: &str, node: TermRef<'_>) -> bool {
    match node {
        TermRef::BlankNode(_) => true,
        TermRef::NamedNode(n) => n
            .as_str()
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('#')),
        _ => false,
    }
}

/// Walks `roots` and every node they own, breadth first, each subject once: `visit` gets each
/// quad whose subject is one of them (in `graph`, or every graph), and may stop the walk.
/// `follow` says whether an owned node is to be described too (a cap on how many, say).
pub fn walk_owned(
    source: &impl ReadQuads,
    graph: Option<GraphNameRef<'_>>,
    roots: Vec<NamedOrBlankNode>,
    mut follow: impl FnMut(&NamedOrBlankNode) -> bool,
    mut visit: impl FnMut(Quad) -> ControlFlow<()>,
) -> Result<(), StoreError> {
    let owners: Vec<String> = roots
        .iter()
        .filter_map(|r| match r {
            NamedOrBlankNode::NamedNode(n) => Some(n.as_str().to_owned()),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect();
    let mut seen: HashSet<NamedOrBlankNode> = roots.iter().cloned().collect();
    let mut queue = std::collections::VecDeque::from(roots);
    while let Some(subject) = queue.pop_front() {
        for quad in source.read(Some(subject.as_ref()), None, None, graph) {
            let quad = quad?;
            let owned = match &quad.object {
                Term::BlankNode(b) => Some(NamedOrBlankNode::from(b.clone())),
                Term::NamedNode(n) if owners.iter().any(|o| owns(o, n.as_ref().into())) => {
                    Some(NamedOrBlankNode::from(n.clone()))
                }
                _ => None,
            };
            if let Some(owned) = owned {
                if !seen.contains(&owned) && follow(&owned) {
                    seen.insert(owned.clone());
                    queue.push_back(owned);
                }
            }
            if visit(quad).is_break() {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Every quad of the description of `roots` in `graph`.
pub fn owned_quads(
    source: &impl ReadQuads,
    graph: GraphNameRef<'_>,
    roots: Vec<NamedOrBlankNode>,
) -> Result<Vec<Quad>, StoreError> {
    let mut quads = Vec::new();
    walk_owned(
        source,
        Some(graph),
        roots,
        |_| true,
        |quad| {
            quads.push(quad);
            ControlFlow::Continue(())
        },
    )?;
    Ok(quads)
}

/// The description of `root` in `graph`, subject by subject: the root first, then what it owns.
pub fn owned_by_subject(
    source: &impl ReadQuads,
    graph: GraphNameRef<'_>,
    root: &NamedOrBlankNode,
) -> Result<Vec<(NamedOrBlankNode, Vec<Triple>)>, StoreError> {
    let mut out: Vec<(NamedOrBlankNode, Vec<Triple>)> = vec![(root.clone(), Vec::new())];
    walk_owned(
        source,
        Some(graph),
        vec![root.clone()],
        |_| true,
        |quad| {
            let subject = quad.subject.clone();
            let triple = Triple::from(quad);
            match out.last_mut() {
                Some((last, triples)) if *last == subject => triples.push(triple),
                _ => out.push((subject, vec![triple])),
            }
            ControlFlow::Continue(())
        },
    )?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{Cause, Origin};
    use oxigraph::model::{BlankNode, NamedNode};

    #[test]
    fn a_root_owns_what_is_under_its_iri_and_blank_nodes() {
        let uc = "http://c.test/id/use-case/x";
        for (iri, owned) in [
            ("http://c.test/id/use-case/x/place", true),
            ("http://c.test/id/use-case/x#a", true),
            ("http://c.test/id/use-case/x2", false),
            ("http://c.test/id/use-case/x", false),
            ("http://other/x/place", false),
        ] {
            let node = NamedNode::new(iri).unwrap();
            assert_eq!(owns(uc, node.as_ref().into()), owned, "{iri}");
        }
        assert!(owns(uc, BlankNode::default().as_ref().into()));
    }

    #[test]
    fn the_walk_describes_owned_nodes_transitively_and_nothing_else() {
        let store = Storage::in_memory().unwrap();
        let text = r#"
            @prefix ex: <http://e/> .
            ex:a ex:p <http://e/a/b> ; ex:q [ ex:r <http://e/a#c> ] ; ex:link ex:z .
            <http://e/a/b> ex:p <http://e/a/b/d> .
            <http://e/a#c> ex:p 1 .
            <http://e/a/b/d> ex:p 2 .
            ex:z ex:p 3 .
        "#;
        let g = NamedNode::new("http://e/g").unwrap();
        let quads: Vec<Quad> =
            oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
                .with_default_graph(g.clone())
                .for_slice(text.as_bytes())
                .collect::<Result<_, _>>()
                .unwrap();
        store.extend(Cause::service(Origin::Load), quads).unwrap();
        let root = NamedNode::new("http://e/a").unwrap();
        let found = owned_quads(&store, g.as_ref().into(), vec![root.into()]).unwrap();
        assert_eq!(found.len(), 7, "{found:?}");
        assert!(
            found
                .iter()
                .all(|q| q.subject.to_string() != "<http://e/z>")
        );
    }
}
