//! Host tests of the sans-IO core: URL policy, Retry-After, backoff, the answer table
//! and the polling machine under a virtual clock. They also build for wasm32, where they
//! run under wasm-bindgen-test.

mod classify;
mod credentials;
mod deadlines;
mod discovery;
mod ops;
mod poll;
#[cfg(any(feature = "server", not(target_arch = "wasm32")))]
mod proxy;
mod refresh;
mod timing;
mod url;
mod webhook;

use eka_voice::proto::BodyFacts;

pub(crate) fn facts(status: &str) -> BodyFacts {
    BodyFacts {
        object: true,
        status: Some(status.into()),
        ..Default::default()
    }
}

pub(crate) fn err_facts(code: &str, msg: &str) -> BodyFacts {
    BodyFacts {
        object: true,
        api_code: Some(code.into()),
        message: Some(msg.into()),
        ..Default::default()
    }
}
