//! Reads camelCase JS option objects into Rust structs, checking every type: a wrong type is
//! an `invalid_argument` error naming the option (never its value, which could be a
//! token), and so is an option the call does not take (`createSession({ templateId })`).
//!
//! Every call's options are DECLARED once (in `options/decl.rs`), with the `options!`
//! macro: one line per option gives the Rust field, its JS name and its kind, and the
//! macro derives the struct, the spec the JS helper checks against (composed at compile
//! time) and the reads, in order. Groups shared by several calls (`Request`, `Retries`,
//! …) are spliced in with `..name: Group`. The checks run in one JS helper
//! (`readOptions`): one call for all options, where Rust would need a dozen imports per
//! option.
//!
//! | kind | the value must be | Rust type |
//! |---|---|---|
//! | `text` | a string | `Option<String>` |
//! | `flag` | a boolean | `Option<bool>` |
//! | `func` | a function | `Option<Function>` |
//! | `count` / `positive` | an integer ≥ 0 / ≥ 1, at most 2³²−1 | `Option<u32>` |
//! | `millis` / `millis1` | a number of milliseconds ≥ 0 / ≥ 1 (`Infinity`: no limit) | `Option<u64>` |
//! | `signal` | an `AbortSignal` (by shape, so that other realms' signals pass) | `Option<AbortSignal>` |
//! | `strings` / `strings_or_one` | an array of strings / the same, or one string | `Option<Vec<String>>` |
//! | `json` | a plain object, serialisable as JSON | `Option<Json>` |
//! | `object` | an object (its members are read by whoever uses it, once) | `Option<JsValue>` |

use alloc::{string::String, vec::Vec};
use js_sys::{Array, Function};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use super::js::read_options;
use crate::proto::Error;

/// Declares the options of a call (or a group of them): see the [module docs](self).
///
/// ```ignore
/// options! {
///     /// Options of `endSession`.
///     pub struct EndOptions {
///         ..call: CallOptions,
///         /// `audioFilesSent`.
///         audio_files_sent: count "audioFilesSent",
///     }
/// }
/// ```
macro_rules! options {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( ..$group:ident: $gty:ty, )*
            $( $(#[$fmeta:meta])* $field:ident: $kind:ident $key:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default)]
        pub struct $name {
            $(
                #[doc = concat!("The `", stringify!($gty), "` options.")]
                pub $group: $gty,
            )*
            $( $(#[$fmeta])* pub $field: $crate::wasm::options::option_type!($kind), )*
        }

        impl $crate::wasm::options::Group for $name {
            const SPEC: &'static str = {
                const PARTS: &[&str] = &[
                    $( <$gty as $crate::wasm::options::Group>::SPEC, )*
                    concat!($( $crate::wasm::options::option_letter!($kind), $key, " ", )*),
                ];
                const LEN: usize = $crate::wasm::options::spec_len(PARTS);
                const BYTES: [u8; LEN] = $crate::wasm::options::spec_join(PARTS);
                $crate::wasm::options::spec_str(&BYTES)
            };

            fn take(v: &$crate::wasm::options::Values, at: &mut u32) -> Self {
                // Field initialisers run in the order written: the order of SPEC.
                $name {
                    $( $group: <$gty as $crate::wasm::options::Group>::take(v, at), )*
                    $( $field: v.$kind($crate::wasm::options::next(at)), )*
                }
            }
        }
    };
}

/// The kind letter of the JS helper's spec for a kind name (see `options!`).
macro_rules! option_letter {
    (text) => {
        "s"
    };
    (flag) => {
        "b"
    };
    (func) => {
        "f"
    };
    (count) => {
        "n"
    };
    (positive) => {
        "p"
    };
    (millis) => {
        "m"
    };
    (millis1) => {
        "M"
    };
    (signal) => {
        "a"
    };
    (strings) => {
        "t"
    };
    (strings_or_one) => {
        "T"
    };
    (json) => {
        "j"
    };
    (object) => {
        "o"
    };
}

/// The Rust type of a kind (see `options!`).
macro_rules! option_type {
    (text) => { Option<alloc::string::String> };
    (flag) => { Option<bool> };
    (func) => { Option<js_sys::Function> };
    (count) => { Option<u32> };
    (positive) => { Option<u32> };
    (millis) => { Option<u64> };
    (millis1) => { Option<u64> };
    (signal) => { Option<web_sys::AbortSignal> };
    (strings) => { Option<alloc::vec::Vec<alloc::string::String>> };
    (strings_or_one) => { Option<alloc::vec::Vec<alloc::string::String>> };
    (json) => { Option<$crate::wasm::options::Json> };
    (object) => { Option<wasm_bindgen::JsValue> };
}

// The kind macros, by path for `options!`; `decl` comes after the definitions, where
// `options!` is in (textual) scope.
pub(crate) use {option_letter, option_type};

mod decl;
pub use decl::*;

/// Options declared with `options!`: their spec and how they are read.
pub trait Group: Sized {
    /// The spec the JS helper checks the options against: `<kind letter><key> ` entries.
    const SPEC: &'static str;
    /// Reads the values of this group from `v`, starting at `*at` (advanced past them).
    fn take(v: &Values, at: &mut u32) -> Self;
}

/// A plain object option, as the JS helper serialised it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Json {
    /// Its JSON text.
    pub text: String,
    /// Whether it has an own `_protocol` key (the service reserves it in `additional_data`).
    pub has_protocol: bool,
}

/// Reads the options object `o` (`undefined` / `null` read as empty) as `T`: one call to the
/// JS helper checks every type and refuses the options `T` does not declare.
pub fn read<T: Group>(o: &JsValue) -> Result<T, Error> {
    Ok(T::take(&values(o, T::SPEC)?, &mut 0))
}

/// The values of `o` by `spec` (not generic: one copy in the wasm for every call).
fn values(o: &JsValue, spec: &str) -> Result<Values, Error> {
    read_options(o, spec).map(Values).map_err(|e| {
        Error::invalid_argument(
            e.as_string()
                .unwrap_or_else(|| String::from("options could not be read")),
        )
    })
}

/// The index of the next value, advancing `at`.
pub fn next(at: &mut u32) -> u32 {
    *at += 1;
    *at - 1
}

/// The total length of spec parts (compile time).
pub const fn spec_len(parts: &[&str]) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < parts.len() {
        n += parts[i].len();
        i += 1;
    }
    n
}

/// Spec parts joined (compile time).
pub const fn spec_join<const N: usize>(parts: &[&str]) -> [u8; N] {
    let mut out = [0u8; N];
    let (mut i, mut at) = (0, 0);
    while i < parts.len() {
        let b = parts[i].as_bytes();
        let mut j = 0;
        while j < b.len() {
            out[at] = b[j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

/// Joined spec bytes as text (compile time; they are ASCII).
pub const fn spec_str(bytes: &'static [u8]) -> &'static str {
    match core::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(_) => panic!("an option spec must be text"),
    }
}

/// An options object read by [`read`]: one value per spec entry, `undefined` where the
/// option was absent (or `null`). Each reader matches a kind of `options!`.
pub struct Values(Array);

impl Values {
    fn get(&self, i: u32) -> JsValue {
        self.0.get(i)
    }

    /// `text`.
    pub fn text(&self, i: u32) -> Option<String> {
        self.get(i).as_string()
    }

    /// `flag`.
    pub fn flag(&self, i: u32) -> Option<bool> {
        self.get(i).as_bool()
    }

    /// `func` (the helper checked `typeof`: no `instanceof`, which would run a Proxy's
    /// `getPrototypeOf` trap inside the wasm).
    pub fn func(&self, i: u32) -> Option<Function> {
        let v = self.get(i);
        (!v.is_undefined()).then(|| v.unchecked_into())
    }

    /// `count`.
    pub fn count(&self, i: u32) -> Option<u32> {
        self.get(i).as_f64().map(|n| n as u32)
    }

    /// `positive`.
    pub fn positive(&self, i: u32) -> Option<u32> {
        self.count(i)
    }

    /// `millis`, rounded up; `Infinity` is `u64::MAX`.
    pub fn millis(&self, i: u32) -> Option<u64> {
        self.get(i).as_f64().map(|n| {
            let whole = n as u64; // saturates: Infinity -> u64::MAX
            if (whole as f64) < n {
                whole.saturating_add(1)
            } else {
                whole
            }
        })
    }

    /// `millis1`.
    pub fn millis1(&self, i: u32) -> Option<u64> {
        self.millis(i)
    }

    /// `signal`.
    pub fn signal(&self, i: u32) -> Option<AbortSignal> {
        let v = self.get(i);
        (!v.is_undefined()).then(|| v.unchecked_into())
    }

    /// `strings` (the helper's own copy of the caller's array).
    pub fn strings(&self, i: u32) -> Option<Vec<String>> {
        let v = self.get(i);
        let a = v.dyn_ref::<Array>()?;
        Some(
            a.iter()
                .map(|s| s.as_string().unwrap_or_default())
                .collect(),
        )
    }

    /// `strings_or_one`.
    pub fn strings_or_one(&self, i: u32) -> Option<Vec<String>> {
        self.strings(i)
    }

    /// `object`.
    pub fn object(&self, i: u32) -> Option<JsValue> {
        let v = self.get(i);
        (!v.is_undefined()).then_some(v)
    }

    /// `json`: the helper's `[text, hasProtocol]`.
    pub fn json(&self, i: u32) -> Option<Json> {
        let v = self.get(i);
        let a = v.dyn_ref::<Array>()?;
        Some(Json {
            text: a.get(0).as_string()?,
            has_protocol: a.get(1).is_truthy(),
        })
    }
}
