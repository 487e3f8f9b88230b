//! Which certificate authorities the client trusts: [`TlsRoots`] and [`Certificate`].
//!
//! The backends trust different roots by default: rustls (the default feature) the
//! Mozilla set bundled in the binary, native-tls the platform's store. Extra
//! certificates, such as a company's own CA, are trusted in addition to those, or
//! alone with [`TlsRoots::AddedOnly`].

use std::fmt;
use std::sync::Arc;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
#[cfg(any(feature = "rustls", feature = "native-tls"))]
use ureq::tls::RootCerts;

use crate::error::{Error, ErrorKind, Result};

/// Which built-in root certificates a client trusts; see
/// [`TelnyxBuilder::tls_roots`](crate::TelnyxBuilder::tls_roots).
///
/// Certificates given with
/// [`TelnyxBuilder::add_root_certificate`](crate::TelnyxBuilder::add_root_certificate)
/// are trusted in addition to these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TlsRoots {
    /// Mozilla's root certificates, compiled into the binary (the `webpki-roots`
    /// set). The default with the `rustls` feature. Works the same on every
    /// machine, and ignores certificates installed in the operating system.
    WebPki,
    /// The operating system's trust store, company CAs installed there included.
    /// The default with the `native-tls` feature; with rustls it needs the
    /// `platform-verifier` feature (rustls-platform-verifier).
    Platform,
    /// No built-in roots: only the added certificates are trusted (a private CA,
    /// or a TLS-inspecting company proxy whose CA signs every host).
    AddedOnly,
}

/// A root certificate to trust, from PEM or DER; for
/// [`TelnyxBuilder::add_root_certificate`](crate::TelnyxBuilder::add_root_certificate).
///
/// `Debug` shows the size only.
#[derive(Clone, PartialEq, Eq)]
pub struct Certificate {
    der: Arc<[u8]>,
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("der_bytes", &self.der.len())
            .finish()
    }
}

impl Certificate {
    /// One certificate in PEM form (`-----BEGIN CERTIFICATE-----`). For a file
    /// with several, use [`Certificate::from_pem_bundle`].
    ///
    /// ```
    /// # let pem = include_str!("../tests/fixtures/test_ca.pem");
    /// let ca = telnyx_blocking::Certificate::from_pem(pem)?;
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`] with [`ErrorKind::InvalidCertificate`] when the text
    /// holds no certificate, more than one, or one that is not valid PEM and DER.
    pub fn from_pem(pem: impl AsRef<[u8]>) -> Result<Certificate> {
        let mut all = Certificate::from_pem_bundle(pem)?;
        match all.len() {
            1 => Ok(all.remove(0)),
            n => Err(invalid(&format!(
                "expected one PEM certificate, found {n}; use Certificate::from_pem_bundle"
            ))),
        }
    }

    /// Every certificate of a PEM bundle (a CA file such as `ca-bundle.crt`).
    /// Other PEM items (keys, parameters) are skipped.
    ///
    /// ```
    /// # let pem = include_str!("../tests/fixtures/test_ca.pem");
    /// let cas = telnyx_blocking::Certificate::from_pem_bundle(pem)?;
    /// assert_eq!(cas.len(), 1);
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`] with [`ErrorKind::InvalidCertificate`] when the text
    /// is not valid PEM, holds no certificate, or one of them is not valid DER.
    pub fn from_pem_bundle(pem: impl AsRef<[u8]>) -> Result<Vec<Certificate>> {
        // rustls-pki-types reads the PEM. Its errors may quote the text, which
        // could hold a private key: only that it failed is said.
        let certificates = CertificateDer::pem_slice_iter(pem.as_ref())
            .map(|der| match der {
                Ok(der) => Certificate::from_der(der),
                Err(_) => Err(invalid("the PEM text cannot be parsed")),
            })
            .collect::<Result<Vec<_>>>()?;
        if certificates.is_empty() {
            return Err(invalid(
                "no `-----BEGIN CERTIFICATE-----` block in the PEM text",
            ));
        }
        Ok(certificates)
    }

    /// One certificate in DER form (binary, as in a `.der` or `.cer` file).
    ///
    /// ```
    /// # let pem = include_str!("../tests/fixtures/test_ca.pem");
    /// # let der = telnyx_blocking::Certificate::from_pem(pem)?.to_der().to_vec();
    /// let ca = telnyx_blocking::Certificate::from_der(der)?;
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`] with [`ErrorKind::InvalidCertificate`] when the bytes
    /// are not one DER-encoded certificate (a SEQUENCE of the to-be-signed part,
    /// the algorithm and the signature, nothing after it).
    pub fn from_der(der: impl AsRef<[u8]>) -> Result<Certificate> {
        let der = der.as_ref();
        if !looks_like_certificate(der) {
            return Err(invalid("the bytes are not a DER-encoded X.509 certificate"));
        }
        Ok(Certificate { der: der.into() })
    }

    /// The certificate's DER bytes.
    pub fn to_der(&self) -> &[u8] {
        &self.der
    }
}

fn invalid(message: &str) -> Error {
    Error::config(
        ErrorKind::InvalidCertificate,
        format!("invalid root certificate: {message}"),
    )
}

/// A structural check, enough to catch a wrong file or a truncated one before the
/// first handshake (rustls-pki-types reads PEM but does not look inside the DER,
/// and each backend silently skips a root it cannot parse): an X.509 certificate
/// is a SEQUENCE of exactly three elements, the first two SEQUENCEs, the last a
/// BIT STRING, spanning the whole input.
fn looks_like_certificate(der: &[u8]) -> bool {
    let Some((0x30, mut body, [])) = read_tlv(der) else {
        return false;
    };
    let mut tags = Vec::new();
    while let Some((tag, _, rest)) = read_tlv(body) {
        tags.push(tag);
        body = rest;
    }
    body.is_empty() && tags == [0x30, 0x30, 0x03]
}

/// One DER tag-length-value: `(tag, value, rest)`; lengths up to four bytes.
fn read_tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&[tag, first], mut rest) = input.split_first_chunk()?;
    let mut len = usize::from(first);
    if first >= 0x80 {
        let n = usize::from(first & 0x7f);
        let (bytes, after) = rest.split_at_checked(n).filter(|_| (1..=4).contains(&n))?;
        len = bytes.iter().fold(0, |acc, b| (acc << 8) | usize::from(*b));
        rest = after;
    }
    let (value, rest) = rest.split_at_checked(len)?;
    Some((tag, value, rest))
}

/// The roots for ureq's `TlsConfig`, from what the builder was given.
///
/// # Errors
///
/// A combination the compiled backend cannot do: the platform store with rustls,
/// extra certificates beside the platform store (neither backend's ureq seam can
/// add to it), or `AddedOnly` without any certificate.
#[cfg(any(feature = "rustls", feature = "native-tls"))]
pub(crate) fn root_certs(roots: Option<TlsRoots>, added: &[Certificate]) -> Result<RootCerts> {
    use ErrorKind::{InvalidCertificate, TlsUnavailable};
    let native = cfg!(feature = "native-tls");
    let platform = native || cfg!(feature = "platform-verifier");
    // Each backend's own default: Mozilla's roots for rustls, the platform's for native-tls.
    let default = if native {
        TlsRoots::Platform
    } else {
        TlsRoots::WebPki
    };
    let roots = roots.unwrap_or(default);
    let certs = added
        .iter()
        .map(|c| ureq::tls::Certificate::from_der(&c.der).to_owned());
    let (kind, message) = match (roots, added.is_empty()) {
        (TlsRoots::AddedOnly, false) => return Ok(RootCerts::from(certs)),
        (TlsRoots::WebPki, true) => return Ok(RootCerts::WebPki),
        (TlsRoots::WebPki, false) => return Ok(RootCerts::from(bundled_roots().chain(certs))),
        (TlsRoots::Platform, true) if platform => return Ok(RootCerts::PlatformVerifier),
        (TlsRoots::AddedOnly, true) => (
            InvalidCertificate,
            "TlsRoots::AddedOnly trusts only added certificates, and none was added \
             (TelnyxBuilder::add_root_certificate)",
        ),
        (TlsRoots::Platform, _) if !platform => (
            TlsUnavailable,
            "TlsRoots::Platform needs the `native-tls` or the `platform-verifier` \
             feature; or trust a company CA with TelnyxBuilder::add_root_certificate",
        ),
        (TlsRoots::Platform, _) => (
            TlsUnavailable,
            "extra root certificates cannot be added to the platform store; install \
             them in the operating system's store, or use TlsRoots::WebPki or \
             TlsRoots::AddedOnly with them",
        ),
    };
    Err(Error::config(kind, message))
}

/// Mozilla's roots as certificates, for a root list that also holds added ones.
/// native-tls: the `webpki-root-certs` set, which ureq's own `WebPki` uses there.
#[cfg(feature = "native-tls")]
fn bundled_roots() -> impl Iterator<Item = ureq::tls::Certificate<'static>> {
    let certs = webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter();
    certs.map(|c| ureq::tls::Certificate::from_der(c.as_ref()))
}

/// Mozilla's roots as certificates, for a root list that also holds added ones.
///
/// rustls: ureq takes either its bundled set or a list of certificates, and the
/// bundled set (`webpki-roots`) holds trust anchors, not certificates: a subject,
/// a public key and, for one root, name constraints. Each anchor is written back
/// as the smallest certificate rustls reads as that same anchor (it checks no
/// signature and no validity on a root, only reads these fields). The test
/// `bundled_anchors_round_trip` proves every anchor comes back unchanged. No
/// crate of the rustls build writes DER, and `webpki-root-certs` (the set as
/// certificates) would add a crate to it.
#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
fn bundled_roots() -> impl Iterator<Item = ureq::tls::Certificate<'static>> {
    webpki_roots::TLS_SERVER_ROOTS.iter().map(|anchor| {
        let constraints = anchor.name_constraints.as_deref();
        let der = anchor_certificate(
            &anchor.subject,
            &anchor.subject_public_key_info,
            constraints,
        );
        ureq::tls::Certificate::from_der(&der).to_owned()
    })
}

/// An unsigned certificate carrying a trust anchor: `subject` and `spki` are the
/// contents of those SEQUENCEs, `constraints` the NameConstraints contents.
/// Without constraints it is a v1 certificate (no extensions); with them a v3 one
/// whose only extension is nameConstraints (2.5.29.30).
#[cfg(all(feature = "rustls", any(test, not(feature = "native-tls"))))]
fn anchor_certificate(subject: &[u8], spki: &[u8], constraints: Option<&[u8]>) -> Vec<u8> {
    let seq = |parts: &[&[u8]]| tlv(0x30, &parts.concat());
    let (version, extensions) = match constraints {
        None => (Vec::new(), Vec::new()),
        Some(constraints) => {
            let name_constraints = tlv(0x06, &[0x55, 0x1d, 0x1e]); // id-ce-nameConstraints
            let extension = seq(&[&name_constraints, &tlv(0x04, &seq(&[constraints]))]);
            (tlv(0xa0, &tlv(0x02, &[2])), tlv(0xa3, &seq(&[&extension]))) // [0] v3, [3]
        }
    };
    // Serial number 1; the signature algorithm, issuer and validity left empty.
    let head = [version, tlv(0x02, &[1]), seq(&[]).repeat(3)].concat();
    let tbs = seq(&[&head, &seq(&[subject]), &seq(&[spki]), &extensions]);
    seq(&[&tbs, &seq(&[]), &tlv(0x03, &[0])]) // no algorithm, an empty signature
}

/// One DER tag-length-value.
#[cfg(all(feature = "rustls", any(test, not(feature = "native-tls"))))]
fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let len = value.len();
    let length = match len {
        0..0x80 => vec![len as u8],
        0x80..0x100 => vec![0x81, len as u8],
        0x100..0x1_0000 => vec![0x82, (len >> 8) as u8, len as u8],
        _ => vec![0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8],
    };
    [&[tag][..], &length, value].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = include_str!("../tests/fixtures/test_ca.pem");

    #[test]
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    fn root_choices() {
        let ca = Certificate::from_pem(PEM).unwrap();
        let only = root_certs(Some(TlsRoots::AddedOnly), std::slice::from_ref(&ca)).unwrap();
        assert!(matches!(&only, ureq::tls::RootCerts::Specific(c) if c.len() == 1));
        let err = root_certs(Some(TlsRoots::AddedOnly), &[]).unwrap_err();
        assert!(err.to_string().contains("none was added"), "{err}");
        assert!(matches!(
            root_certs(Some(TlsRoots::WebPki), &[]).unwrap(),
            ureq::tls::RootCerts::WebPki
        ));
        {
            let both = root_certs(Some(TlsRoots::WebPki), std::slice::from_ref(&ca)).unwrap();
            let ureq::tls::RootCerts::Specific(all) = both else {
                panic!("bundled plus added")
            };
            assert!(all.len() > 100, "{}", all.len());
            assert_eq!(all.last().map(|c| c.der()), Some(ca.to_der()));
        }
        let platform = root_certs(Some(TlsRoots::Platform), &[ca]);
        assert!(platform.is_err());
        if cfg!(feature = "native-tls") {
            assert!(matches!(
                root_certs(None, &[]).unwrap(),
                ureq::tls::RootCerts::PlatformVerifier
            ));
        } else {
            assert!(matches!(
                root_certs(None, &[]).unwrap(),
                ureq::tls::RootCerts::WebPki
            ));
            assert_eq!(
                root_certs(Some(TlsRoots::Platform), &[]).is_ok(),
                cfg!(feature = "platform-verifier")
            );
        }
    }

    /// Every bundled anchor, written as a certificate, is read back by rustls as
    /// exactly the same anchor: nothing is lost, widened or dropped.
    #[test]
    #[cfg(feature = "rustls")]
    fn bundled_anchors_round_trip() {
        let anchors = webpki_roots::TLS_SERVER_ROOTS;
        let certs: Vec<rustls::pki_types::CertificateDer<'static>> = anchors
            .iter()
            .map(|a| {
                anchor_certificate(
                    &a.subject,
                    &a.subject_public_key_info,
                    a.name_constraints.as_deref(),
                )
                .into()
            })
            .collect();
        let mut store = rustls::RootCertStore::empty();
        let (added, ignored) = store.add_parsable_certificates(certs);
        assert_eq!((added, ignored), (anchors.len(), 0));
        assert_eq!(store.roots, anchors);
        assert!(anchors.iter().any(|a| a.name_constraints.is_some()));
    }
}
