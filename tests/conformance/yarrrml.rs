//! YARRRML pairs: the model translated from the YARRRML file(s) must equal the model parsed from
//! the RML the reference parser makes of them, both in canonical form (which ignores names the
//! parser picks and the order of statements, see `citykg::pipeline::mapping::canonical`).

use std::path::Path;

use citykg::pipeline::mapping::canonical::canonical;
use citykg::pipeline::mapping::yarrrml::{self, YarrrmlOptions, YarrrmlTarget};
use serde_json::Value;

pub fn run_case(root: &Path, case: &Value) -> Result<(), String> {
    let dir = root.join(case["dir"].as_str().unwrap_or_default());
    let expect_error = case["expected_error"].as_bool().unwrap_or(false);
    let pairs = case["pairs"].as_array().ok_or("no pairs")?;
    for pair in pairs {
        let mut documents = Vec::new();
        for file in pair["yarrrml"].as_array().ok_or("no yarrrml files")? {
            let name = file.as_str().unwrap_or_default();
            let text =
                std::fs::read_to_string(dir.join(name)).map_err(|e| format!("{name}: {e}"))?;
            documents.push((name.to_owned(), text));
        }
        let options = YarrrmlOptions {
            class: pair["parser_options"]["class"].as_bool().unwrap_or(false),
            target: match pair["target"].as_str() {
                Some("r2rml") => YarrrmlTarget::R2rml,
                _ => YarrrmlTarget::Rml,
            },
        };
        let borrowed: Vec<(&str, &str)> = documents
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let translated = yarrrml::parse_yarrrml_documents(&borrowed, &options);
        if expect_error {
            return match translated {
                Err(_) => Ok(()),
                Ok(_) => Err("translated, but the case expects an error".into()),
            };
        }
        let translated = translated.map_err(|e| format!("translation: {e}"))?;
        let expected_name = pair["expected_mapping"]
            .as_str()
            .ok_or("no expected mapping")?;
        let expected_text =
            std::fs::read_to_string(dir.join(expected_name)).map_err(|e| e.to_string())?;
        let expected = citykg::pipeline::mapping::rml::parse(
            &expected_text,
            Some("http://mapping.example.com/"),
        )
        .map_err(|e| format!("expected RML {expected_name}: {e}"))?;
        let (got, want) = (canonical(&translated), canonical(&expected));
        if got != want {
            return Err(format!(
                "{expected_name}: models differ\n    got:  {:?}\n    want: {:?}",
                first_difference(&got, &want).0,
                first_difference(&got, &want).1
            ));
        }
    }
    Ok(())
}

/// The first triples maps that differ, to keep failure messages readable.
fn first_difference(
    got: &citykg::pipeline::mapping::model::Mapping,
    want: &citykg::pipeline::mapping::model::Mapping,
) -> (String, String) {
    if got.triples_maps.len() != want.triples_maps.len() {
        return (
            format!("{} triples maps", got.triples_maps.len()),
            format!("{} triples maps", want.triples_maps.len()),
        );
    }
    for (g, w) in got.triples_maps.iter().zip(&want.triples_maps) {
        if g != w {
            return (format!("{g:?}"), format!("{w:?}"));
        }
    }
    (
        format!("core_semantics {}", got.core_semantics),
        format!("core_semantics {}", want.core_semantics),
    )
}
