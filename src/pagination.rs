//! Lazy, page-by-page iteration over list endpoints.
//!
//! [`Paginator`] yields items and [`Pages`] yields whole pages. Both fetch a page
//! only when the previous one is used up, keep every filter on every page
//! request, hold one page in memory, and stop on the last page, on an empty page
//! or after an error.
//!
//! A server cannot make a list loop or repeat: a page number the caller did not
//! ask for, a page repeating one of the 16 before it, or more than [`MAX_PAGES`] pages end
//! the list with [`Error::Pagination`].
//!
//! Telnyx pages by number, so items created or deleted while you iterate can
//! shift between pages: an item may be skipped or seen twice. Sort by a stable
//! key (e.g. `created_at`) when that matters.

use std::collections::VecDeque;
use std::fmt;
use std::iter::FusedIterator;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::Telnyx;
use crate::error::{Error, InvalidRequestKind, PaginationErrorKind, Result};
use crate::response::ResponseMeta;
use crate::transport::{Call, decode};

/// No list is followed past this many pages by default, so a server that never
/// says "last page" cannot keep a loop going forever (at 250 items a page this
/// is 25 million items). Change it per list with [`Paginator::max_pages`].
pub const MAX_PAGES: u32 = 100_000;

const PAGE_NUMBER: &str = "page[number]";

/// The `meta` object of a list response. The spec marks none of its fields
/// required, so each is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PageMeta {
    /// The number of this page, from 1.
    #[serde(default)]
    pub page_number: Option<i64>,
    /// Items per page.
    #[serde(default)]
    pub page_size: Option<i64>,
    /// How many pages the whole list has.
    #[serde(default)]
    pub total_pages: Option<i64>,
    /// How many items the whole list has.
    #[serde(default)]
    pub total_results: Option<i64>,
}

/// One page of a list response. It serializes as `{"data": [...], "meta": {...}}`,
/// the shape the API sent; two pages are equal when their `data` and `meta` are
/// (the [`response`](Page::response) metadata, elapsed time included, is not compared).
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// Page number and totals, as the server reported them.
    pub meta: PageMeta,
    #[serde(skip)]
    response: ResponseMeta,
}

impl<T: PartialEq> PartialEq for Page<T> {
    fn eq(&self, other: &Self) -> bool {
        self.data == other.data && self.meta == other.meta
    }
}

impl<T: Eq> Eq for Page<T> {}

impl<T> Page<T> {
    /// The status, request id and rate-limit headers of the response this page
    /// came from, so a `pages()` loop can pace itself on `remaining`.
    ///
    /// ```
    /// # let server = telnyx_blocking::mock::MockServer::start();
    /// # let client = telnyx_blocking::Telnyx::builder().api_key(server.api_key()).base_url(server.url()).build()?;
    /// for page in client.managed_accounts().list(Default::default()).pages() {
    ///     let page = page?;
    ///     if page.response().rate_limit().remaining == Some(0) {
    ///         std::thread::sleep(page.response().rate_limit().reset.unwrap_or_default());
    ///     }
    /// }
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn response(&self) -> &ResponseMeta {
        &self.response
    }
}

#[derive(Deserialize)]
struct ListEnvelope<T> {
    data: Vec<T>,
    #[serde(default)]
    meta: Option<PageMeta>,
}

/// An item of a list endpoint: [`ManagedAccount`](crate::managed_accounts::ManagedAccount)
/// and [`OrganizationUser`](crate::organizations::users::OrganizationUser).
///
/// The bound of [`Paginator`] and [`Pages`] as iterators, for code generic over
/// both lists. Sealed: its id is how the paginator tells a new page from the
/// same page served again.
pub trait ListItem: DeserializeOwned + sealed::Sealed {
    #[doc(hidden)]
    fn list_id(&self) -> Option<&str>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::managed_accounts::ManagedAccount {}
    impl Sealed for crate::organizations::users::OrganizationUser {}
}

impl ListItem for crate::managed_accounts::ManagedAccount {
    fn list_id(&self) -> Option<&str> {
        Some(&self.id)
    }
}

impl ListItem for crate::organizations::users::OrganizationUser {
    fn list_id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}

/// The first and last ids of a page, to recognise the same page served again.
type Edges = (Option<String>, Option<String>);

/// How many pages back a repeat is looked for: a server cycling through a few
/// pages (A, B, A, B, …) is stopped at once; a longer cycle by the page cap.
const RECENT_PAGES: usize = 16;

fn edges<T: ListItem>(data: &[T]) -> Option<Edges> {
    let id = |item: Option<&T>| item.and_then(|i| i.list_id()).map(str::to_owned);
    let edges = (id(data.first()), id(data.last()));
    // Without ids there is nothing to compare; the page cap still ends the list.
    (edges != (None, None)).then_some(edges)
}

/// Decodes one list response (`{"data": [...], "meta": {...}}`).
pub(crate) fn decode_page<T: DeserializeOwned>(body: &[u8]) -> Result<Page<T>> {
    let envelope: ListEnvelope<T> = decode(body)?;
    Ok(Page {
        data: envelope.data,
        meta: envelope.meta.unwrap_or_default(),
        response: ResponseMeta::placeholder(),
    })
}

/// Iterator over the pages of a list: `Iterator<Item = Result<Page<T>>>`.
///
/// Get one from [`Paginator::pages`].
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Pages<T> {
    client: Telnyx,
    path: String,
    query: Vec<(&'static str, String)>,
    next: Option<u64>,
    /// The first page the caller asked for, if they chose one.
    chosen: Option<u64>,
    /// A `page[number]` the caller set that is not a page number (0, say):
    /// reported by the first `next`, before any request.
    invalid_first: Option<String>,
    fetched: u64,
    max_pages: u32,
    /// Number, first and last ids of the last [`RECENT_PAGES`] pages with ids,
    /// newest last.
    recent: VecDeque<(u64, Edges)>,
    _items: PhantomData<fn() -> T>,
}

// By hand: a derive would require `T: Clone`, and no `T` is stored.
impl<T> Clone for Pages<T> {
    fn clone(&self) -> Self {
        Pages {
            client: self.client.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            next: self.next,
            chosen: self.chosen,
            invalid_first: self.invalid_first.clone(),
            fetched: self.fetched,
            max_pages: self.max_pages,
            recent: self.recent.clone(),
            _items: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("path", &self.path)
            .field("query", &self.query)
            .field("next_page", &self.next)
            .field("pages_fetched", &self.fetched)
            .field("max_pages", &self.max_pages)
            .finish()
    }
}

impl<T: DeserializeOwned> Pages<T> {
    /// `query` holds every filter; a `page[number]` in it sets the first page.
    pub(crate) fn new(
        client: Telnyx,
        path: String,
        mut query: Vec<(&'static str, String)>,
    ) -> Self {
        let first = query
            .iter()
            .position(|(k, _)| *k == PAGE_NUMBER)
            .map(|i| query.remove(i).1);
        // Pages count from 1; one past the largest would not fit in a `meta` (i64).
        let chosen = first.as_deref().map(|n| {
            n.trim()
                .parse::<u64>()
                .ok()
                .filter(|n| (1..i64::MAX as u64).contains(n))
        });
        let invalid_first = match (&first, chosen) {
            (Some(raw), Some(None)) => Some(raw.clone()),
            _ => None,
        };
        let chosen = chosen.flatten();
        Pages {
            client,
            path,
            query,
            next: Some(chosen.unwrap_or(1)),
            chosen,
            invalid_first,
            fetched: 0,
            max_pages: MAX_PAGES,
            recent: VecDeque::new(),
            _items: PhantomData,
        }
    }

    /// The most pages fetched (default [`MAX_PAGES`]). Asking for one more
    /// yields an error instead of a request, and iteration ends.
    ///
    /// ```no_run
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// // Look at the first three pages at most.
    /// for page in client.managed_accounts().list(Default::default()).pages().max_pages(3) {
    ///     println!("{} accounts", page?.data.len());
    /// }
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn max_pages(mut self, max_pages: u32) -> Self {
        self.max_pages = max_pages;
        self
    }

    fn fetch(&self, number: u64) -> Result<Page<T>> {
        let mut query = self.query.clone();
        // The first page goes without `page[number]` unless the caller chose it.
        if number != 1 || self.chosen.is_some() {
            query.push((PAGE_NUMBER, number.to_string()));
        }
        let (mut page, response) = self
            .client
            .transport()
            .call_with_meta(&Call::get(&self.path).query(&query), decode_page)?;
        page.response = response;
        Ok(page)
    }
}

/// `true` when `page`, fetched as page `number`, is the last one.
fn is_last(meta: &PageMeta, empty: bool, number: u64) -> bool {
    let current = meta
        .page_number
        .unwrap_or_else(|| i64::try_from(number).unwrap_or(i64::MAX));
    match meta.total_pages {
        _ if empty => true,
        Some(total) => current >= total,
        // Without totals there is no way to know more pages exist.
        None => true,
    }
}

impl<T: ListItem> Iterator for Pages<T> {
    type Item = Result<Page<T>>;

    fn next(&mut self) -> Option<Self::Item> {
        let number = self.next.take()?;
        if let Some(raw) = self.invalid_first.take() {
            return Some(Err(Error::invalid_request(
                InvalidRequestKind::InvalidValue,
                format!(
                    "page_number must be a page number from 1, not `{}`",
                    raw.escape_debug()
                ),
            )));
        }
        if self.fetched >= u64::from(self.max_pages) {
            return Some(Err(Error::pagination(
                PaginationErrorKind::PageLimit,
                format!(
                    "the list did not end after {} pages; stopping \
                     (raise the limit with Paginator::max_pages)",
                    self.max_pages
                ),
            )));
        }
        self.fetched += 1;
        let page = match self.fetch(number) {
            Ok(page) => page,
            Err(e) => return Some(Err(e)),
        };
        // A server answering with another page than the one asked for (the same
        // page forever, say) would make the walk repeat or loop. The first page is
        // checked too when the caller chose it.
        if let Some(reported) = page.meta.page_number {
            let asked = self.fetched > 1 || self.chosen.is_some();
            if asked && u64::try_from(reported).ok() != Some(number) {
                return Some(Err(Error::pagination(
                    PaginationErrorKind::WrongPage,
                    format!("asked for page {number} but the server returned page {reported}"),
                )));
            }
        }
        let edges = edges(&page.data);
        if let Some(edges) = &edges {
            if let Some((seen, _)) = self.recent.iter().rev().find(|(_, e)| e == edges) {
                let which = match number.checked_sub(1) == Some(*seen) {
                    true => "the page before it".to_owned(),
                    false => format!("page {seen}"),
                };
                return Some(Err(Error::pagination(
                    PaginationErrorKind::RepeatedPage,
                    format!(
                        "page {number} has the same items as {which}; \
                         stopping instead of repeating them"
                    ),
                )));
            }
        }
        if !is_last(&page.meta, page.data.is_empty(), number) {
            // `checked_add`: the last representable page simply ends the list.
            self.next = number.checked_add(1);
        }
        if let Some(edges) = edges {
            if self.recent.len() == RECENT_PAGES {
                self.recent.pop_front();
            }
            self.recent.push_back((number, edges));
        }
        Some(Ok(page))
    }
}

impl<T: ListItem> FusedIterator for Pages<T> {}

/// Iterator over the items of a list, fetching pages as needed:
/// `Iterator<Item = Result<T>>`.
///
/// Creating it does no I/O. After an error it yields nothing more.
///
/// ```no_run
/// use telnyx_blocking::Telnyx;
/// use telnyx_blocking::managed_accounts::ListManagedAccounts;
///
/// let client = Telnyx::from_env()?;
/// let accounts = client
///     .managed_accounts()
///     .list(ListManagedAccounts::new().page_size(250))
///     .collect::<Result<Vec<_>, _>>()?;
/// println!("{} accounts", accounts.len());
/// # Ok::<(), telnyx_blocking::Error>(())
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
#[derive(Clone)]
pub struct Paginator<T> {
    pages: Pages<T>,
    items: std::vec::IntoIter<T>,
}

impl<T> fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("pages", &self.pages)
            .field("buffered_items", &self.items.len())
            .finish()
    }
}

impl<T: DeserializeOwned> Paginator<T> {
    pub(crate) fn new(client: Telnyx, path: String, query: Vec<(&'static str, String)>) -> Self {
        Paginator {
            pages: Pages::new(client, path, query),
            items: Vec::new().into_iter(),
        }
    }

    /// Iterates whole pages (with their `meta`) instead of items. Items of a page
    /// already partly consumed through this paginator are dropped.
    ///
    /// ```no_run
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// for page in client.managed_accounts().list(Default::default()).pages() {
    ///     let page = page?;
    ///     println!("page {:?} of {:?}", page.meta.page_number, page.meta.total_pages);
    /// }
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn pages(self) -> Pages<T> {
        self.pages
    }

    /// The most pages fetched (default [`MAX_PAGES`]). Once that many pages are
    /// used up and the server still reports more, the paginator yields an error
    /// instead of sending another request, and ends. A guard against a server
    /// that never says "last page".
    ///
    /// ```no_run
    /// # let client = telnyx_blocking::Telnyx::from_env()?;
    /// let first_thousand: Vec<_> = client
    ///     .managed_accounts()
    ///     .list(telnyx_blocking::managed_accounts::ListManagedAccounts::new().page_size(250))
    ///     .max_pages(4)
    ///     .take(1000)
    ///     .collect::<Result<_, _>>()?;
    /// # Ok::<(), telnyx_blocking::Error>(())
    /// ```
    pub fn max_pages(mut self, max_pages: u32) -> Self {
        self.pages = self.pages.max_pages(max_pages);
        self
    }
}

impl<T: ListItem> Iterator for Paginator<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.items.next() {
                return Some(Ok(item));
            }
            match self.pages.next()? {
                Ok(page) => self.items = page.data.into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl<T: ListItem> FusedIterator for Paginator<T> {}
