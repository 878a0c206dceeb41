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

/// The property names of `export interface <name>` in a `.d.ts` text (its own level only).
fn interface_keys(dts: &str, name: &str) -> Vec<String> {
    let head = format!("export interface {name} {{");
    let start = dts.find(&head).expect("the interface") + head.len();
    let body = &dts[start..start + dts[start..].find("\n}").expect("its end")];
    body.lines()
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|p| p.starts_with(|c: char| c.is_ascii_alphabetic()))
        .map(|p| p[..p.find(['?', ':', '(']).unwrap_or(p.len())].to_string())
        .collect()
}

#[test]
fn the_recorders_typed_options_are_its_rules_and_its_own_two() {
    let dts = include_str!("../pkg-template/recorder.d.ts");
    let mut typed = interface_keys(dts, "RecorderOptions");
    typed.sort();
    let mut declared: Vec<String> = eka_voice::proto::rule_defaults()
        .iter()
        .map(|(name, _)| name.to_string())
        .chain(["deviceId".to_string(), "wasmUrl".to_string()])
        .collect();
    declared.sort();
    assert_eq!(
        typed, declared,
        "recorder.d.ts RecorderOptions vs proto::seam's rules"
    );
}
