//! The lines one thread has already parsed, so a line repeated across code blocks (braces,
//! imports, blank lines) is parsed once.

use std::collections::HashMap;

use syntect::parsing::{ParseState, Scope, ScopeStackOp, SyntaxReference, SyntaxSet};

/// What the parser made of one line, in one state.
struct Memo {
    before: ParseState,
    ops: Vec<(usize, ScopeStackOp)>,
    after: ParseState,
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
    pub const BUDGET: usize = 24 * 1024 * 1024;
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

    /// The result of parsing `line` with `syntax` from `state`, from the cache or the parser.
    pub(super) fn parse(
        &mut self,
        set: &SyntaxSet,
        syntax: &SyntaxReference,
        state: &mut ParseState,
        line: &str,
    ) -> Option<Vec<(usize, ScopeStackOp)>> {
        let grammar = std::ptr::from_ref(syntax) as usize;
        if let Some(memo) = self
            .entries
            .get(&grammar)
            .and_then(|lines| lines.get(line))
            .and_then(|memos| memos.iter().find(|m| m.before == *state))
        {
            *state = memo.after.clone();
            self.reused += 1;
            return Some(memo.ops.clone());
        }
        self.parsed += 1;
        let before = (self.bytes < Self::BUDGET).then(|| state.clone());
        let ops = state.parse_line(line, set).ok()?;
        if let Some(before) = before {
            let memos = self
                .entries
                .entry(grammar)
                .or_default()
                .entry(Box::from(line))
                .or_default();
            if memos.len() < Self::STATES {
                self.bytes += line.len() + ops.len() * 32 + 512;
                memos.push(Memo {
                    before,
                    ops: ops.clone(),
                    after: state.clone(),
                });
            }
        }
        Some(ops)
    }
}
