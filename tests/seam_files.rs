//! The JS side of the recorder's seam is generated from the Rust declarations
//! (`proto::seam`): the file in the repository must be what they give today. After changing
//! them: `cargo run --example seam`.
#![cfg(not(target_arch = "wasm32"))]

#[test]
fn the_recorder_seam_file_is_generated_from_the_rust_declarations() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/pkg-template/js/recorder-seam.js"
    );
    let on_disk = std::fs::read_to_string(path).expect("pkg-template/js/recorder-seam.js");
    assert_eq!(
        on_disk,
        eka_voice::proto::recorder_seam_js(),
        "pkg-template/js/recorder-seam.js is stale: run `cargo run --example seam`"
    );
}
