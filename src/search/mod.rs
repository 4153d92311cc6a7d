//! The full-text search index, made in the same build from the rendered pages with the
//! `pagefind` crate's library API: pages are handed over as they are rendered, on a thread of
//! its own (Pagefind indexes one page at a time), and its files come back as bytes, to go
//! through the sink with the rest of the output (into the staging folder for `build`, so
//! they swap in with the pages). No second pass over written files, no external program.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

use thiserror::Error;

mod store;
pub(crate) use store::IndexStore;

/// The folder of the output the index files go in.
pub(crate) const FOLDER: &str = "pagefind";

/// Pages waiting for the indexer at most (their indexed parts only, a few KB each): the
/// renderer goes on with the next pages while the indexer works, and waits when it is this
/// far ahead.
const QUEUE: usize = 1024;

/// Pagefind failed.
#[derive(Debug, Error)]
#[error("{}", crate::diagnostic::Diagnostic::general(format!("cannot build the search index: {}", .0)).with_hint("report this as a bug, with the page named above; `search: false` in config.yaml builds the site without search meanwhile"))]
pub struct SearchError(String);

/// A page to index: its URL and its HTML.
struct Page {
    url: String,
    html: String,
}

/// The files of a finished index: path under [`FOLDER`], bytes. And how many pages it holds.
pub(crate) struct Index {
    pub files: Vec<(PathBuf, Vec<u8>)>,
    pub pages: usize,
}

/// Indexes pages on its own thread while the site is rendered.
pub(crate) struct Indexer {
    sender: Mutex<Option<SyncSender<Page>>>,
    thread: Option<JoinHandle<Result<Index, SearchError>>>,
}

impl Indexer {
    pub(crate) fn start() -> Result<Self, SearchError> {
        let (sender, receiver) = mpsc::sync_channel(QUEUE);
        let thread = std::thread::Builder::new()
            .name("search index".into())
            .spawn(move || index(&receiver))
            .map_err(|e| SearchError(e.to_string()))?;
        Ok(Self {
            sender: Mutex::new(Some(sender)),
            thread: Some(thread),
        })
    }

    /// Hands the page served at `url` to the index: `html` is its [`indexed_part`].
    pub(crate) fn add(&self, url: String, html: String) {
        let sender = self
            .sender
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(sender) = sender {
            let page = Page { url, html };
            // A closed channel means the indexer failed: `finish` reports why.
            let _ = sender.send(page);
        }
    }

    /// Waits for every page to be indexed and returns the index files.
    pub(crate) fn finish(mut self) -> Result<Index, SearchError> {
        self.sender.lock().unwrap_or_else(|e| e.into_inner()).take();
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(SearchError("the indexer stopped".to_string())),
            None => Err(SearchError("the indexer was not started".to_string())),
        }
    }
}

/// The part of a page the index reads, as a page of its own: `<html lang>` and the element
/// marked `data-pagefind-body` (found by its opening tag; the theme's pages close it with
/// the last `</article>`). The whole page when the mark is not there. Cut where the page is
/// rendered, on every thread.
pub(crate) fn indexed_part(html: &[u8]) -> String {
    let text = String::from_utf8_lossy(html);
    let Some(mark) = text.find(" data-pagefind-body") else {
        return text.into_owned();
    };
    let start = text[..mark].rfind('<').unwrap_or(0);
    let end = text[mark..]
        .rfind("</article>")
        .map_or(text.len(), |i| mark + i + "</article>".len());
    let lang = text
        .find("<html")
        .and_then(|i| text[i..].find('>').map(|j| &text[i..i + j + 1]))
        .unwrap_or("<html>");
    format!(
        "{lang}<body>{}</body></html>",
        without_code(&text[start..end])
    )
}

/// `html` with every `<pre>` element emptied: the index leaves code out (it is told to skip
/// `pre`), and the highlighted code is half the bytes of a post, all of them spans that Pagefind
/// would parse only to skip. The empty element stays where it was, so the words around it are
/// split as before. An element not closed is left as it is.
fn without_code(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = find_pre(rest) {
        let Some(close) = rest[open..].find("</pre>") else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str("<pre></pre>");
        rest = &rest[open + close + "</pre>".len()..];
    }
    out.push_str(rest);
    out
}

/// Where the first `<pre>` or `<pre ...>` tag of `html` starts.
fn find_pre(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = html[from..].find("<pre") {
        let at = from + i;
        match html.as_bytes().get(at + 4) {
            Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/') => return Some(at),
            _ => from = at + 4,
        }
    }
    None
}

/// The indexer's thread: every page received, then the index files.
fn index(pages: &Receiver<Page>) -> Result<Index, SearchError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SearchError(e.to_string()))?;
    runtime.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .exclude_selectors(vec!["pre".to_string()])
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options))
            .map_err(|e| SearchError(e.to_string()))?;
        let mut count = 0;
        while let Ok(page) = pages.recv() {
            index
                .add_html_file(None, Some(page.url.clone()), page.html)
                .await
                .map_err(|e| SearchError(format!("{}: {e}", page.url)))?;
            count += 1;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| SearchError(e.to_string()))?;
        let mut files: Vec<(PathBuf, Vec<u8>)> = files
            .into_iter()
            .map(|f| (f.filename, f.contents))
            .collect();
        files.sort();
        Ok(Index {
            files,
            pages: count,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_indexed_part_leaves_the_code_out_and_keeps_the_words_around_it() {
        let page = "<html lang=\"en\"><body><nav>menu</nav>\
            <article class=\"post\" data-pagefind-body><p>Before</p>\
            <pre class=\"code\"><code><span class=\"k\">fn</span> main</code></pre>\
            <p>a <preview>b</preview></p><pre>x</pre><p>After</p></article><footer>f</footer></body></html>";
        assert_eq!(
            indexed_part(page.as_bytes()),
            "<html lang=\"en\"><body><article class=\"post\" data-pagefind-body><p>Before</p>\
             <pre></pre><p>a <preview>b</preview></p><pre></pre><p>After</p></article></body></html>"
        );
    }

    #[test]
    fn a_pre_element_not_closed_is_left_as_it_is() {
        assert_eq!(
            without_code("<p>a</p><pre>b<p>c</p>"),
            "<p>a</p><pre>b<p>c</p>"
        );
        assert_eq!(without_code("<pre\n>b</pre><pre"), "<pre></pre><pre");
    }
}
