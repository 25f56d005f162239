//! The built-in mappings: every mapping file under the `mappings/` folder (or, when it is absent,
//! the copies compiled into the binary), registered read-only as `builtin/{name}` where the name
//! is the file's path below the folder without its extensions (`builtin/readings-csv.yml` ->
//! `builtin/readings-csv`).

use std::path::Path;

use super::RegistryError;
use super::meta::MappingSyntax;

/// Built-ins compiled in, for the binary-only case: (path below `mappings/`, text).
const BUILTIN: &[(&str, &str)] = &[
    (
        "builtin/chirpstack-v4.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/chirpstack-v4.yml"
        )),
    ),
    (
        "builtin/datex2-v2.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/datex2-v2.yml"
        )),
    ),
    (
        "builtin/helium.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/helium.yml"
        )),
    ),
    (
        "builtin/loriot.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/loriot.yml"
        )),
    ),
    (
        "builtin/ngsi-v2-keyvalues.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/ngsi-v2-keyvalues.yml"
        )),
    ),
    (
        "builtin/ngsi-v2-normalized.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/ngsi-v2-normalized.yml"
        )),
    ),
    (
        "builtin/ngsi-ld-concise.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/ngsi-ld-concise.yml"
        )),
    ),
    (
        "builtin/ngsi-ld-normalized.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/ngsi-ld-normalized.yml"
        )),
    ),
    (
        "builtin/readings-csv.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/readings-csv.yml"
        )),
    ),
    (
        "builtin/sensor-community-csv.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/sensor-community-csv.yml"
        )),
    ),
    (
        "builtin/sensorthings.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/sensorthings.yml"
        )),
    ),
    (
        "builtin/thingpark.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/thingpark.yml"
        )),
    ),
    (
        "builtin/ttn-v2.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/ttn-v2.yml"
        )),
    ),
    (
        "builtin/ttn-v3.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/ttn-v3.yml"
        )),
    ),
    (
        "builtin/wot-td.yml",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/mappings/builtin/wot-td.yml"
        )),
    ),
];

/// One built-in mapping file.
pub struct Builtin {
    /// Always starts with `builtin/`.
    pub id: String,
    pub syntax: MappingSyntax,
    pub text: String,
}

pub fn read(folder: &Path) -> Result<Vec<Builtin>, RegistryError> {
    if !folder.is_dir() {
        return Ok(BUILTIN
            .iter()
            .filter_map(|(path, text)| builtin(Path::new(path), (*text).to_owned()))
            .collect());
    }
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let io = |source| RegistryError::Io {
            path: dir.clone(),
            source,
        };
        for entry in std::fs::read_dir(&dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let Ok(relative) = path.strip_prefix(folder) else {
                continue;
            };
            if syntax_of(relative).is_none() {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|source| RegistryError::Io {
                path: path.clone(),
                source,
            })?;
            found.extend(builtin(relative, text));
        }
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(found)
}

fn syntax_of(path: &Path) -> Option<MappingSyntax> {
    match path.extension()?.to_str()? {
        "ttl" => Some(MappingSyntax::Rml),
        "yml" | "yaml" | "yarrrml" => Some(MappingSyntax::Yarrrml),
        _ => None,
    }
}

fn builtin(relative: &Path, text: String) -> Option<Builtin> {
    let syntax = syntax_of(relative)?;
    let file = relative.file_name()?.to_str()?;
    let stem = file.split('.').next()?;
    let mut parts: Vec<String> = relative
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .filter_map(|c| c.as_os_str().to_str().map(str::to_owned))
        .collect();
    parts.push(stem.to_owned());
    if parts.first().is_some_and(|p| p == "builtin") {
        parts.remove(0);
    }
    Some(Builtin {
        id: format!("builtin/{}", parts.join("/")),
        syntax,
        text,
    })
}
