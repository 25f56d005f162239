//! The whole route table, in one place.

use super::{graph_store, health, ontologies, pages, shacl, sparql};
use actix_web::web;

pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/", web::get().to(pages::home))
        .route("/health", web::get().to(health::health))
        .route("/metrics", web::get().to(health::metrics))
        .route("/ontologies", web::get().to(ontologies::list))
        .route("/ontologies/{name}", web::get().to(ontologies::module))
        .route("/def/{term}", web::get().to(ontologies::term))
        .route("/shacl", web::post().to(shacl::validate));
    for path in ["/query", "/sparql"] {
        config.service(
            web::resource(path)
                .route(web::get().to(sparql::query_get))
                .route(web::post().to(sparql::query_post))
                .default_service(web::to(sparql::query_method_not_allowed)),
        );
    }
    config.service(
        web::resource("/update")
            .route(web::post().to(sparql::update_post))
            .default_service(web::to(sparql::update_method_not_allowed)),
    );
    for path in ["/store", "/store/{tail:.*}"] {
        config.service(
            web::resource(path)
                .route(web::get().to(graph_store::get))
                .route(web::head().to(graph_store::get))
                .route(web::put().to(graph_store::put))
                .route(web::post().to(graph_store::post))
                .route(web::delete().to(graph_store::delete))
                .default_service(web::to(graph_store::method_not_allowed)),
        );
    }
    config.default_service(web::to(health::not_found));
}
