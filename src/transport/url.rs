//! URL, path-segment and query encoding.

use crate::error::{Error, InvalidRequestKind, Result};

/// `{base}/{path}?{query}`, every query key and value percent-encoded.
pub(super) fn url(base_url: &str, path: &str, query: &[(&str, String)]) -> String {
    let mut url = String::with_capacity(base_url.len() + path.len() + 1 + query.len() * 32);
    url.push_str(base_url);
    url.push('/');
    url.push_str(path);
    for (i, (key, value)) in query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        encode_into(key, &mut url);
        url.push('=');
        encode_into(value, &mut url);
    }
    url
}

/// The query of a request: the parameters the caller set, in order. Unset
/// ones (`None`) never reach the wire.
pub(crate) fn set_params<const N: usize>(
    params: [(&'static str, Option<String>); N],
) -> Vec<(&'static str, String)> {
    params
        .into_iter()
        .filter_map(|(key, value)| Some((key, value?)))
        .collect()
}

/// `{collection}/{id}{suffix}`, with `id` percent-encoded as exactly one path
/// segment; `what` names the id in the error for an empty one.
///
/// Built by hand, not with `format!`: this runs on every single-item call and the
/// formatting machinery cost more than the rest of the URL handling together.
pub(crate) fn item_path(collection: &str, what: &str, id: &str, suffix: &str) -> Result<String> {
    let segment = path_segment(what, id)?;
    let mut path = String::with_capacity(collection.len() + 1 + segment.len() + suffix.len());
    path.push_str(collection);
    path.push('/');
    path.push_str(&segment);
    path.push_str(suffix);
    Ok(path)
}

/// Percent-encodes `id` as exactly one path segment, so no id can reach another route.
pub(crate) fn path_segment(what: &str, id: &str) -> Result<String> {
    if id.trim().is_empty() {
        return Err(Error::invalid_request(
            InvalidRequestKind::InvalidId,
            format!("{what} must not be empty"),
        ));
    }
    if id == "." || id == ".." {
        return Err(Error::invalid_request(
            InvalidRequestKind::InvalidId,
            format!("{what} must not be `.` or `..`"),
        ));
    }
    let mut out = String::with_capacity(id.len());
    encode_into(id, &mut out);
    Ok(out)
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
fn encode_into(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xF)] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded_whole() {
        assert_eq!(path_segment("id", "../x").unwrap(), "..%2Fx");
        assert_eq!(
            path_segment("id", "a/b?c#d%e f").unwrap(),
            "a%2Fb%3Fc%23d%25e%20f"
        );
        assert_eq!(path_segment("id", "é").unwrap(), "%C3%A9");
        assert!(path_segment("id", "").is_err());
        assert!(path_segment("id", "  ").is_err());
        assert!(path_segment("id", "..").is_err());
    }
}
