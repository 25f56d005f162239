//! `spawn_app()`: the real service on a memory store and a free port, with a known admin token.

use awc::http::StatusCode;
use awc::http::header::HeaderMap;
use citykg::core::config::Settings;
use citykg::edge::auth::Role;
use citykg::edge::http::Application;

pub const ADMIN: &str = "test-admin-secret";

pub struct TestApp {
    pub address: String,
    pub client: awc::Client,
    pub tokens: std::sync::Arc<citykg::edge::auth::TokenStore>,
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn content_type(&self) -> String {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// Asserts an RFC 9457 body with this status and returns it.
    pub fn problem(&self, status: u16) -> serde_json::Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.text());
        assert_eq!(self.content_type(), "application/problem+json");
        let json = self.json();
        assert_eq!(json["status"], status);
        for field in ["type", "title", "detail"] {
            assert!(json[field].is_string(), "problem without {field}: {json}");
        }
        json
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = Settings::for_tests();
    settings.admin_token = Some(ADMIN.to_owned());
    adjust(&mut settings);
    let app = Application::build(settings).expect("the app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let tokens = app.tokens();
    actix_web::rt::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: awc::Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .finish(),
        tokens,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn token(&self, name: &str, role: Role) -> String {
        self.tokens.create(name, role).unwrap()
    }

    pub async fn send(&self, request: awc::ClientRequest, body: impl Into<Vec<u8>>) -> Reply {
        let mut response = request
            .send_body(body.into())
            .await
            .expect("the request reaches the server");
        let body = response
            .body()
            .limit(256 << 20)
            .await
            .expect("the body arrives")
            .to_vec();
        Reply {
            status: response.status(),
            headers: response.headers().clone(),
            body,
        }
    }

    /// A request with the admin token and, when there is a body, its Content-Type.
    pub fn admin(
        &self,
        method: awc::http::Method,
        path: &str,
        content_type: Option<&str>,
    ) -> awc::ClientRequest {
        let request = self
            .client
            .request(method, self.url(path))
            .insert_header(("Authorization", format!("Bearer {ADMIN}")));
        match content_type {
            Some(content_type) => request.insert_header(("Content-Type", content_type)),
            None => request,
        }
    }

    pub async fn get(&self, path: &str, accept: &str) -> Reply {
        self.send(
            self.client
                .get(self.url(path))
                .insert_header(("Accept", accept)),
            "",
        )
        .await
    }

    /// GET /query?query=... with the given Accept.
    pub async fn query(&self, query: &str, accept: &str) -> Reply {
        let path = format!("/query?{}", form(&[("query", query)]));
        self.get(&path, accept).await
    }

    pub async fn update(&self, update: &str) -> Reply {
        let request = self.admin(
            awc::http::Method::POST,
            "/update",
            Some("application/sparql-update"),
        );
        self.send(request, update).await
    }

    /// PUT a Turtle graph through the Graph Store Protocol, as admin.
    pub async fn put_graph(&self, graph: &str, turtle: &str) -> Reply {
        let path = format!("/store?{}", form(&[("graph", graph)]));
        let request = self.admin(awc::http::Method::PUT, &path, Some("text/turtle"));
        self.send(request, turtle).await
    }

    /// `ex:a ex:p 1` in graph `ex:g1` and `ex:b ex:p 2` in `ex:g2`, for dataset tests.
    pub async fn two_graphs(&self) {
        for (graph, triple) in [
            (
                "http://example.com/g1",
                "<http://example.com/a> <http://example.com/p> 1 .",
            ),
            (
                "http://example.com/g2",
                "<http://example.com/b> <http://example.com/p> 2 .",
            ),
        ] {
            assert_eq!(self.put_graph(graph, triple).await.status, 201);
        }
    }

    /// The number of solutions of a SELECT, read from SPARQL JSON.
    pub async fn count(&self, query: &str) -> usize {
        let reply = self.query(query, "application/sparql-results+json").await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()["results"]["bindings"]
            .as_array()
            .map_or(0, Vec::len)
    }
}

pub fn form(pairs: &[(&str, &str)]) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        serializer.append_pair(k, v);
    }
    serializer.finish()
}

/// Parses RDF and returns its quads (graph comparisons in tests go through this).
pub fn parse_rdf(format: oxigraph::io::RdfFormat, bytes: &[u8]) -> oxigraph::model::Dataset {
    oxigraph::io::RdfParser::from_format(format)
        .for_slice(bytes)
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("invalid {format}: {e}\n{}", String::from_utf8_lossy(bytes)))
}

/// Runs a third-party client script of `tests/clients/` with `args` (`CITYKG_PYTHON` picks the
/// interpreter; `.ci/run` installs the clients from tests/clients/requirements.txt) and returns its
/// standard output; fails the test when the script fails or does not print `done`.
pub async fn run_python_client(script: &str, args: Vec<String>, done: &str) -> String {
    let python = std::env::var("CITYKG_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let path = format!("{}/tests/clients/{script}", env!("CARGO_MANIFEST_DIR"));
    let output = actix_web::rt::task::spawn_blocking(move || {
        std::process::Command::new(&python)
            .arg(path)
            .args(args)
            .output()
    })
    .await
    .unwrap()
    .expect("python runs (install the clients: pip install -r tests/clients/requirements.txt)");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(done), "{script}: {stdout}");
    stdout
}
