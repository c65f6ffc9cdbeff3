//! The app's command list is written in three places that must agree: the
//! invoke handler (`collect_commands!` in `src/lib.rs`), the permissions
//! `build.rs` generates (`COMMANDS`), and what the window may call
//! (`capabilities/default.json`). A command missing from one of them is
//! either uncallable or callable without being meant to be.

use std::collections::BTreeSet;
use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect(rel)
}

/// The text between `open` and the next `close` after it.
fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).map(|i| i + open.len()).expect(open);
    let len = text[start..].find(close).expect(close);
    &text[start..start + len]
}

/// `collect_commands![enrol::app_info, …]` → `app_info`, …
fn handler_commands() -> BTreeSet<String> {
    between(&read("src/lib.rs"), "collect_commands![", "]")
        .split(',')
        .map(|p| p.trim().rsplit("::").next().unwrap_or("").to_owned())
        .filter(|c| !c.is_empty())
        .collect()
}

/// `const COMMANDS: &[&str] = &["app_info", …];` → `app_info`, …
fn build_commands() -> BTreeSet<String> {
    between(&read("build.rs"), "const COMMANDS: &[&str] = &[", "]")
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_owned())
        .filter(|c| !c.is_empty())
        .collect()
}

/// `"allow-app-info"` → `app_info`.
fn allowed_commands() -> BTreeSet<String> {
    let json: serde_json::Value =
        serde_json::from_str(&read("capabilities/default.json")).expect("capability json");
    json["permissions"]
        .as_array()
        .expect("permissions list")
        .iter()
        .map(|p| {
            let p = p.as_str().expect("permission is a string");
            let name = p
                .strip_prefix("allow-")
                .unwrap_or_else(|| panic!("permission {p:?} is not an app command's allow-…"));
            name.replace('-', "_")
        })
        .collect()
}

#[test]
fn lib_build_and_capability_list_the_same_commands() {
    let handler = handler_commands();
    assert!(
        handler.len() > 10,
        "parsed only {handler:?} from src/lib.rs"
    );
    assert_eq!(
        handler,
        build_commands(),
        "src/lib.rs collect_commands! and build.rs COMMANDS differ"
    );
    assert_eq!(
        handler,
        allowed_commands(),
        "src/lib.rs collect_commands! and capabilities/default.json differ"
    );
}
