//! ARCHITECTURE.md stays a true map: every module file under src/ is named in it.

use std::path::Path;

fn module_paths(dir: &Path, root: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            module_paths(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(
                path.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

#[test]
fn every_source_module_is_named_in_architecture_md() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let map = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut modules = Vec::new();
    module_paths(&root.join("src"), root, &mut modules);
    let missing: Vec<&String> = modules
        .iter()
        .filter(|m| {
            let file = Path::new(m.as_str())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let dir = Path::new(m.as_str())
                .parent()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            // Named by full path, or by file name in a row that starts with its folder.
            let by_path = map.contains(m.as_str());
            let by_folder_and_name = map.contains(&format!("`{dir}/")) && map.contains(&file);
            !(by_path || by_folder_and_name)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md does not name: {missing:?}"
    );
}
