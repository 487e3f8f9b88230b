//! Lazy, page-by-page iteration over list endpoints.
//!
//! [`Paginator`] yields items and [`Pages`] yields whole pages. Both fetch a page
//! only when the previous one is used up, keep every filter on every page
//! request, hold one page in memory, and stop on the last page, on an empty page
//! or after an error.
//!
//! A server cannot make a list loop or repeat: a page number the caller did not
//! ask for, a page repeating one of the 16 before it, or more than 100,000 pages
//! (the default of [`Paginator::max_pages`]; 25 million items at 250 a page) end
//! the list with [`Error::Pagination`].
//!
//! A `page_size` outside 1 to 250 or a `page_number` of 0 is refused before
//! anything is sent: the first item is an [`Error::InvalidRequest`].
//!
//! Telnyx pages by number, so items created or deleted while you iterate can
//! shift between pages: an item may be skipped or seen twice. Sort by a stable
//! key (e.g. `created_at`) when that matters.

use std::collections::VecDeque;
use std::iter::FusedIterator;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::Telnyx;
use crate::error::ErrorKind::{PageLimit, RepeatedPage, WrongPage};
use crate::error::{Error, ErrorKind, Result};
use crate::response::ResponseMeta;
use crate::transport::{Call, Query, decode};

/// No list is followed past this many pages unless [`Paginator::max_pages`] says
/// otherwise, so a server that never says "last page" cannot loop forever.
const MAX_PAGES: u32 = 100_000;

/// The spec's bounds of `page[size]`, on both lists.
const PAGE_SIZES: std::ops::RangeInclusive<u32> = 1..=250;

/// How many pages back a repeat is looked for: a server cycling through a few
/// pages (A, B, A, B, …) is stopped at once; a longer cycle by the page cap.
const RECENT_PAGES: usize = 16;

/// The `meta` object of a list response. The spec marks none of its fields
/// required, so each is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PageMeta {
    /// The number of this page, from 1.
    pub page_number: Option<i64>,
    /// Items per page.
    pub page_size: Option<i64>,
    /// How many pages the whole list has.
    pub total_pages: Option<i64>,
    /// How many items the whole list has.
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

/// Decodes one list response (`{"data": [...], "meta": {...}}`).
pub(crate) fn decode_page<T: DeserializeOwned>(body: &[u8]) -> Result<Page<T>> {
    #[derive(Deserialize)]
    struct Envelope<T> {
        data: Vec<T>,
        meta: Option<PageMeta>,
    }
    let Envelope { data, meta } = decode(body)?;
    Ok(Page {
        data,
        meta: meta.unwrap_or_default(),
        response: ResponseMeta::default(),
    })
}

/// A list request: its filters, then `page[number]` and `page[size]`.
pub(crate) type ListQuery = (Query, (Option<u32>, Option<u32>));

/// The first and last ids of a page, to recognise the same page served again.
type Edges = (Option<String>, Option<String>);

/// Iterator over the pages of a list: `Iterator<Item = Result<Page<T>>>`.
///
/// Get one from [`Paginator::pages`].
#[must_use = "iterators are lazy and do nothing unless consumed"]
#[derive(Clone, Debug)]
pub struct Pages<T> {
    client: Telnyx,
    path: &'static str,
    /// The filters and `page[size]`, sent on every page.
    query: Query,
    /// The page to fetch next; `None` once the list has ended.
    next: Option<u64>,
    /// The caller chose the first page: it is sent and checked like the others.
    chosen: bool,
    /// A page number or size the API would refuse, yielded instead of a request.
    refused: Option<Error>,
    fetched: u64,
    max_pages: u32,
    /// Number and edges of the last [`RECENT_PAGES`] pages with ids, newest last.
    recent: VecDeque<(u64, Edges)>,
    /// An item's id, to tell a new page from the same page served again.
    id: fn(&T) -> Option<&str>,
}

impl<T: DeserializeOwned> Pages<T> {
    /// The most pages fetched (default 100,000). Asking for one more
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

    /// Fetches and checks page `number`; `self.next` stays `None` on error.
    fn fetch(&mut self, number: u64) -> Result<Page<T>> {
        if let Some(err) = self.refused.take() {
            return Err(err);
        }
        if self.fetched >= u64::from(self.max_pages) {
            let max = self.max_pages;
            let message = format!(
                "the list did not end after {max} pages; stopping \
                 (raise the limit with Paginator::max_pages)"
            );
            return Err(Error::pagination(PageLimit, message));
        }
        self.fetched += 1;
        // The first page goes without `page[number]` unless the caller chose it.
        let numbered = self.chosen || self.fetched > 1;
        let mut query = self.query.clone();
        query.extend(numbered.then(|| ("page[number]", number.to_string())));
        let call = Call::get(self.path).query(&query);
        let (mut page, response) = self.client.transport().call_with_meta(&call, decode_page)?;
        page.response = response;
        // A server answering with another page than the one asked for (the same
        // page forever, say) would make the walk repeat or loop.
        let other = |reported: &i64| numbered && u64::try_from(*reported).ok() != Some(number);
        if let Some(reported) = page.meta.page_number.filter(other) {
            let message =
                format!("asked for page {number} but the server returned page {reported}");
            return Err(Error::pagination(WrongPage, message));
        }
        let id = |item: Option<&T>| item.and_then(self.id).map(str::to_owned);
        let edges = (id(page.data.first()), id(page.data.last()));
        // Without ids there is nothing to compare; the page cap still ends the list.
        if edges != (None, None) {
            if let Some((seen, _)) = self.recent.iter().rev().find(|(_, e)| *e == edges) {
                let which = match number.checked_sub(1) == Some(*seen) {
                    true => "the page before it".to_owned(),
                    false => format!("page {seen}"),
                };
                let message = format!(
                    "page {number} has the same items as {which}; stopping instead of repeating them"
                );
                return Err(Error::pagination(RepeatedPage, message));
            }
            if self.recent.len() == RECENT_PAGES {
                self.recent.pop_front();
            }
            self.recent.push_back((number, edges));
        }
        let current = page.meta.page_number.or(i64::try_from(number).ok());
        // Without totals there is no way to know more pages exist.
        let more = matches!((current, page.meta.total_pages), (Some(c), Some(total)) if c < total);
        if more && !page.data.is_empty() {
            // `checked_add`: the last representable page simply ends the list.
            self.next = number.checked_add(1);
        }
        Ok(page)
    }
}

impl<T: DeserializeOwned> Iterator for Pages<T> {
    type Item = Result<Page<T>>;

    fn next(&mut self) -> Option<Self::Item> {
        let number = self.next.take()?;
        Some(self.fetch(number))
    }
}

impl<T: DeserializeOwned> FusedIterator for Pages<T> {}

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
#[derive(Clone, Debug)]
pub struct Paginator<T> {
    pages: Pages<T>,
    items: std::vec::IntoIter<T>,
}

impl<T: DeserializeOwned> Paginator<T> {
    /// A list of `path` with these filters; the page number and size are
    /// checked against the spec's bounds when the first page is asked for.
    pub(crate) fn new(
        client: &Telnyx,
        path: &'static str,
        (mut query, (number, size)): ListQuery,
        id: fn(&T) -> Option<&str>,
    ) -> Self {
        let refused = match (number, size) {
            (Some(0), _) => Some("page_number must be a page number from 1, not `0`".to_owned()),
            (_, Some(size)) if !PAGE_SIZES.contains(&size) => {
                Some(format!("page_size must be from 1 to 250, not {size}"))
            }
            _ => None,
        };
        query.extend(size.map(|size| ("page[size]", size.to_string())));
        let pages = Pages {
            client: client.clone(),
            path,
            query,
            next: Some(number.map_or(1, u64::from)),
            chosen: number.is_some(),
            refused: refused.map(|m| Error::invalid_request(ErrorKind::InvalidValue, m)),
            fetched: 0,
            max_pages: MAX_PAGES,
            recent: VecDeque::new(),
            id,
        };
        let items = Vec::new().into_iter();
        Paginator { pages, items }
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

    /// The most pages fetched (default 100,000). Once that many pages are
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

impl<T: DeserializeOwned> Iterator for Paginator<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.items.as_slice().is_empty() {
            match self.pages.next()? {
                Ok(page) => self.items = page.data.into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
        self.items.next().map(Ok)
    }
}

impl<T: DeserializeOwned> FusedIterator for Paginator<T> {}
