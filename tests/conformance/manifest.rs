//! Reads the W3C protocol manifests (HTTP Vocabulary in RDF) into plain structs.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef};
use std::path::{Path, PathBuf};

const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const HT: &str = "http://www.w3.org/2011/http#";
const CNT: &str = "http://www.w3.org/2011/content#";
const UT: &str = "http://www.w3.org/2009/sparql/tests/test-update#";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";

#[derive(Debug, Clone)]
pub struct Test {
    pub name: String,
    /// (file to load, graph IRI)
    pub graph_data: Vec<(PathBuf, String)>,
    pub requests: Vec<Request>,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub response: Expected,
}

#[derive(Debug, Clone, Default)]
pub struct Expected {
    /// Acceptable statuses: exact codes, or classes written as 200/300/400/500 with `class: true`.
    pub statuses: Vec<(u16, bool)>,
    pub format: Option<String>,
    pub boolean: Option<bool>,
    pub content_type: Option<String>,
    pub body: Option<String>,
    pub location_placeholder: Option<String>,
}

struct Reader {
    graph: Graph,
}

impl Reader {
    fn node(&self, s: NamedOrBlankNodeRef<'_>, p: &str) -> Option<Term> {
        self.graph
            .object_for_subject_predicate(s, NamedNodeRef::new_unchecked(p))
            .map(TermRef::into_owned)
    }

    fn nodes(&self, s: NamedOrBlankNodeRef<'_>, p: &str) -> Vec<Term> {
        self.graph
            .objects_for_subject_predicate(s, NamedNodeRef::new_unchecked(p))
            .map(TermRef::into_owned)
            .collect()
    }

    fn string(&self, s: NamedOrBlankNodeRef<'_>, p: &str) -> Option<String> {
        match self.node(s, p)? {
            Term::Literal(l) => Some(l.value().to_owned()),
            Term::NamedNode(n) => Some(n.into_string()),
            _ => None,
        }
    }

    fn list(&self, head: Option<Term>) -> Vec<NamedOrBlankNode> {
        let mut items = Vec::new();
        let mut current = head;
        while let Some(node) = current.and_then(as_subject) {
            if node.as_ref()
                == NamedOrBlankNodeRef::NamedNode(NamedNodeRef::new_unchecked(&format!("{RDF}nil")))
            {
                break;
            }
            if let Some(first) = self
                .node(node.as_ref(), &format!("{RDF}first"))
                .and_then(as_subject)
            {
                items.push(first);
            }
            current = self.node(node.as_ref(), &format!("{RDF}rest"));
        }
        items
    }
}

fn as_subject(term: Term) -> Option<NamedOrBlankNode> {
    match term {
        Term::NamedNode(n) => Some(n.into()),
        Term::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

pub fn read(path: &Path) -> Vec<Test> {
    let text = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let base = format!("file://{}", path.display());
    let graph: Graph = RdfParser::from_format(RdfFormat::Turtle)
        .with_base_iri(&base)
        .unwrap()
        .for_slice(&text)
        .map(|q| q.map(oxigraph::model::Triple::from))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = Reader { graph };
    let manifest = NamedOrBlankNode::from(oxigraph::model::NamedNode::new(base.clone()).unwrap());
    let entries = reader.list(reader.node(manifest.as_ref(), &format!("{MF}entries")));
    entries
        .into_iter()
        .map(|entry| read_test(&reader, entry.as_ref(), path))
        .collect()
}

fn read_test(r: &Reader, test: NamedOrBlankNodeRef<'_>, manifest: &Path) -> Test {
    let name = match test {
        NamedOrBlankNodeRef::NamedNode(n) => {
            n.as_str().rsplit('#').next().unwrap_or_default().to_owned()
        }
        NamedOrBlankNodeRef::BlankNode(b) => b.as_str().to_owned(),
    };
    let graph_data = r
        .nodes(test, &format!("{UT}graphData"))
        .into_iter()
        .filter_map(as_subject)
        .map(|node| {
            let file = r.string(node.as_ref(), &format!("{UT}graph")).unwrap();
            let file = PathBuf::from(file.trim_start_matches("file://"));
            let label = r.string(node.as_ref(), &format!("{RDFS}label")).unwrap();
            let file = if file.is_absolute() {
                file
            } else {
                manifest.with_file_name(file)
            };
            (file, label)
        })
        .collect();
    let action = r
        .node(test, &format!("{MF}action"))
        .and_then(as_subject)
        .unwrap();
    let requests = r
        .list(r.node(action.as_ref(), &format!("{HT}requests")))
        .into_iter()
        .map(|req| read_request(r, req.as_ref()))
        .collect();
    Test {
        name,
        graph_data,
        requests,
    }
}

fn headers(r: &Reader, node: NamedOrBlankNodeRef<'_>) -> Vec<(String, String)> {
    r.list(r.node(node, &format!("{HT}headers")))
        .into_iter()
        .map(|h| {
            (
                r.string(h.as_ref(), &format!("{HT}fieldName"))
                    .unwrap_or_default()
                    .to_ascii_lowercase(),
                r.string(h.as_ref(), &format!("{HT}fieldValue"))
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn body(r: &Reader, node: NamedOrBlankNodeRef<'_>) -> Option<String> {
    let body = r.node(node, &format!("{HT}body")).and_then(as_subject)?;
    r.string(body.as_ref(), &format!("{CNT}chars"))
}

fn read_request(r: &Reader, req: NamedOrBlankNodeRef<'_>) -> Request {
    let response = r
        .node(req, &format!("{HT}resp"))
        .and_then(as_subject)
        .unwrap();
    let resp = response.as_ref();
    let statuses = r
        .nodes(resp, &format!("{MF}expectedStatus"))
        .into_iter()
        .filter_map(|t| match t {
            Term::NamedNode(n) => status(n.as_str().rsplit('#').next().unwrap_or_default()),
            _ => None,
        })
        .collect();
    let expected = Expected {
        statuses,
        format: r.string(resp, &format!("{MF}expectedFormat")),
        boolean: r
            .string(resp, &format!("{MF}expectedBoolean"))
            .map(|b| b == "true"),
        content_type: headers(r, resp)
            .into_iter()
            .find(|(k, _)| k == "content-type")
            .map(|(_, v)| v),
        body: body(r, resp),
        location_placeholder: r.string(resp, &format!("{MF}expectedLocation")),
    };
    // Guards so that a manifest the reader misunderstands fails loudly instead of passing.
    assert!(
        !expected.statuses.is_empty(),
        "a request without a known expected status"
    );
    assert!(
        expected.body.is_none() || expected.content_type.is_some(),
        "an expected body without a content type"
    );
    Request {
        method: r
            .string(req, &format!("{HT}methodName"))
            .unwrap_or_else(|| "GET".into()),
        path: r
            .string(req, &format!("{HT}absolutePath"))
            .unwrap_or_default(),
        headers: headers(r, req),
        body: body(r, req),
        response: expected,
    }
}

/// `hts:` local names to (code, is-a-class).
fn status(local: &str) -> Option<(u16, bool)> {
    if let Some(class) = local
        .strip_prefix("StatusCode")
        .and_then(|c| c.strip_suffix("xx"))
    {
        return class.parse::<u16>().ok().map(|c| (c * 100, true));
    }
    let code = match local {
        "OK" => 200,
        "Created" => 201,
        "Accepted" => 202,
        "NoContent" => 204,
        "BadRequest" => 400,
        "NotFound" => 404,
        "MethodNotAllowed" => 405,
        "UnsupportedMediaType" => 415,
        _ => return None,
    };
    Some((code, false))
}
