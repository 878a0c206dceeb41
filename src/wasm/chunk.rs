//! Audio chunks from JS: a `Blob` (or `File`), an `ArrayBuffer`, a `SharedArrayBuffer` or
//! any `ArrayBufferView` (`Uint8Array`, Node's `Buffer`, …). A chunk is TAKEN when the call
//! receives it ([`take`], synchronous): the bytes of a buffer or a view are copied then —
//! what the call uploads, and retries, is what the buffer held at that moment, whatever
//! the caller does with it afterwards — and a Blob (immutable) is re-sliced without its
//! type (the service's allow-list rejects common values such as `audio/webm`). Only the
//! platform's own getters are used: a Proxy, or an object whose getters lie or throw, is
//! not a chunk. Then [`Taken::read`] reads what the core needs to name it (its first
//! bytes).

use alloc::{string::String, vec::Vec};
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::js;
use crate::proto::{check_chunk_size, Error, ErrorCode, SNIFF_BYTES};

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

/// A chunk taken from the caller, its size checked (not empty, at most 10 MiB).
pub struct Taken {
    body: JsValue,
    size: u64,
    mime: Option<String>,
}

/// Takes a chunk value now (see the module docs).
pub fn take(v: &JsValue) -> Result<Taken, Error> {
    let Some(t) = js::take_chunk(v) else {
        return Err(Error::invalid_argument(
            "an audio chunk must be a Blob, an ArrayBuffer or a Uint8Array",
        ));
    };
    let size = t.size() as u64;
    check_chunk_size(size)?;
    let mime = t.mime();
    Ok(Taken {
        body: t.body(),
        size,
        mime: (!mime.is_empty()).then_some(mime),
    })
}

impl Taken {
    /// The size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Reads the first bytes (a Blob is read asynchronously).
    pub async fn read(self) -> Result<Chunk, Error> {
        let head = JsFuture::from(js::chunk_head(&self.body, SNIFF_BYTES as u32))
            .await
            .map_err(|_| Error::new(ErrorCode::InvalidAudio, "the audio Blob could not be read"))?;
        Ok(Chunk {
            body: self.body,
            size: self.size,
            mime: self.mime,
            head: head.unchecked_into::<Uint8Array>().to_vec(),
        })
    }
}
