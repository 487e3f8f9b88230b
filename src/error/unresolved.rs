//! [`OutcomeUnknownError`]: a create whose result could not be settled.

use std::fmt;

use super::Error;
use super::text::bounded;

/// Why [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown) was returned:
/// [`create_or_find`](crate::managed_accounts::ManagedAccounts::create_or_find)
/// sent a create whose answer was lost (a reset or timeout after sending, a
/// 500, 502 or 504), then could not find an account with the request's email
/// within its wait and retry budget. The account may exist or not; calling
/// `create_or_find` again later settles it and never creates a second one.
///
/// Its [`source`](std::error::Error::source) is the last create's error,
/// also given by [`last_error`](Self::last_error).
#[derive(Clone)]
pub struct OutcomeUnknownError {
    last: Box<Error>,
}

impl OutcomeUnknownError {
    pub(crate) fn new(last: Error) -> Self {
        OutcomeUnknownError {
            last: Box::new(last),
        }
    }

    /// The error of the last create attempt, whose outcome is unknown.
    pub fn last_error(&self) -> &Error {
        &self.last
    }

    pub(super) fn redact(self, secret: &str) -> Self {
        OutcomeUnknownError::new(self.last.redact(secret))
    }

    pub(super) fn write_to(&self, w: &mut dyn fmt::Write) -> fmt::Result {
        // The class of the last failure only: its whole text is the source's,
        // and `Display` does not repeat the source.
        let last = match &*self.last {
            Error::Api(e) | Error::RateLimited(e) => format!("HTTP {}", e.status()),
            Error::Connection(_) => "a connection error after sending".to_owned(),
            Error::Timeout(_) => "a timeout after sending".to_owned(),
            Error::Decode(_) => "an unreadable 2xx answer".to_owned(),
            _ => "an error".to_owned(),
        };
        write!(
            w,
            "the account may or may not have been created: the create ended in {last} \
             and no account with its email was found afterwards; run create_or_find \
             again later (it never creates a second one)"
        )
    }
}

impl fmt::Display for OutcomeUnknownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

/// `OutcomeUnknownError { last: … }`, bounded like every error's text (the
/// last error's own `Debug` is bounded too, but the wrapper adds to it).
impl fmt::Debug for OutcomeUnknownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = &self.last;
        bounded(f, |w| write!(w, "OutcomeUnknownError {{ last: {last:?} }}"))
    }
}

impl std::error::Error for OutcomeUnknownError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.last)
    }
}
