//! The UI's TypeScript bindings are generated from the Rust commands and
//! checked in; this test fails when they are out of date.
//! `UPDATE_BINDINGS=1 cargo test -p feltlogg-app --test bindings` rewrites them.

use std::path::Path;

#[test]
fn typescript_bindings_are_current() {
    let checked_in = Path::new(env!("CARGO_MANIFEST_DIR")).join(feltlogg_app::BINDINGS_PATH);
    let dir = tempfile::tempdir().expect("temp dir");
    let fresh = dir.path().join("bindings.ts");
    feltlogg_app::export_bindings(&fresh).expect("export bindings");
    let fresh_text = std::fs::read_to_string(&fresh).expect("read fresh bindings");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&checked_in, &fresh_text).expect("write bindings");
        return;
    }
    let old = std::fs::read_to_string(&checked_in).unwrap_or_default();
    assert!(
        old == fresh_text,
        "ui/src/bindings.ts is out of date; run UPDATE_BINDINGS=1 cargo test -p feltlogg-app --test bindings and commit it"
    );
}
