//! JSON bodies into models, naming the field where decoding stopped.

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Decodes a whole JSON body, naming the field where it went wrong.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::decode("the response body is empty, expected JSON"));
    }
    // The path costs a second decode, on the error path only.
    serde_json::from_slice(body).map_err(|e| {
        let de = &mut serde_json::Deserializer::from_slice(body);
        let path = serde_path_to_error::deserialize::<_, T>(de).err();
        Error::decode_json(&e, path.map_or_else(String::new, |p| p.path().to_string()))
    })
}

/// Decodes a `{"data": …}` answer and returns its `data` member.
pub(crate) fn decode_data<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    #[derive(serde::Deserialize)]
    struct Envelope<T> {
        data: T,
    }
    decode::<Envelope<T>>(body).map(|envelope| envelope.data)
}
