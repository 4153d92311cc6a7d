//! The lines one thread has already parsed, so a line repeated across code blocks (braces,
//! imports, blank lines) is parsed once.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use super::highlight::Highlighter;
use syntect::parsing::{ParseState, Scope, ScopeStackOp, SyntaxReference, SyntaxSet};

/// The scope changes syntect found in one line, shared between the cache and its users.
pub(super) type Ops = Rc<[(usize, ScopeStackOp)]>;

/// What the parser made of one line, in one state. The states are shared: the state after
/// one line is the state before the next, and a line answered from the cache hands its
/// state on without copying it.
struct Memo {
    before: Rc<ParseState>,
    ops: Ops,
    after: Rc<ParseState>,
}

/// Lines one thread has already parsed. For the same grammar, line and parser state syntect
/// always returns the same result, and code repeats lines a lot (braces, imports, blank
/// lines), so each is parsed once. syntect's parser state cannot move between threads, so
/// every worker keeps its own cache; it stops growing at about [`LineCache::BUDGET`] bytes.
#[derive(Default)]
pub struct LineCache {
    pub(super) owner: usize,
    /// Per grammar (by address), per line text: the states seen and what came of them.
    entries: HashMap<usize, HashMap<Box<str>, Vec<Memo>>>,
    bytes: usize,
    /// Lines answered from `entries`, and lines handed to the parser.
    pub(super) reused: u64,
    pub(super) parsed: u64,
    /// The `class` attribute for each scope; `None` when the themes style none of its names.
    pub(super) classes: HashMap<Scope, Option<Box<str>>>,
}

impl LineCache {
    /// Rough memory a cache may use.
    pub const BUDGET: usize = 16 * 1024 * 1024;
    /// States kept for one line (the same line in more states is parsed each time).
    const STATES: usize = 4;

    pub fn new() -> Self {
        Self::default()
    }

    /// An empty cache for the highlighter whose address is `owner`: a cache filled with
    /// another highlighter's grammars would be wrong for it.
    pub(super) fn owned_by(owner: usize) -> Self {
        Self {
            owner,
            ..Self::default()
        }
    }

    /// The result of parsing `line` with `syntax` from `state`, from the cache or the parser;
    /// `state` becomes the state after the line.
    pub(super) fn parse(
        &mut self,
        set: &SyntaxSet,
        syntax: &SyntaxReference,
        state: &mut Rc<ParseState>,
        line: &str,
    ) -> Option<Ops> {
        let grammar = std::ptr::from_ref(syntax) as usize;
        if let Some(memo) = self
            .entries
            .get(&grammar)
            .and_then(|lines| lines.get(line))
            .and_then(|memos| {
                memos
                    .iter()
                    .find(|m| Rc::ptr_eq(&m.before, state) || m.before == *state)
            })
        {
            *state = Rc::clone(&memo.after);
            self.reused += 1;
            return Some(Rc::clone(&memo.ops));
        }
        self.parsed += 1;
        let mut next = ParseState::clone(state);
        let ops: Ops = next.parse_line(line, set).ok()?.into();
        // Most lines leave the state as it was: share it rather than keep a copy of it.
        let after = if next == **state {
            Rc::clone(state)
        } else {
            Rc::new(next)
        };
        let before = std::mem::replace(state, Rc::clone(&after));
        if self.bytes < Self::BUDGET {
            let memos = self
                .entries
                .entry(grammar)
                .or_default()
                .entry(Box::from(line))
                .or_default();
            if memos.len() < Self::STATES {
                self.bytes += line.len() + ops.len() * 32 + 256;
                memos.push(Memo {
                    before,
                    ops: Rc::clone(&ops),
                    after,
                });
            }
        }
        Some(ops)
    }
}

/// Runs `f` on every item on every thread of the pool and returns the results in the items'
/// order. Each thread keeps one line cache for every item it takes, taking the next item
/// when it is done with one, so a line repeated anywhere in the site is parsed about once
/// per thread (a rayon `map_init` starts a cache for every piece it splits the work into:
/// 71 for 10,000 posts, each starting empty).
pub(crate) fn map_with_lines<T: Send, R: Send>(
    highlighter: &Highlighter,
    items: Vec<T>,
    f: impl Fn(&mut LineCache, T) -> R + Sync,
) -> Vec<R> {
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let results: Vec<Mutex<Option<R>>> = slots.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let workers = rayon::current_num_threads().clamp(1, slots.len().max(1));
    rayon::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|_| {
                let mut lines = highlighter.line_cache();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(slot) = slots.get(index) else {
                        break;
                    };
                    let item = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
                    if let Some(item) = item {
                        let result = f(lines.get(), item);
                        *results[index]
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner) = Some(result);
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .filter_map(|r| r.into_inner().unwrap_or_else(PoisonError::into_inner))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_that_leaves_the_state_as_it_was_shares_it() {
        let set = SyntaxSet::load_defaults_newlines();
        let Some(python) = set.find_syntax_by_token("python") else {
            panic!("syntect knows Python");
        };
        let mut cache = LineCache::new();
        let mut state = Rc::new(ParseState::new(python));
        assert!(cache.parse(&set, python, &mut state, "x = 1\n").is_some());
        let before = Rc::clone(&state);
        assert!(cache.parse(&set, python, &mut state, "y = 2\n").is_some());
        assert!(Rc::ptr_eq(&before, &state), "no copy of an unchanged state");
        assert!(cache.parse(&set, python, &mut state, "def f(\n").is_some());
        assert!(
            !Rc::ptr_eq(&before, &state),
            "an open call is another state"
        );
        assert_eq!(cache.parsed, 3);
    }

    #[test]
    fn map_with_lines_keeps_the_order_and_one_cache_per_thread() {
        let highlighter = Highlighter::new();
        let items: Vec<usize> = (0..500).collect();
        let out = map_with_lines(&highlighter, items, |lines, i| {
            highlighter.highlight_with(Some("rust"), "fn main() {}\n", lines);
            i * 2
        });
        assert_eq!(out, (0..500).map(|i| i * 2).collect::<Vec<_>>());
        let (reused, parsed, caches) = highlighter.line_stats();
        assert_eq!(reused + parsed, 500);
        assert!(caches as usize <= rayon::current_num_threads(), "{caches}");
        assert_eq!(parsed, caches, "each cache parses the line once");
    }
}
