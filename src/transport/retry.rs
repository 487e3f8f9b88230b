//! The retry decision: a pure function of the attempt, what it ended with and
//! the configuration, so every row of the retry table is tested without a server.

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use super::{Replay, TransportConfig};

/// First backoff step; it doubles on each retry.
const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// Backoff never grows past this (the server's own hints may ask for more).
const BACKOFF_MAX: Duration = Duration::from_secs(8);

/// What a failed attempt ended with, as far as retrying goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Outcome {
    /// An answer with this status, and the wait the server asked for.
    Status(u16, Option<Duration>),
    /// No answer. `sent`: the request may have reached the server; `transient`:
    /// another attempt may not fail the same way (the network, not a bad
    /// certificate, a bad URL or oversized headers).
    Failed { sent: bool, transient: bool },
    /// A failure that repeats identically (an unreadable 2xx body, say).
    Fatal,
}

/// The attempt that just failed.
pub(super) struct Attempt {
    /// 1 for the first attempt.
    pub(super) number: u32,
    /// Since the call started.
    pub(super) elapsed: Duration,
    /// Any value: where the jitter comes from.
    pub(super) random: u64,
}

/// Why a failure is returned instead of retried.
/// `Display` is the reason as logged, and as `ApiError`'s `Display` ends.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub(super) enum GiveUp {
    /// Not a failure another attempt may cure, or a create the server may have acted on.
    #[error("the failure is not retryable")]
    NotRetryable,
    /// This many attempts were made.
    #[error("{0} attempts made")]
    AttemptsUsed(u32),
    /// `wait > max_retry_wait`; `asked`: the server asked for it.
    #[error("{} {wait:?}, more than max_retry_wait ({max:?})", who(*.asked))]
    WaitTooLong {
        wait: Duration,
        max: Duration,
        asked: bool,
    },
    /// The deadline would pass during the wait.
    #[error("after a wait of {wait:?} the deadline ({deadline:?}) would have passed")]
    Deadline { wait: Duration, deadline: Duration },
}

fn who(asked: bool) -> &'static str {
    match asked {
        true => "the server asked to wait",
        false => "the backoff is",
    }
}

/// Whether and when to try again after `outcome`: `Ok(wait)` to retry after `wait`.
///
/// Retried: connection failures and timeouts, 408, 429, 500, 502, 503, 504. A
/// create ([`Replay::Create`]) only when the server provably did not act: never
/// sent, or answered 429 or 503. The wait is the server's (plus up to 10 %, so
/// threads answered together do not all come back together), else the backoff.
pub(super) fn decide(
    attempt: &Attempt,
    outcome: Outcome,
    replay: Replay,
    config: &TransportConfig,
) -> Result<Duration, GiveUp> {
    let (retryable, asked) = match (outcome, replay) {
        (Outcome::Status(status, asked), Replay::Safe) => {
            (matches!(status, 408 | 429 | 500 | 502 | 503 | 504), asked)
        }
        // 429 and 503 mean the request was turned away before it was processed.
        (Outcome::Status(status, asked), Replay::Create) => (matches!(status, 429 | 503), asked),
        (Outcome::Failed { sent, transient }, _) => {
            (transient && (!sent || replay == Replay::Safe), None)
        }
        (Outcome::Fatal, _) => (false, None),
    };
    if !retryable {
        return Err(GiveUp::NotRetryable);
    }
    if attempt.number > config.max_retries {
        return Err(GiveUp::AttemptsUsed(attempt.number));
    }
    let fraction = (attempt.random % 1001) as f64 / 1000.0;
    let max = config.max_retry_wait;
    let wait = match asked {
        Some(wait) if wait <= max => wait.saturating_add(wait.mul_f64(fraction / 10.0)).min(max),
        Some(wait) => wait,
        // 0.5 s × 2ⁿ, at most 8 s, less up to a quarter.
        None => {
            let backoff = BACKOFF_BASE.saturating_mul(1 << (attempt.number - 1).min(16));
            backoff.min(BACKOFF_MAX).mul_f64(1.0 - fraction / 4.0)
        }
    };
    if wait > max {
        return Err(GiveUp::WaitTooLong {
            wait,
            max,
            asked: asked.is_some(),
        });
    }
    let past = |deadline: &Duration| attempt.elapsed.saturating_add(wait) >= *deadline;
    if let Some(deadline) = config.deadline.filter(past) {
        let wait = asked.unwrap_or(wait);
        return Err(GiveUp::Deadline { wait, deadline });
    }
    Ok(wait)
}

/// A fresh value for the jitter: std seeds each thread's hasher keys at random
/// and changes them for every `RandomState`, so each hash of the same value differs.
pub(super) fn random() -> u64 {
    RandomState::new().hash_one(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: Duration = Duration::from_secs(1);

    fn config() -> TransportConfig {
        TransportConfig::default()
    }

    fn at(number: u32, random: u64) -> Attempt {
        Attempt {
            number,
            elapsed: Duration::ZERO,
            random,
        }
    }

    fn retried(outcome: Outcome, replay: Replay) -> bool {
        decide(&at(1, 0), outcome, replay, &config()).is_ok()
    }

    #[test]
    fn statuses() {
        for status in [200, 301, 400, 401, 403, 404, 409, 422, 501, 505, 599] {
            assert!(
                !retried(Outcome::Status(status, None), Replay::Safe),
                "{status}"
            );
            assert!(
                !retried(Outcome::Status(status, None), Replay::Create),
                "{status}"
            );
        }
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(
                retried(Outcome::Status(status, None), Replay::Safe),
                "{status}"
            );
        }
        // A create only when the server provably did not act on it.
        for status in [408, 500, 502, 504] {
            assert!(
                !retried(Outcome::Status(status, None), Replay::Create),
                "{status}"
            );
        }
        for status in [429, 503] {
            assert!(
                retried(Outcome::Status(status, None), Replay::Create),
                "{status}"
            );
        }
    }

    #[test]
    fn failures_without_an_answer() {
        let failed = |sent, transient| Outcome::Failed { sent, transient };
        // Never sent: even a create is retried.
        assert!(retried(failed(false, true), Replay::Safe));
        assert!(retried(failed(false, true), Replay::Create));
        // Maybe sent: only what is safe to repeat.
        assert!(retried(failed(true, true), Replay::Safe));
        assert!(!retried(failed(true, true), Replay::Create));
        // The same every time (a certificate, oversized or too many headers): never.
        for replay in [Replay::Safe, Replay::Create] {
            assert!(!retried(failed(false, false), replay));
            assert!(!retried(failed(true, false), replay));
            assert!(!retried(Outcome::Fatal, replay));
        }
    }

    #[test]
    fn retries_are_counted() {
        let config = TransportConfig {
            max_retries: 2,
            ..config()
        };
        let outcome = Outcome::Status(503, None);
        assert!(decide(&at(2, 0), outcome, Replay::Safe, &config).is_ok());
        assert_eq!(
            decide(&at(3, 0), outcome, Replay::Safe, &config),
            Err(GiveUp::AttemptsUsed(3))
        );
        let none = TransportConfig {
            max_retries: 0,
            ..config
        };
        assert_eq!(
            decide(&at(1, 0), outcome, Replay::Safe, &none),
            Err(GiveUp::AttemptsUsed(1))
        );
    }

    #[test]
    fn backoff_steps_with_up_to_25_percent_less() {
        for (number, full_ms) in [
            (1, 500),
            (2, 1000),
            (3, 2000),
            (4, 4000),
            (5, 8000),
            (6, 8000),
            (41, 8000),
        ] {
            let config = TransportConfig {
                max_retries: 100,
                ..config()
            };
            let full = Duration::from_millis(full_ms);
            for random in [0, 1, 500, 999, 1000, u64::MAX, random(), random()] {
                let outcome = Outcome::Failed {
                    sent: false,
                    transient: true,
                };
                let Ok(wait) = decide(&at(number, random), outcome, Replay::Safe, &config) else {
                    panic!("{number}");
                };
                assert!(
                    wait <= full && wait >= full.mul_f64(0.75),
                    "{number}: {wait:?}"
                );
            }
        }
    }

    #[test]
    fn a_server_wait_gets_up_to_10_percent_more() {
        let mut seen = Vec::new();
        for random in [0, 1, 500, 1000, u64::MAX, random(), random(), random()] {
            let outcome = Outcome::Status(429, Some(10 * SEC));
            let Ok(wait) = decide(&at(1, random), outcome, Replay::Safe, &config()) else {
                panic!()
            };
            assert!(wait >= 10 * SEC && wait <= 11 * SEC, "{wait:?}");
            seen.push(wait);
        }
        assert!(
            seen.contains(&(10 * SEC)) && seen.contains(&(11 * SEC)),
            "{seen:?}"
        );
        // Jitter never pushes a wait over max_retry_wait; a wait of zero stays zero.
        let outcome = Outcome::Status(429, Some(60 * SEC));
        assert_eq!(
            decide(&at(1, 1000), outcome, Replay::Safe, &config()),
            Ok(60 * SEC)
        );
        let outcome = Outcome::Status(429, Some(Duration::ZERO));
        assert_eq!(
            decide(&at(1, 1000), outcome, Replay::Safe, &config()),
            Ok(Duration::ZERO)
        );
    }

    #[test]
    fn waits_over_the_cap_or_the_deadline_give_up() {
        let outcome = Outcome::Status(429, Some(61 * SEC));
        let over = GiveUp::WaitTooLong {
            wait: 61 * SEC,
            max: 60 * SEC,
            asked: true,
        };
        assert_eq!(
            decide(&at(1, 0), outcome, Replay::Safe, &config()),
            Err(over)
        );
        assert_eq!(
            over.to_string(),
            "the server asked to wait 61s, more than max_retry_wait (60s)"
        );
        let small = TransportConfig {
            max_retry_wait: Duration::from_millis(100),
            ..config()
        };
        let failed = Outcome::Failed {
            sent: false,
            transient: true,
        };
        assert!(matches!(
            decide(&at(1, 0), failed, Replay::Safe, &small),
            Err(GiveUp::WaitTooLong { asked: false, .. })
        ));
        let bounded = TransportConfig {
            deadline: Some(30 * SEC),
            max_retry_wait: 600 * SEC,
            ..config()
        };
        let attempt = Attempt {
            number: 1,
            elapsed: 25 * SEC,
            random: 0,
        };
        let outcome = Outcome::Status(503, Some(5 * SEC));
        let past = GiveUp::Deadline {
            wait: 5 * SEC,
            deadline: 30 * SEC,
        };
        assert_eq!(decide(&attempt, outcome, Replay::Safe, &bounded), Err(past));
        let outcome = Outcome::Status(503, Some(4 * SEC));
        assert!(decide(&attempt, outcome, Replay::Safe, &bounded).is_ok());
    }
}
