//! JSON bodies into models, naming the field where decoding stopped.

use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error, Result};

/// Decodes a whole JSON body, naming the field where it went wrong.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Decode(DecodeError::new(
            "the response body is empty, expected JSON",
        )));
    }
    serde_json::from_slice(body).map_err(|e| Error::Decode(DecodeError::from_json(e, body)))
}

/// Decodes a `{"data": …}` answer and returns its `data` member.
pub(crate) fn decode_data<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    #[derive(serde::Deserialize)]
    struct Envelope<T> {
        data: T,
    }
    decode::<Envelope<T>>(body).map(|envelope| envelope.data)
}
