//! Runs one manifest test: a fresh server, its graph data loaded, its requests sent in order,
//! each response checked (status, result kind, ASK answer, RDF body up to blank nodes, Location).

use crate::helpers::{ADMIN, spawn_app};
use crate::manifest::{Request, Test};
use awc::http::Method;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Graph, Triple};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};

#[derive(Debug, Clone, Copy)]
pub enum Endpoint {
    Sparql,
    GraphStore,
}

pub async fn run(test: &Test, endpoint: Endpoint) -> Result<(), String> {
    let app = spawn_app().await;
    for (file, graph) in &test.graph_data {
        let data = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let reply = app.put_graph(graph, &data).await;
        if !reply.status.is_success() {
            return Err(format!("loading {graph} failed: {}", reply.text()));
        }
    }
    let mut substitutions: Vec<(String, String)> = Vec::new();
    for (i, request) in test.requests.iter().enumerate() {
        let substitute = |s: &str| {
            substitutions
                .iter()
                .fold(s.to_owned(), |acc, (k, v)| acc.replace(k, v))
        };
        let path = rewrite(&substitute(&request.path), endpoint, request);
        let body = request.body.as_deref().map(substitute).unwrap_or_default();
        let method = Method::from_bytes(request.method.as_bytes()).map_err(|e| e.to_string())?;
        let mut call = app
            .client
            .request(method, app.url(&path))
            .insert_header(("Authorization", format!("Bearer {ADMIN}")));
        for (name, value) in &request.headers {
            if name != "host" && name != "content-length" {
                call = call.insert_header((name.as_str(), value.as_str()));
            }
        }
        let reply = app.send(call, body.into_bytes()).await;
        let context =
            |what: String| format!("request {} ({} {path}): {what}", i + 1, request.method);
        check(request, &reply).map_err(context)?;
        if let Some(placeholder) = &request.response.location_placeholder {
            let location = reply
                .headers
                .get("location")
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| context("no Location header".into()))?;
            substitutions.push((placeholder.clone(), location.to_owned()));
        }
    }
    Ok(())
}

/// Maps the manifests' `/sparql/` and `/gsp` paths onto citykg's endpoints.
fn rewrite(path: &str, endpoint: Endpoint, request: &Request) -> String {
    match endpoint {
        Endpoint::Sparql => {
            let rest = path
                .strip_prefix("/sparql/")
                .or_else(|| path.strip_prefix("/sparql"))
                .unwrap_or(path);
            let is_update =
                request.headers.iter().any(|(k, v)| {
                    k == "content-type" && v.starts_with("application/sparql-update")
                }) || request
                    .body
                    .as_deref()
                    .is_some_and(|b| b.starts_with("update="))
                    || rest.contains("update=");
            format!("{}{rest}", if is_update { "/update" } else { "/query" })
        }
        Endpoint::GraphStore => format!("/store{}", path.strip_prefix("/gsp").unwrap_or(path)),
    }
}

fn check(request: &Request, reply: &crate::helpers::Reply) -> Result<(), String> {
    let expected = &request.response;
    let status = reply.status.as_u16();
    let status_ok = expected.statuses.is_empty()
        || expected.statuses.iter().any(|(code, class)| {
            if *class {
                status / 100 == code / 100
            } else {
                status == *code
            }
        });
    if !status_ok {
        return Err(format!(
            "status {status}, expected {:?}; body: {}",
            expected.statuses,
            reply.text()
        ));
    }
    let content_type = reply.content_type();
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    match expected.format.as_deref() {
        Some("boolean") | Some("tabular") => {
            let format = QueryResultsFormat::from_media_type(&media)
                .ok_or_else(|| format!("{media} is not a SPARQL results type"))?;
            let parsed = QueryResultsParser::from_format(format)
                .for_slice(&reply.body)
                .map_err(|e| e.to_string())?;
            match (parsed, expected.format.as_deref()) {
                (SliceQueryResultsParserOutput::Boolean(b), Some("boolean")) => {
                    if let Some(want) = expected.boolean {
                        if b != want {
                            return Err(format!("ASK answered {b}, expected {want}"));
                        }
                    }
                }
                (SliceQueryResultsParserOutput::Solutions(s), Some("tabular")) => {
                    for solution in s {
                        solution.map_err(|e| e.to_string())?;
                    }
                }
                _ => return Err(format!("wrong kind of result for {:?}", expected.format)),
            }
        }
        Some("RDF") => {
            parse_graph(&media, &reply.body)?;
        }
        _ => {}
    }
    if let (Some(body), Some(expected_type)) = (&expected.body, &expected.content_type) {
        let want_media = expected_type.split(';').next().unwrap_or_default().trim();
        let mut want = parse_graph(want_media, body.as_bytes())?;
        let mut got = parse_graph(&media, &reply.body)?;
        want.canonicalize(CanonicalizationAlgorithm::Unstable);
        got.canonicalize(CanonicalizationAlgorithm::Unstable);
        if want != got {
            return Err(format!(
                "the graph differs from the expected one:\n got: {}\nwant: {}",
                reply.text(),
                body
            ));
        }
    }
    Ok(())
}

fn parse_graph(media: &str, bytes: &[u8]) -> Result<Graph, String> {
    let format = RdfFormat::from_media_type(media)
        .ok_or_else(|| format!("{media:?} is not an RDF media type"))?;
    RdfParser::from_format(format)
        .for_slice(bytes)
        .map(|q| q.map(Triple::from))
        .collect::<Result<Graph, _>>()
        .map_err(|e| format!("unparsable {media}: {e}"))
}
