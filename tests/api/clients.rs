//! Interoperability with third-party clients: Python's SPARQLWrapper and rdflib drive the real
//! server (tests/clients/third_party.py). `.ci/run` installs them from
//! tests/clients/requirements.txt; `CITYKG_PYTHON` picks the interpreter (default `python3`).

use crate::helpers::{ADMIN, spawn_app};

#[actix_web::test]
async fn sparqlwrapper_and_rdflib_can_query_and_update() {
    let app = spawn_app().await;
    let python = std::env::var("CITYKG_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients/third_party.py");
    let address = app.address.clone();
    let output = actix_web::rt::task::spawn_blocking(move || {
        std::process::Command::new(&python)
            .arg(script)
            .arg(&address)
            .arg(ADMIN)
            .output()
    })
    .await
    .unwrap()
    .expect("python runs (install the clients: pip install -r tests/clients/requirements.txt)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "third-party clients failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("all third-party client checks passed"),
        "{stdout}"
    );
}
