//! Audio chunks from JS: a `Blob` (or `File`), an `ArrayBuffer` or any `ArrayBufferView`
//! (`Uint8Array`, Node's `Buffer`, …). Reads what the core needs to name the chunk (its
//! size, MIME type and first bytes) and prepares a body that fetch sends as is, with no
//! `Content-Type` (a Blob is re-sliced without its type: the service's allow-list
//! rejects common values such as `audio/webm`).

use alloc::{string::String, vec::Vec};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::js;
use crate::proto::{check_chunk_size, Error, SNIFF_BYTES};

/// A chunk ready to upload.
pub struct Chunk {
    /// The raw body: a type-less Blob or a byte view.
    pub body: JsValue,
    /// Size in bytes.
    pub size: u64,
    /// The Blob's MIME type, when it had one.
    pub mime: Option<String>,
    /// The first bytes (for format sniffing).
    pub head: Vec<u8>,
}

/// Reads a chunk value; checks its type and size (not empty, at most 10 MiB). The bytes of
/// an `ArrayBuffer` or a view are copied now (what the call uploads, and retries, is what
/// the buffer held when it was made); a Blob is immutable and only re-sliced.
pub async fn read(v: &JsValue) -> Result<Chunk, Error> {
    let read = JsFuture::from(js::read_chunk(v, SNIFF_BYTES as u32)).await;
    let a: Array = read
        .map_err(|e| match e.as_f64() {
            Some(1.0) => Error::invalid_argument("the audio Blob could not be read"),
            _ => Error::invalid_argument(
                "an audio chunk must be a Blob, an ArrayBuffer or a Uint8Array",
            ),
        })?
        .unchecked_into();
    let size = a.get(1).as_f64().unwrap_or(0.0) as u64;
    check_chunk_size(size)?;
    Ok(Chunk {
        body: a.get(0),
        size,
        mime: a.get(2).as_string().filter(|t| !t.is_empty()),
        head: a.get(3).unchecked_into::<Uint8Array>().to_vec(),
    })
}
