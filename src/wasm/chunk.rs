//! Audio chunks from JS: a `Blob` (or `File`), an `ArrayBuffer` or any `ArrayBufferView`
//! (`Uint8Array`, Node's `Buffer`, …). Reads what the core needs to name the chunk (its
//! size, MIME type and first bytes) and prepares a body that fetch sends as is, with no
//! `Content-Type` (a Blob is re-sliced without its type: the service's allow-list
//! rejects common values such as `audio/webm`).

use alloc::{string::String, vec::Vec};
use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag};

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

fn not_a_chunk() -> Error {
    Error::invalid_argument("an audio chunk must be a Blob, an ArrayBuffer or a Uint8Array")
}

/// The size of a chunk value without reading it (for progress totals).
pub fn size_of(v: &JsValue) -> Option<u64> {
    if let Some(b) = v.dyn_ref::<Blob>() {
        Some(b.size() as u64)
    } else if let Some(a) = v.dyn_ref::<ArrayBuffer>() {
        Some(u64::from(a.byte_length()))
    } else if ArrayBuffer::is_view(v) {
        js_sys::Reflect::get(v, &"byteLength".into())
            .ok()?
            .as_f64()
            .map(|n| n as u64)
    } else {
        None
    }
}

/// Reads a chunk value; checks its type and size (not empty, at most 10 MiB).
pub async fn read(v: &JsValue) -> Result<Chunk, Error> {
    let chunk = if let Some(blob) = v.dyn_ref::<Blob>() {
        let size = blob.size() as u64;
        check_chunk_size(size)?;
        let head_blob = blob
            .slice_with_f64_and_f64(0.0, SNIFF_BYTES as f64)
            .map_err(|_| not_a_chunk())?;
        let head = JsFuture::from(head_blob.array_buffer())
            .await
            .map_err(|_| Error::invalid_argument("the audio Blob could not be read"))?;
        let mime = Some(blob.type_()).filter(|t| !t.is_empty());
        let body = blob
            .slice_with_f64_and_f64(0.0, size as f64)
            .map_err(|_| not_a_chunk())?;
        Chunk {
            body: body.into(),
            size,
            mime,
            head: Uint8Array::new(&head).to_vec(),
        }
    } else {
        let bytes = if let Some(buf) = v.dyn_ref::<ArrayBuffer>() {
            Uint8Array::new(buf)
        } else if ArrayBuffer::is_view(v) {
            let get = |k: &str| {
                js_sys::Reflect::get(v, &k.into())
                    .ok()
                    .and_then(|n| n.as_f64())
                    .unwrap_or(0.0) as u32
            };
            let buffer: ArrayBuffer = js_sys::Reflect::get(v, &"buffer".into())
                .ok()
                .and_then(|b| b.dyn_into().ok())
                .ok_or_else(not_a_chunk)?;
            Uint8Array::new_with_byte_offset_and_length(
                &buffer,
                get("byteOffset"),
                get("byteLength"),
            )
        } else {
            return Err(not_a_chunk());
        };
        let size = u64::from(bytes.length());
        check_chunk_size(size)?;
        let head = bytes
            .subarray(0, bytes.length().min(SNIFF_BYTES as u32))
            .to_vec();
        Chunk {
            body: bytes.into(),
            size,
            mime: None,
            head,
        }
    };
    Ok(chunk)
}

/// The chunk as a typed Blob, for the file part of a presigned (multipart) upload.
pub fn as_typed_blob(chunk: &Chunk, mime: &str) -> Result<Blob, JsValue> {
    let parts = Array::of1(&chunk.body);
    let bag = BlobPropertyBag::new();
    bag.set_type(mime);
    Blob::new_with_blob_sequence_and_options(&parts, &bag)
}
