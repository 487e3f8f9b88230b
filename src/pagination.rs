//! Lazy, page-by-page iteration over list endpoints.
//!
//! [`Paginator`] yields items and [`Pages`] yields whole pages. Both fetch a page
//! only when the previous one is used up, keep every filter on every page
//! request, hold one page in memory, and stop on the last page, on an empty page
//! or after an error.
//!
//! A server cannot make a list loop or repeat: a page number the caller did not
//! ask for, a page repeating one of the 16 before it, or more than 100,000 pages (see [`Paginator::max_pages`]) end
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
use crate::error::{Error, ErrorKind, Result};
use crate::response::ResponseMeta;
use crate::transport::{Call, decode};

/// No list is followed past this many pages by default, so a server that never
/// says "last page" cannot keep a loop going forever (at 250 items a page this
/// is 25 million items). Change it per list with [`Paginator::max_pages`].
const MAX_PAGES: u32 = 100_000;

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

#[derive(Deserialize)]
struct ListEnvelope<T> {
    data: Vec<T>,
    meta: Option<PageMeta>,
}

/// An item of a list endpoint. Its id is how the paginator tells a new page
/// from the same page served again.
pub(crate) trait ListItem: DeserializeOwned {
    fn list_id(&self) -> Option<&str>;
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

/// The largest `page[size]` the spec allows.
const MAX_PAGE_SIZE: u32 = 250;

/// Decodes one list response (`{"data": [...], "meta": {...}}`).
pub(crate) fn decode_page<T: DeserializeOwned>(body: &[u8]) -> Result<Page<T>> {
    let envelope: ListEnvelope<T> = decode(body)?;
    Ok(Page {
        data: envelope.data,
        meta: envelope.meta.unwrap_or_default(),
        response: ResponseMeta::placeholder(),
    })
}

/// A list request: its path, its filters and the caller's paging choices.
pub(crate) struct ListQuery {
    pub(crate) path: String,
    pub(crate) filters: Vec<(&'static str, String)>,
    pub(crate) page_number: Option<u32>,
    pub(crate) page_size: Option<u32>,
}

/// Iterator over the pages of a list: `Iterator<Item = Result<Page<T>>>`.
///
/// Get one from [`Paginator::pages`].
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Pages<T> {
    client: Telnyx,
    path: String,
    query: Vec<(&'static str, String)>,
    /// The page to fetch next; `None` once the list has ended.
    next: Option<u32>,
    /// Whether the caller chose the first page (then it is sent and checked).
    chosen: bool,
    /// A paging value the spec forbids: reported by the first `next`, before any request.
    invalid: Option<String>,
    fetched: u32,
    max_pages: u32,
    /// Number, first and last ids of the last [`RECENT_PAGES`] pages with ids, newest last.
    recent: VecDeque<(u32, Edges)>,
    _items: PhantomData<fn() -> T>,
}

// By hand: a derive would require `T: Clone`, and no `T` is stored.
impl<T> Clone for Pages<T> {
    fn clone(&self) -> Self {
        Pages {
            client: self.client.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            invalid: self.invalid.clone(),
            recent: self.recent.clone(),
            _items: PhantomData,
            ..*self
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

impl<T> Pages<T> {
    fn new(client: Telnyx, list: ListQuery) -> Self {
        let ListQuery {
            path,
            mut filters,
            page_number,
            page_size,
        } = list;
        let invalid = match (page_number, page_size) {
            (Some(0), _) => Some("page_number must be a page number from 1, not `0`".to_owned()),
            (_, Some(size)) if !(1..=MAX_PAGE_SIZE).contains(&size) => Some(format!(
                "page_size must be from 1 to {MAX_PAGE_SIZE}, not {size}"
            )),
            _ => None,
        };
        if let Some(size) = page_size {
            filters.push(("page[size]", size.to_string()));
        }
        Pages {
            client,
            path,
            query: filters,
            next: Some(page_number.unwrap_or(1)),
            chosen: page_number.is_some(),
            invalid,
            fetched: 0,
            max_pages: MAX_PAGES,
            recent: VecDeque::new(),
            _items: PhantomData,
        }
    }

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
}

impl<T: DeserializeOwned> Pages<T> {
    fn fetch(&self, number: u32) -> Result<Page<T>> {
        let mut query = self.query.clone();
        // The first page goes without `page[number]` unless the caller chose it.
        if number != 1 || self.chosen {
            query.push(("page[number]", number.to_string()));
        }
        let (mut page, response) = self
            .client
            .transport()
            .call_with_meta(&Call::get(&self.path).query(&query), decode_page)?;
        page.response = response;
        Ok(page)
    }
}

impl<T> Pages<T> {
    /// Checks page `number` against the guards, then remembers its edges.
    fn check(
        &mut self,
        page: &Page<T>,
        number: u32,
        id: impl Fn(&T) -> Option<&str>,
    ) -> Result<()> {
        // A server answering with another page than the one asked for (the same
        // page forever, say) would make the walk repeat or loop. The first page is
        // checked too when the caller chose it.
        if let Some(reported) = page.meta.page_number {
            if (self.fetched > 1 || self.chosen) && reported != i64::from(number) {
                return Err(Error::pagination(
                    ErrorKind::WrongPage,
                    format!("asked for page {number} but the server returned page {reported}"),
                ));
            }
        }
        let edge = |item: Option<&T>| item.and_then(&id).map(str::to_owned);
        let edges = (edge(page.data.first()), edge(page.data.last()));
        // Without ids there is nothing to compare; the page cap still ends the list.
        if edges == (None, None) {
            return Ok(());
        }
        if let Some((seen, _)) = self.recent.iter().rev().find(|(_, e)| *e == edges) {
            let which = match number.checked_sub(1) == Some(*seen) {
                true => "the page before it".to_owned(),
                false => format!("page {seen}"),
            };
            return Err(Error::pagination(
                ErrorKind::RepeatedPage,
                format!(
                    "page {number} has the same items as {which}; stopping instead of repeating them"
                ),
            ));
        }
        if self.recent.len() == RECENT_PAGES {
            self.recent.pop_front();
        }
        self.recent.push_back((number, edges));
        Ok(())
    }
}

impl<T: ListItem> Iterator for Pages<T> {
    type Item = Result<Page<T>>;

    fn next(&mut self) -> Option<Self::Item> {
        let number = self.next.take()?;
        if let Some(message) = self.invalid.take() {
            return Some(Err(Error::invalid_request(
                ErrorKind::InvalidValue,
                message,
            )));
        }
        if self.fetched >= self.max_pages {
            return Some(Err(Error::pagination(
                ErrorKind::PageLimit,
                format!(
                    "the list did not end after {} pages; stopping \
                     (raise the limit with Paginator::max_pages)",
                    self.max_pages
                ),
            )));
        }
        self.fetched += 1;
        let page = self.fetch(number).and_then(|page| {
            self.check(&page, number, T::list_id)?;
            Ok(page)
        });
        if let Ok(page) = &page {
            let current = page.meta.page_number.unwrap_or(i64::from(number));
            // Without totals there is no way to know more pages exist.
            let more = page.meta.total_pages.is_some_and(|total| current < total);
            if more && !page.data.is_empty() {
                // `checked_add`: the last representable page simply ends the list.
                self.next = number.checked_add(1);
            }
        }
        Some(page)
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

impl<T> Paginator<T> {
    pub(crate) fn new(client: Telnyx, list: ListQuery) -> Self {
        Paginator {
            pages: Pages::new(client, list),
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
