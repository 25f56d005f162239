//! The shipped SHACL shapes (`ontologies/shapes/{name}.ttl`), found by name: from the
//! operator's ontology folder when it has them, else the copies compiled into the binary.

use std::path::Path;

/// Shapes compiled in, for the binary-only case.
const BUILTIN: &[(&str, &str)] = &[
    (
        "city-profile",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/ontologies/shapes/city-profile.ttl"
        )),
    ),
    (
        "measurement",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/ontologies/shapes/measurement.ttl"
        )),
    ),
    (
        "observation",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/ontologies/shapes/observation.ttl"
        )),
    ),
    (
        "provenance",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/ontologies/shapes/provenance.ttl"
        )),
    ),
    (
        "sensor",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/ontologies/shapes/sensor.ttl"
        )),
    ),
    (
        "use-case",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/ontologies/shapes/use-case.ttl"
        )),
    ),
];

/// The names of the shipped shape sets.
pub fn names(ontologies: &Path) -> Vec<String> {
    let folder = ontologies.join("shapes");
    let mut names: Vec<String> = match std::fs::read_dir(&folder) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ttl"))
            .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .collect(),
        Err(_) => BUILTIN.iter().map(|(n, _)| (*n).to_owned()).collect(),
    };
    names.sort();
    names
}

/// The Turtle of shape set `name`, if there is one. Names are plain words: no path can be
/// smuggled through them.
pub fn text(ontologies: &Path, name: &str) -> Option<String> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let folder = ontologies.join("shapes");
    if folder.is_dir() {
        return std::fs::read_to_string(folder.join(format!("{name}.ttl"))).ok();
    }
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| (*text).to_owned())
}

/// The Turtle of shape set `name` as compiled into the binary, whatever the folder holds (the
/// assessment judges every instance by the same shapes, so that assessments compare).
pub fn builtin_text(name: &str) -> Option<&'static str> {
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

#[derive(Debug, thiserror::Error)]
pub enum ShapeSetError {
    #[error("there is no shipped shape set `{name}`; the shipped ones are: {known}")]
    Unknown { name: String, known: String },
    #[error("shipped shape set `{name}`: {source}")]
    Invalid {
        name: String,
        #[source]
        source: crate::standards::shacl::ShapesError,
    },
}

/// The shipped shape sets `names`, together, compiled into one `Shapes` (what ingest validates
/// mapped data against, and what `POST /shacl?shapes=...` uses).
pub fn load(
    ontologies: &Path,
    names: &[String],
) -> Result<crate::standards::shacl::Shapes, ShapeSetError> {
    let mut graph = oxigraph::model::Graph::new();
    for name in names {
        let Some(text) = text(ontologies, name) else {
            return Err(ShapeSetError::Unknown {
                name: name.clone(),
                known: self::names(ontologies).join(", "),
            });
        };
        let invalid = |source| ShapeSetError::Invalid {
            name: name.clone(),
            source,
        };
        // Compiled alone first, so that a problem names the set it is in.
        crate::standards::shacl::Shapes::from_turtle(&text, None).map_err(invalid)?;
        let parser = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle);
        for quad in parser.for_slice(text.as_bytes()).flatten() {
            graph.insert(&oxigraph::model::Triple::from(quad));
        }
    }
    crate::standards::shacl::Shapes::parse(&graph).map_err(|source| ShapeSetError::Invalid {
        name: names.join("+"),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_found_by_plain_names_only() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("ontologies");
        assert_eq!(
            names(&folder),
            [
                "city-profile",
                "measurement",
                "observation",
                "provenance",
                "sensor",
                "use-case"
            ]
        );
        assert!(text(&folder, "observation").is_some_and(|t| t.contains("sh:NodeShape")));
        for bad in ["../observation", "", "a/b", "observation.ttl"] {
            assert!(text(&folder, bad).is_none(), "{bad}");
        }
        assert!(load(&folder, &["observation".into(), "sensor".into()]).is_ok());
        assert!(matches!(
            load(&folder, &["nope".into()]),
            Err(ShapeSetError::Unknown { .. })
        ));
        let missing = Path::new("/nonexistent");
        assert_eq!(names(missing).len(), 6);
        assert!(text(missing, "sensor").is_some(), "the built-in copy");
    }
}
