//! Prints the corpus sentences the screen gets wrong, for one class:
//! `SCREEN_CLASS=name_full cargo test -p feltlogg-core --test screen_corpus_dump -- --nocapture`.
//! Without SCREEN_CLASS it prints nothing and passes.

mod screen_corpus;

#[test]
fn dump_misses() {
    let Ok(class) = std::env::var("SCREEN_CLASS") else {
        return;
    };
    for s in screen_corpus::corpus(9, 150)
        .iter()
        .filter(|s| s.class == class)
    {
        let found = feltlogg_core::screen::find_personal_data(&s.text);
        let hit = if s.expect.is_empty() {
            !found.is_empty()
        } else {
            found.iter().any(|f| s.expect.contains(&f.kind))
        };
        if hit == s.expect.is_empty() {
            println!("{:?} -> {:?}", s.text, found);
        }
    }
}
