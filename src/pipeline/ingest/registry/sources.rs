//! Which source the request body feeds, and which other sources a registered mapping may read.
//!
//! The payload source is the file source whose path is `payload` or whose file stem is `payload`
//! (`payload.json`, `data/payload.csv`); failing that, the only distinct file source when there is
//! one. Every other source must be a relative path that stays inside the reference-data folder:
//! an absolute path, a `..` that climbs out, or a URL is refused. Database and other non-file
//! sources are refused by the checker already (`Purpose::Run`). Pure: reads no file.

use std::collections::BTreeSet;
use std::path::{Component, Path};

use crate::pipeline::mapping::model::{Mapping, Source};
use crate::pipeline::mapping::{Diagnostic, Location};

/// The sources of a mapping, sorted out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePlan {
    pub payload: String,
    /// Every distinct file source path, the payload included.
    pub all: Vec<String>,
}

/// Finds the payload source and checks every other one; every problem at once.
pub fn plan(
    mapping: &Mapping,
    reference_data: Option<&Path>,
) -> Result<SourcePlan, Vec<Diagnostic>> {
    let mut all = BTreeSet::new();
    let mut first_map = Vec::new();
    for map in &mapping.triples_maps {
        if let Source::File(file) = &map.logical_source.source
            && all.insert(file.path.clone())
        {
            first_map.push((file.path.clone(), map.name.to_string()));
        }
    }
    let named: Vec<&String> = all.iter().filter(|p| is_payload_name(p)).collect();
    let payload = match (named.as_slice(), all.len()) {
        ([one], _) => (*one).clone(),
        ([], 1) => all.iter().next().cloned().unwrap_or_default(),
        ([], _) => {
            return Err(vec![Diagnostic::new(
                format!(
                    "cannot tell which source the request body feeds among {}; name it `payload` (e.g. payload.json)",
                    all.iter()
                        .map(|p| format!("{p:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Location::default(),
            )]);
        }
        (several, _) => {
            return Err(vec![Diagnostic::new(
                format!(
                    "several sources are named payload ({}); keep one",
                    several
                        .iter()
                        .map(|p| format!("{p:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Location::default(),
            )]);
        }
    };
    let problems: Vec<Diagnostic> = first_map
        .iter()
        .filter(|(path, _)| *path != payload)
        .filter_map(|(path, map)| {
            reference_problem(path, reference_data).map(|message| {
                Diagnostic::new(
                    message,
                    Location::in_map(map).with_term_map("logical source"),
                )
            })
        })
        .collect();
    if problems.is_empty() {
        Ok(SourcePlan {
            payload,
            all: all.into_iter().collect(),
        })
    } else {
        Err(problems)
    }
}

fn is_payload_name(path: &str) -> bool {
    path == "payload"
        || Path::new(path)
            .file_stem()
            .is_some_and(|stem| stem == "payload")
}

/// Why a non-payload source may not be read, if it may not.
fn reference_problem(path: &str, reference_data: Option<&Path>) -> Option<String> {
    if looks_like_url(path) {
        return Some(format!(
            "the source {path:?} is a URL; registered mappings read only the request body and files under the reference-data folder"
        ));
    }
    let as_path = Path::new(path);
    if as_path.is_absolute() || path.starts_with('/') || path.starts_with('\\') {
        return Some(format!(
            "the source {path:?} is an absolute path; give a path relative to the reference-data folder"
        ));
    }
    if as_path
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Some(format!(
            "the source {path:?} leaves the reference-data folder; remove the `..`"
        ));
    }
    if reference_data.is_none() {
        return Some(format!(
            "the source {path:?} is neither the payload nor allowed: no reference-data folder is configured (--reference-data)"
        ));
    }
    None
}

/// `scheme:` with a scheme of two or more letters (one letter is a Windows drive).
fn looks_like_url(path: &str) -> bool {
    path.split_once(':').is_some_and(|(scheme, _)| {
        scheme.len() > 1
            && scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_paths_must_stay_inside_the_folder() {
        let folder = Some(Path::new("/data/reference-data"));
        for (path, allowed) in [
            ("sensors.csv", true),
            ("registry/sensors.csv", true),
            ("./sensors.csv", true),
            ("../secrets.csv", false),
            ("a/../../b.csv", false),
            ("/etc/passwd", false),
            ("http://example.com/x.csv", false),
            ("file:///etc/passwd", false),
        ] {
            assert_eq!(reference_problem(path, folder).is_none(), allowed, "{path}");
        }
        assert!(reference_problem("sensors.csv", None).is_some());
    }

    #[test]
    fn payload_names_are_recognised() {
        for (path, payload) in [
            ("payload", true),
            ("payload.json", true),
            ("in/payload.csv", true),
            ("payloads.json", false),
        ] {
            assert_eq!(is_payload_name(path), payload, "{path}");
        }
    }
}
