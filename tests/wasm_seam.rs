//! The seam between Rust and TypeScript: the option names each call takes are declared once,
//! in Rust (`src/wasm/options/decl.rs`, the `options!` specs the JS helper checks every call
//! against); the `.d.ts` the package ships must name exactly those, interface by interface
//! (`extends` and `Omit<…>` followed). A knob added in Rust and forgotten in the types — or
//! typed and never read — fails here.
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeSet;

use eka_voice::wasm::options::*;
use wasm_bindgen_test::*;

const DTS: &str = include_str!("../pkg-template/index.d.ts");

/// The keys of a spec (`<kind letter><key> ` entries).
fn spec_keys(spec: &str) -> BTreeSet<String> {
    spec.split(' ')
        .filter(|e| !e.is_empty())
        .map(|e| e[1..].to_string())
        .collect()
}

/// The property names of `export interface <name>`, with those of what it extends.
fn dts_keys(name: &str) -> BTreeSet<String> {
    let head = format!("export interface {name} ");
    let start = DTS
        .find(&head)
        .unwrap_or_else(|| panic!("no interface {name} in index.d.ts"));
    let rest = &DTS[start + head.len()..];
    let open = rest.find('{').unwrap();
    let mut keys = BTreeSet::new();
    if let Some(parents) = rest[..open].trim().strip_prefix("extends ") {
        for parent in split_top(parents) {
            keys.extend(parent_keys(parent.trim()));
        }
    }
    let body = &rest[open + 1..rest.find("\n}").unwrap()];
    for line in body.lines() {
        // A property at the interface's own level: two spaces, a name, `?:` or `:`.
        let Some(p) = line.strip_prefix("  ") else {
            continue;
        };
        if p.starts_with(' ') || p.starts_with('/') || p.starts_with('*') {
            continue;
        }
        let end = p.find(['?', ':', '(']).unwrap_or(p.len());
        let key = &p[..end];
        if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric()) {
            keys.insert(key.to_string());
        }
    }
    keys
}

/// `A` or `Omit<A, 'x' | 'y'>`.
fn parent_keys(parent: &str) -> BTreeSet<String> {
    match parent
        .strip_prefix("Omit<")
        .and_then(|p| p.strip_suffix('>'))
    {
        None => dts_keys(parent),
        Some(inner) => {
            let (base, omitted) = inner.split_once(',').unwrap();
            let mut keys = dts_keys(base.trim());
            for o in omitted.split('|') {
                keys.remove(o.trim().trim_matches('\''));
            }
            keys
        }
    }
}

/// Splits `A, Omit<B, 'x'>` at its top-level commas.
fn split_top(s: &str) -> Vec<&str> {
    let (mut out, mut depth, mut from) = (Vec::new(), 0, 0);
    for (i, c) in s.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[from..]);
    out
}

#[wasm_bindgen_test]
fn every_calls_typed_options_are_the_options_it_reads() {
    let pairs = [
        ("ClientOptions", ClientOptions::SPEC),
        ("GetOptions", GetOptions::SPEC),
        ("PollOptions", PollOptions::SPEC),
        ("CallOptions", CallOptions::SPEC),
        ("CreateSessionOptions", CreateArgs::SPEC),
        ("UploadOptions", UploadOptions::SPEC),
        ("EndOptions", EndOptions::SPEC),
        ("TranscribeOptions", TranscribeOptions::SPEC),
    ];
    for (name, spec) in pairs {
        let (typed, read) = (dts_keys(name), spec_keys(spec));
        let untyped: Vec<_> = read.difference(&typed).collect();
        let unread: Vec<_> = typed.difference(&read).collect();
        assert!(
            untyped.is_empty() && unread.is_empty(),
            "{name}: read but not typed {untyped:?}; typed but not read {unread:?}"
        );
    }
    // The table's other operations read one spec (OpOptions); the types split it by what
    // each operation takes: together exactly the spec.
    let mut typed = dts_keys("WaitOptions");
    typed.extend(dts_keys("SessionsOptions"));
    assert_eq!(
        typed,
        spec_keys(OpOptions::SPEC),
        "WaitOptions + SessionsOptions vs OpOptions"
    );
    // The hooks a durable store must have: the typed interface, exactly.
    let hooks: BTreeSet<String> = eka_voice::wasm::durable::DURABLE_HOOKS
        .iter()
        .map(|h| h.to_string())
        .collect();
    assert_eq!(
        dts_keys("DurableStore"),
        hooks,
        "DurableStore vs DURABLE_HOOKS"
    );
    // The parser sees what it should (a sanity check of the check).
    assert!(dts_keys("TranscribeOptions").contains("durable"));
    assert!(
        !dts_keys("TranscribeOptions").contains("onProgress")
            || spec_keys(TranscribeOptions::SPEC).contains("onProgress")
    );
}

/// The methods of `class VoiceClient` in index.d.ts.
fn dts_methods() -> BTreeSet<String> {
    let start = DTS.find("export declare class VoiceClient {").unwrap();
    let body = &DTS[start..start + DTS[start..].find("\n}").unwrap()];
    body.lines()
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|p| p.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|p| p.split_once('(').map(|(name, _)| name.to_string()))
        .collect()
}

#[wasm_bindgen_test]
fn every_operation_of_the_table_is_a_typed_method() {
    let methods = dts_methods();
    // The auth API's rows are `ClientCredentials.getToken`'s (server.d.ts), not the client's.
    let auth = [
        eka_voice::proto::Op::Login,
        eka_voice::proto::Op::RefreshToken,
    ];
    for row in eka_voice::proto::OPS
        .iter()
        .filter(|r| !auth.contains(&r.op))
    {
        assert!(
            methods.contains(row.name),
            "{} is not a method of VoiceClient in index.d.ts",
            row.name
        );
    }
    // The generated JS names the same rows (ops.js, checked fresh by tests/seam_files.rs).
    let ops_js = include_str!("../pkg-template/js/ops.js");
    for row in eka_voice::proto::OPS.iter() {
        let own = eka_voice::proto::OWN_METHODS.contains(&row.op);
        assert_eq!(
            ops_js.contains(&format!("['{}',", row.name)),
            !own,
            "{}",
            row.name
        );
    }
}
