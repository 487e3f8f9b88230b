//! URL, path-segment and query encoding.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use ureq::http::Uri;
use ureq::http::uri::PathAndQuery;

use crate::error::{Error, ErrorKind, Result};

/// Everything but RFC 3986's unreserved characters is percent-encoded.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl super::Transport {
    /// The URI of `path` and `query` under the base URL parsed at build time:
    /// its scheme and authority are shared, only the path and query are new.
    pub(super) fn uri(&self, path: &str, query: &[(&str, String)]) -> Result<Uri> {
        let base = self.base.path().trim_end_matches('/');
        let mut target = String::with_capacity(base.len() + 1 + path.len() + query.len() * 32);
        target.extend([base, "/", path]);
        for (i, (key, value)) in query.iter().enumerate() {
            target += if i == 0 { "?" } else { "&" };
            target.extend(utf8_percent_encode(key, ENCODED));
            target += "=";
            target.extend(utf8_percent_encode(value, ENCODED));
        }
        let mut parts = self.base.clone().into_parts();
        parts.path_and_query = PathAndQuery::try_from(target).ok();
        Uri::from_parts(parts).map_err(|_| {
            let why = "the path is not valid in a URL";
            Error::invalid_request(ErrorKind::InvalidPath, why)
        })
    }
}

/// A request's query parameters, in order, values not yet encoded.
pub(crate) type Query = Vec<(&'static str, String)>;

/// The query of a request: the parameters the caller set, in order. Unset
/// ones (`None`) never reach the wire.
pub(crate) fn set_params<const N: usize>(params: [(&'static str, Option<String>); N]) -> Query {
    let set = |(key, value): (_, Option<String>)| Some((key, value?));
    params.into_iter().filter_map(set).collect()
}

/// `{collection}/{id}{suffix}`, with `id` percent-encoded as exactly one path
/// segment, so no id can reach another route; `what` names the id in the error
/// for an empty one, or `.` or `..`.
pub(crate) fn item_path(collection: &str, what: &str, id: &str, suffix: &str) -> Result<String> {
    let why = match id {
        "." | ".." => "must not be `.` or `..`",
        id if id.trim().is_empty() => "must not be empty",
        _ => "",
    };
    if !why.is_empty() {
        let why = format!("{what} {why}");
        return Err(Error::invalid_request(ErrorKind::InvalidId, why));
    }
    let mut path = String::with_capacity(collection.len() + 1 + id.len() * 3 + suffix.len());
    path.extend([collection, "/"]);
    path.extend(utf8_percent_encode(id, ENCODED));
    path += suffix;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded_whole() {
        let path = |id| item_path("c", "id", id, "/s");
        assert_eq!(path("../x").unwrap(), "c/..%2Fx/s");
        assert_eq!(path("a/b?c#d%e f").unwrap(), "c/a%2Fb%3Fc%23d%25e%20f/s");
        assert_eq!(path("é").unwrap(), "c/%C3%A9/s");
        assert!(path("").is_err());
        assert!(path("  ").is_err());
        assert!(path("..").is_err());
    }
}
