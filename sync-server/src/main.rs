//! `feltlogg-server`: the sync server (being built; see the sync issue).

fn main() {
    println!("feltlogg-server {}", env!("CARGO_PKG_VERSION"));
}
