//! The whole route table, in one place.

use super::{
    assessment, city, dashboard, feed, graph_store, harvest, health, ingest, kits, kpis, mappings,
    ngsi_ld, ontologies, pages, quarantine, resources, shacl, sparql, use_cases,
};
use actix_web::web;

pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/", web::get().to(pages::home))
        .route("/health", web::get().to(health::health))
        .route("/favicon.ico", web::get().to(health::no_icon))
        .route("/metrics", web::get().to(health::metrics))
        .route("/ontologies", web::get().to(ontologies::list))
        .route("/ontologies/{name}", web::get().to(ontologies::module))
        .route("/def/{term}", web::get().to(ontologies::term))
        .route("/shacl", web::post().to(shacl::validate))
        .route("/catalog", web::get().to(feed::catalog))
        .route("/admin/harvest", web::post().to(harvest::harvest))
        .route("/ns/context.jsonld", web::get().to(resources::context))
        .route("/state", web::get().to(city::state))
        .route("/series", web::get().to(city::series))
        .route("/dashboard", web::get().to(dashboard::page))
        .route(
            "/city/profile/versions",
            web::get().to(kpis::profile_versions),
        )
        .route(
            "/city/profile/versions/{n}",
            web::get().to(kpis::get_profile_version),
        )
        .route("/kpis", web::get().to(kpis::list))
        .route("/kpis/report", web::get().to(kpis::report))
        .route("/kpis/compute", web::post().to(kpis::compute))
        .route("/id/{path:.*}", web::get().to(resources::get))
        .route("/ngsi-ld/v1/{tail:.*}", web::route().to(ngsi_ld::handle));
    config.service(
        web::resource("/city/profile")
            .route(web::get().to(kpis::get_profile))
            .route(web::put().to(kpis::put_profile)),
    );
    config.service(
        web::resource("/kpis/{code}/{year}")
            .route(web::put().to(kpis::put_reported))
            .route(web::delete().to(kpis::delete_reported)),
    );
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
    // The mapping registry. Ids may contain `/`, so sub-resources are matched first by their
    // suffix (`/versions/{n}`; ingest adds `/preview` and `/mappings/preview` here, before the
    // catch-all), and `/mappings/{id:.*}` comes last. The registry refuses ids that end in
    // `preview` or hold `versions/{n}`, so the two never collide.
    config
        .service(
            web::resource("/mappings")
                .route(web::get().to(mappings::list))
                .route(web::post().to(mappings::post)),
        )
        .route(
            "/mappings/{id:.+}/versions/{n:[0-9]+}",
            web::get().to(mappings::get_version),
        )
        .route(
            "/mappings/preview",
            web::post().to(mappings::preview_unsaved),
        )
        .route(
            "/mappings/{id:.+}/preview",
            web::post().to(mappings::preview),
        )
        .service(
            web::resource("/mappings/{id:.+}")
                .route(web::get().to(mappings::get))
                .route(web::put().to(mappings::put))
                .route(web::delete().to(mappings::delete))
                .default_service(web::to(mappings::method_not_allowed)),
        );
    // Ingest and the quarantine.
    config
        .route("/ingest/{id:.+}", web::post().to(ingest::ingest))
        .route("/quarantine", web::get().to(quarantine::list))
        .route(
            "/quarantine/{id}/replay",
            web::post().to(quarantine::replay),
        )
        .service(
            web::resource("/quarantine/{id}")
                .route(web::get().to(quarantine::get))
                .route(web::delete().to(quarantine::delete)),
        );
    // The use-case assessment: fixed paths under /use-cases, registered before any
    // `/use-cases/{id}` route so that they are not taken for ids.
    config
        .route("/use-cases/compare", web::get().to(assessment::compare))
        .route("/use-cases/rubric", web::get().to(assessment::rubric))
        .service(
            web::resource("/use-cases/assessment")
                .route(web::post().to(assessment::recompute_all))
                .default_service(web::to(assessment::recompute_method_not_allowed)),
        );
    // The use-case catalogue. Literal routes under /use-cases/ (compare, import, {id}/kit) go
    // above `/use-cases/{id}`: actix answers with the first resource whose pattern matches.
    config
        .service(
            web::resource("/use-cases")
                .route(web::get().to(use_cases::list))
                .route(web::post().to(use_cases::post)),
        )
        .route("/use-cases/import", web::post().to(kits::import))
        .route("/use-cases/{id}/kit", web::get().to(kits::export))
        .service(
            web::resource("/use-cases/{id}")
                .route(web::get().to(use_cases::get))
                .route(web::put().to(use_cases::put))
                .route(web::patch().to(use_cases::patch))
                .route(web::delete().to(use_cases::delete))
                .default_service(web::to(use_cases::method_not_allowed)),
        );
    config.default_service(web::to(health::not_found));
}
