//! Writes `lib/protocol.js` from the Rust definitions (`npm run protocol`).

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = root
        .canonicalize()
        .expect("repository root")
        .join("lib/protocol.js");
    std::fs::write(&path, sluice_core::protocol::render_js()).expect("write lib/protocol.js");
    println!("wrote {}", path.display());
}
