//! The JSON text of request bodies, written by hand (no serde_json: it would cost wasm
//! size for two small objects). Private to the core.

use super::error::push_decimal;
use alloc::string::String;

/// Appends `s` as a JSON string literal.
pub(crate) fn push_json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A JSON object under construction.
pub(crate) struct JsonObject(String);

impl JsonObject {
    pub(crate) fn new() -> Self {
        JsonObject(String::from("{"))
    }
    fn key(&mut self, k: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        push_json_string(&mut self.0, k);
        self.0.push(':');
        &mut self.0
    }
    pub(crate) fn string(&mut self, k: &str, v: &str) {
        let out = self.key(k);
        push_json_string(out, v);
    }
    pub(crate) fn strings(&mut self, k: &str, v: &[String]) {
        let out = self.key(k);
        out.push('[');
        for (i, s) in v.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json_string(out, s);
        }
        out.push(']');
    }
    pub(crate) fn number(&mut self, k: &str, v: u64) {
        let out = self.key(k);
        push_decimal(out, v);
    }
    pub(crate) fn raw(&mut self, k: &str, json: &str) {
        self.key(k).push_str(json);
    }
    pub(crate) fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        let mut out = String::new();
        push_json_string(&mut out, "a\"b\n\u{1}\ttab ü\u{7f}\\");
        assert_eq!(out, "\"a\\\"b\\n\\u0001\\ttab ü\u{7f}\\\\\"");
    }

    #[test]
    fn objects_are_written_in_order() {
        let mut o = JsonObject::new();
        o.string("a", "x");
        o.strings("b", &["y".into(), "z".into()]);
        o.number("c", 42);
        o.raw("d", "{}");
        assert_eq!(o.finish(), r#"{"a":"x","b":["y","z"],"c":42,"d":{}}"#);
    }
}
