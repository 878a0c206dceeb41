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

#[test]
fn the_operations_file_is_generated_from_the_operation_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/pkg-template/js/ops.js");
    let on_disk = std::fs::read_to_string(path).expect("pkg-template/js/ops.js");
    assert_eq!(
        on_disk,
        eka_voice::proto::operations_js(),
        "pkg-template/js/ops.js is stale: run `cargo run --example seam`"
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
fn the_recorders_typed_options_are_its_rules_and_its_own() {
    let dts = include_str!("../pkg-template/recorder.d.ts");
    let mut typed = interface_keys(dts, "RecorderOptions");
    typed.sort();
    // The recorder's own options: recorder-options.js's `OWN` list (the ones that never cross).
    let js = include_str!("../pkg-template/js/recorder-options.js");
    let own = js
        .split("const OWN = [")
        .nth(1)
        .unwrap()
        .split(']')
        .next()
        .unwrap();
    let own = own
        .split(',')
        .map(|s| s.trim().trim_matches('\'').to_string());
    let mut declared: Vec<String> = eka_voice::proto::rule_defaults()
        .iter()
        .map(|(name, _)| name.to_string())
        .chain(own)
        .collect();
    declared.sort();
    assert_eq!(
        typed, declared,
        "recorder.d.ts RecorderOptions vs proto::seam's rules"
    );
}

/// Every error code of the core is in the `.d.ts` union `VoiceApiErrorCode` and has a row
/// in the package README's table of codes: a code added in Rust cannot go undocumented.
#[test]
fn every_error_code_is_typed_and_documented() {
    let dts = include_str!("../pkg-template/index.d.ts");
    let start = dts
        .find("export type VoiceApiErrorCode =")
        .expect("the union");
    let union = &dts[start..start + dts[start..].find("';").expect("its end") + 1];
    let readme = include_str!("../pkg-template/README.md");
    for code in eka_voice::proto::ErrorCode::ALL {
        let name = code.as_str();
        assert!(
            union.contains(&format!("| '{name}'")),
            "{name} is not in index.d.ts's VoiceApiErrorCode"
        );
        assert!(
            readme.contains(&format!("\n| `{name}` |")),
            "{name} has no row in pkg-template/README.md's table of codes"
        );
    }
}
