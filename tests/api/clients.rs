//! Interoperability with third-party clients: Python's SPARQLWrapper and rdflib drive the real
//! server (tests/clients/third_party.py). `.ci/run` installs them from
//! tests/clients/requirements.txt; `CITYKG_PYTHON` picks the interpreter (default `python3`).

use crate::helpers::{ADMIN, run_python_client, spawn_app};

#[actix_web::test]
async fn sparqlwrapper_and_rdflib_can_query_and_update() {
    let app = spawn_app().await;
    run_python_client(
        "third_party.py",
        vec![app.address.clone(), ADMIN.to_owned()],
        "all third-party client checks passed",
    )
    .await;
}
