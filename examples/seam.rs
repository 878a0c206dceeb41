//! Writes the JS files generated from the Rust declarations: `pkg-template/js/recorder-seam.js`
//! (`eka_voice::proto::seam`) and `pkg-template/js/ops.js` (the operation table,
//! `eka_voice::proto::ops`): `cargo run --example seam`.

// A host program (the recorder's modules are host- and recorder-module-only on wasm32).
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/pkg-template/js/recorder-seam.js"
    );
    std::fs::write(path, eka_voice::proto::recorder_seam_js()).expect("write recorder-seam.js");
    println!("wrote {path}");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/pkg-template/js/ops.js");
    std::fs::write(path, eka_voice::proto::operations_js()).expect("write ops.js");
    println!("wrote {path}");
}
