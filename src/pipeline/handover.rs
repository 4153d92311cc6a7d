//! Pages handed to the search index in the plan's order, whatever order the threads render
//! them in, so that the index is the same from build to build. Every thread renders with its
//! own line cache from the first page to the last; the pages wait here only until the ones
//! before them are done.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, PoisonError};

/// Where the pages go, in order: the search indexer's `add`.
type Deliver<'i> = Box<dyn Fn(String, String) + Send + Sync + 'i>;

/// The hand-over to one indexer.
pub(super) struct Handover<'i> {
    send: Deliver<'i>,
    waiting: Mutex<Waiting>,
}

#[derive(Default)]
struct Waiting {
    /// The first entry not handed over yet.
    next: usize,
    /// Entries done, after `next`.
    done: BTreeSet<usize>,
    /// What the index reads of the pages among them: URL and HTML.
    pages: HashMap<usize, (String, String)>,
}

impl<'i> Handover<'i> {
    pub(super) fn new(send: impl Fn(String, String) + Send + Sync + 'i) -> Self {
        Self {
            send: Box::new(send),
            waiting: Mutex::new(Waiting::default()),
        }
    }

    /// Entry `index` has a page for the index (handed over once the entry is [`done`]).
    ///
    /// [`done`]: Handover::done
    pub(super) fn page(&self, index: usize, url: String, html: String) {
        self.lock().pages.insert(index, (url, html));
    }

    /// Entry `index` is done (rendered, kept or failed): every page whose turn has come goes
    /// to the indexer.
    pub(super) fn done(&self, index: usize) {
        let mut waiting = self.lock();
        waiting.done.insert(index);
        loop {
            let next = waiting.next;
            if !waiting.done.remove(&next) {
                break;
            }
            waiting.next += 1;
            if let Some((url, html)) = waiting.pages.remove(&next) {
                (self.send)(url, html);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Waiting> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_go_out_in_the_plan_order_whatever_order_they_are_done_in() {
        let sent = Mutex::new(Vec::new());
        let handover = Handover::new(|url, _| sent.lock().unwrap().push(url));
        handover.page(2, "/c/".into(), String::new());
        handover.done(2);
        handover.page(0, "/a/".into(), String::new());
        assert!(
            sent.lock().unwrap().is_empty(),
            "nothing goes before entry 0 is done"
        );
        handover.done(1); // an entry with no page for the index (a feed, a kept page)
        handover.done(0);
        handover.page(3, "/d/".into(), String::new());
        handover.done(3);
        assert_eq!(*sent.lock().unwrap(), ["/a/", "/c/", "/d/"]);
    }
}
