//! Syntax highlighting of code blocks with syntect (plus the two-face grammars), into CSS
//! classes ([`super::stylesheet`] makes their colours).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use std::collections::HashSet;

use syntect::html::ClassStyle;
use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet,
};
use syntect::util::LinesWithEndings;
use thiserror::Error;

use crate::load::config::HighlightConfig;
pub(crate) use crate::markdown::budget::OverBudget;
use crate::markdown::code_cache::CodeCache;
pub use crate::markdown::lines::LineCache;
pub(crate) use crate::markdown::lines::map_with_lines;
pub(crate) use crate::markdown::stylesheet::{stylesheet, theme_names};

/// Changes whenever the HTML made for a block could change, so cached blocks of an older
/// playpress are not reused.
pub(crate) const VERSION: &str = concat!(
    "playpress ",
    env!("CARGO_PKG_VERSION"),
    " syntect 5.3 two-face 0.5 html 2"
);

/// This file's own text: it makes the HTML of a block, so any edit to it must miss cached
/// blocks even when nobody remembered to change [`VERSION`].
const SOURCE: &str = concat!(include_str!("highlight.rs"), include_str!("lines.rs"));

/// CSS classes are prefixed so they never clash with the theme's own classes.
pub(super) const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Fence names that mean "no highlighting", without a warning.
/// Diagrams (`mermaid`, Hugo's and GitHub's way to draw them) are plain text too: their
/// `language-mermaid` class lets a theme's script draw them.
const PLAIN: [&str; 11] = [
    "text",
    "plain",
    "plaintext",
    "txt",
    "none",
    "output",
    "mermaid",
    "plantuml",
    "dot",
    "graphviz",
    "math",
];

/// Common fence names that syntect does not know by that name.
const ALIASES: [(&str, &str); 8] = [
    ("shell", "bash"),
    ("console", "bash"),
    ("shellsession", "bash"),
    ("terminal", "bash"),
    ("zsh", "bash"),
    ("golang", "go"),
    ("py3", "python"),
    ("yml", "yaml"),
];

/// A problem with the configured highlighting themes.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum HighlightError {
    #[error("unknown highlight theme `{name}` (config key `highlight.{key}`)")]
    UnknownTheme {
        key: &'static str,
        name: String,
        suggestion: Option<String>,
    },
    #[error("cannot generate CSS for theme `{0}`")]
    Css(String),
}

/// The result of highlighting one block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlighted {
    /// `<pre>` element with the highlighted (or escaped) code.
    pub html: String,
    /// The fence named a language that no grammar matches: the block was escaped as plain text.
    pub unknown_language: bool,
    /// The block was too large to highlight: it was escaped as plain text.
    pub over_budget: Option<OverBudget>,
}

/// Highlights code. The grammars are loaded on first use, once, and shared by all threads.
///
/// syntect's own grammars come first: for the languages it has they are about twice as fast
/// as the newer ones bundled by two-face. two-face adds the languages syntect lacks (TOML,
/// TypeScript, Dockerfile...) and is loaded only when a block needs one of them.
///
/// A highlighter may remember blocks: in memory (a server keeps its highlighter across
/// rebuilds, so unchanged code is never highlighted twice) and on disk (a [`CodeCache`], so
/// a rebuild of an unchanged site highlights nothing).
#[derive(Default)]
pub struct Highlighter {
    /// The code colour themes: only the scope names they style become classes.
    themes: HighlightConfig,
    styled: OnceLock<Vec<Vec<String>>>,
    syntect: OnceLock<SyntaxSet>,
    two_face: OnceLock<SyntaxSet>,
    memory: Option<Mutex<HashMap<u128, Highlighted>>>,
    disk: Option<CodeCache>,
    /// Mixed into every cache key: the themes in use.
    salt: String,
    /// Time spent highlighting, summed over threads, in nanoseconds.
    busy: AtomicU64,
    /// Blocks served from a cache.
    hits: AtomicU64,
    /// Blocks highlighted.
    misses: AtomicU64,
    /// Over the [`CountedLineCache`]s dropped: lines reused, lines parsed, caches.
    lines_reused: AtomicU64,
    lines_parsed: AtomicU64,
    line_caches: AtomicU64,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highlighter")
            .field("memory", &self.memory.is_some())
            .field("disk", &self.disk.is_some())
            .finish_non_exhaustive()
    }
}

/// The cache key of a block: a 128-bit hash of the version, themes, language and code.
fn block_key(salt: &str, language: Option<&str>, code: &str) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in [VERSION, salt] {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    match language {
        Some(lang) => {
            hasher.update(&[1]);
            hasher.update(&(lang.len() as u64).to_le_bytes());
            hasher.update(lang.as_bytes());
        }
        None => hasher.update(&[0]),
    }
    hasher.update(code.as_bytes());
    hasher.digest128()
}

/// A [`LineCache`] for one job of a parallel loop (`map_init(|| h.line_cache(), ..)`); when the
/// job ends, its counts are added to the highlighter's.
pub struct CountedLineCache<'a> {
    owner: &'a Highlighter,
    cache: LineCache,
}

impl CountedLineCache<'_> {
    pub fn get(&mut self) -> &mut LineCache {
        &mut self.cache
    }
}

impl Drop for CountedLineCache<'_> {
    fn drop(&mut self) {
        let counts = [
            (&self.owner.lines_reused, self.cache.reused),
            (&self.owner.lines_parsed, self.cache.parsed),
            (&self.owner.line_caches, 1),
        ];
        for (total, n) in counts {
            total.fetch_add(n, Ordering::Relaxed);
        }
    }
}

impl Highlighter {
    /// A line cache for one job of a parallel loop, counted in [`Highlighter::line_stats`].
    /// syntect's parser state cannot move between threads, so a cache cannot outlive its job.
    pub fn line_cache(&self) -> CountedLineCache<'_> {
        CountedLineCache {
            owner: self,
            cache: LineCache::new(),
        }
    }

    /// Code lines answered from a line cache, lines parsed, and caches started, over the
    /// [`CountedLineCache`]s dropped so far.
    pub fn line_stats(&self) -> (u64, u64, u64) {
        (
            self.lines_reused.load(Ordering::Relaxed),
            self.lines_parsed.load(Ordering::Relaxed),
            self.line_caches.load(Ordering::Relaxed),
        )
    }

    /// A highlighter for the default themes that remembers nothing.
    pub fn new() -> Self {
        Self::for_themes(&HighlightConfig::default())
    }

    /// A highlighter for the themes in `config` that remembers nothing.
    pub fn for_themes(config: &HighlightConfig) -> Self {
        Self {
            themes: config.clone(),
            salt: format!(
                "{}\n{}\n{:032x}",
                config.light,
                config.dark,
                xxhash_rust::xxh3::xxh3_128(SOURCE.as_bytes())
            ),
            ..Self::default()
        }
    }

    /// A highlighter that keeps every block in memory (for `serve`).
    pub fn remembering(config: &HighlightConfig) -> Self {
        Self {
            memory: Some(Mutex::new(HashMap::new())),
            ..Self::for_themes(config)
        }
    }

    /// A highlighter for a server: blocks come from `cache` (read only) or, when this
    /// highlighter made them, from memory; only those are kept in memory.
    pub fn serving(cache: CodeCache, config: &HighlightConfig) -> Self {
        Self {
            disk: Some(cache),
            memory: Some(Mutex::new(HashMap::new())),
            ..Self::for_themes(config)
        }
    }

    /// A highlighter that reads and writes the on-disk code cache, for the themes in `config`.
    pub fn with_disk_cache(cache: CodeCache, config: &HighlightConfig) -> Self {
        Self {
            disk: Some(cache),
            ..Self::for_themes(config)
        }
    }

    /// The themes this highlighter makes classes for.
    pub fn themes(&self) -> &HighlightConfig {
        &self.themes
    }

    /// What, besides a block's language and code, its HTML depends on: the themes and this
    /// highlighter's own code. Part of every block's cache key and of every page's fingerprint.
    pub fn salt(&self) -> &str {
        &self.salt
    }

    /// The class sets the themes' CSS rules ask for: each scope of a theme selector becomes
    /// a compound selector (`.hl-meta.hl-function`). An element matches a compound when it has
    /// all its classes, so a span needs only the classes of the compounds it matches, and a
    /// span that matches none is left out: styling is the same, pages are much smaller.
    fn styled(&self) -> &[Vec<String>] {
        self.styled.get_or_init(|| {
            let themes = two_face::theme::LazyThemeSet::from(two_face::theme::extra());
            let mut compounds: Vec<Vec<String>> = Vec::new();
            for name in [&self.themes.light, &self.themes.dark] {
                for item in themes
                    .get(name)
                    .map(|t| t.scopes.as_slice())
                    .unwrap_or_default()
                {
                    for selector in &item.scope.selectors {
                        for scope in selector.extract_scopes() {
                            let atoms: Vec<String> = scope
                                .build_string()
                                .split('.')
                                .map(str::to_string)
                                .collect();
                            if !compounds.contains(&atoms) {
                                compounds.push(atoms);
                            }
                        }
                    }
                }
            }
            compounds
        })
    }

    /// Writes the on-disk cache, if there is one; `prune` drops the blocks this build did not
    /// ask for, right only when it rendered every page (see [`CodeCache::save`]).
    pub fn save_cache(self, prune: bool) -> std::io::Result<()> {
        match self.disk {
            Some(cache) => cache.save(prune),
            None => Ok(()),
        }
    }

    /// The warning that the on-disk cache was found damaged (and rebuilt), if it was.
    pub(crate) fn cache_damage(&self) -> Option<crate::diagnostic::Diagnostic> {
        self.disk.as_ref().and_then(CodeCache::damage)
    }

    /// Time spent highlighting (summed over threads), blocks reused, blocks highlighted.
    pub fn stats(&self) -> (Duration, u64, u64) {
        (
            Duration::from_nanos(self.busy.load(Ordering::Relaxed)),
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// The grammar for a fence name, and the set it belongs to.
    fn find(&self, language: &str) -> Option<(&SyntaxSet, &SyntaxReference)> {
        let lower = language.to_ascii_lowercase();
        let name = ALIASES
            .iter()
            .find(|(alias, _)| *alias == lower)
            .map_or(lower.as_str(), |(_, target)| target);
        let syntect = self.syntect.get_or_init(SyntaxSet::load_defaults_newlines);
        if let Some(syntax) = syntect.find_syntax_by_token(name) {
            return Some((syntect, syntax));
        }
        let extra = self.two_face.get_or_init(two_face::syntax::extra_newlines);
        extra
            .find_syntax_by_token(name)
            .map(|syntax| (extra, syntax))
    }

    /// Whether a fence name is shown as plain text because no grammar knows it (without
    /// highlighting anything).
    pub fn is_unknown(&self, language: Option<&str>) -> bool {
        match language.map(str::trim).filter(|l| !l.is_empty()) {
            None => false,
            Some(lang) => {
                !PLAIN.contains(&lang.to_ascii_lowercase().as_str()) && self.find(lang).is_none()
            }
        }
    }

    /// Why `code` in `language` would be too large to highlight; `None` for blocks shown as
    /// plain text anyway (no language, `text`, an unknown one), which cost no more than
    /// escaping.
    pub fn over_budget(&self, language: Option<&str>, code: &str) -> Option<OverBudget> {
        let lang = language?;
        if PLAIN.contains(&lang.to_ascii_lowercase().as_str()) || self.find(lang).is_none() {
            return None;
        }
        OverBudget::of(code)
    }

    /// Highlights `code` written in `language` (the first word of the fence's info string).
    pub fn highlight(&self, language: Option<&str>, code: &str) -> Highlighted {
        self.highlight_with(language, code, &mut LineCache::new())
    }

    /// [`Highlighter::highlight`], reusing the lines this thread has parsed before.
    pub fn highlight_with(
        &self,
        language: Option<&str>,
        code: &str,
        lines: &mut LineCache,
    ) -> Highlighted {
        let started = Instant::now();
        let language = language.map(str::trim).filter(|l| !l.is_empty());
        if let Some(over) = self.over_budget(language, code) {
            return Highlighted {
                html: plain_block(language, code),
                unknown_language: false,
                over_budget: Some(over),
            };
        }
        let remembered = self.memory.is_some() || self.disk.is_some();
        let key = if remembered {
            block_key(&self.salt, language, code)
        } else {
            0
        };
        let in_memory = self.memory.as_ref().and_then(|m| {
            m.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&key)
                .cloned()
        });
        let mut remember = in_memory.is_none();
        let cached = in_memory.or_else(|| {
            self.disk
                .as_ref()
                .and_then(|d| d.get(key))
                .map(|html| Highlighted {
                    html,
                    unknown_language: self.is_unknown(language),
                    over_budget: None,
                })
        });
        let highlighted = match cached {
            Some(hit) => {
                // Kept on disk (or already in memory): no need to hold it in memory too.
                remember = false;
                self.hits.fetch_add(1, Ordering::Relaxed);
                hit
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                let fresh = self.highlight_uncached(language, code, lines);
                if let Some(disk) = &self.disk {
                    disk.put(key, &fresh.html);
                }
                fresh
            }
        };
        if let Some(memory) = self.memory.as_ref().filter(|_| remember) {
            memory
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(key, highlighted.clone());
        }
        let spent = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.busy.fetch_add(spent, Ordering::Relaxed);
        highlighted
    }

    /// How many distinct blocks are kept in memory.
    pub fn cached_blocks(&self) -> usize {
        self.memory.as_ref().map_or(0, |m| {
            m.lock().unwrap_or_else(PoisonError::into_inner).len()
        })
    }

    fn highlight_uncached(
        &self,
        language: Option<&str>,
        code: &str,
        lines: &mut LineCache,
    ) -> Highlighted {
        let plain = |unknown_language: bool| Highlighted {
            html: plain_block(language, code),
            unknown_language,
            over_budget: None,
        };
        let Some(lang) = language else {
            return plain(false);
        };
        if PLAIN.contains(&lang.to_ascii_lowercase().as_str()) {
            return plain(false);
        }
        let Some((set, syntax)) = self.find(lang) else {
            return plain(true);
        };
        let me = std::ptr::from_ref(self) as usize;
        if lines.owner != me {
            // A cache filled with another highlighter's grammars would be wrong here.
            *lines = LineCache::owned_by(me);
        }
        let mut html = String::with_capacity(code.len() * 4 + 128);
        open_block(&mut html, Some(lang));
        let mut state = std::rc::Rc::new(ParseState::new(syntax));
        let mut spans = Spans::default();
        for line in LinesWithEndings::from(code) {
            let Some(ops) = lines.parse(set, syntax, &mut state, line) else {
                // A grammar failure is a bug in the grammar, not in the post: show the code.
                return plain(false);
            };
            if spans
                .line(line, &ops, self.styled(), &mut lines.classes, &mut html)
                .is_err()
            {
                return plain(false);
            }
        }
        spans.close(&mut html);
        html.push_str("</code></pre>\n");
        Highlighted {
            html,
            unknown_language: false,
            over_budget: None,
        }
    }
}

/// The spans open while turning parsed lines into HTML.
#[derive(Default)]
struct Spans {
    stack: ScopeStack,
    /// For each scope pushed: whether it opened a span, where its tag starts, and where its
    /// content starts (a span that ends with no content is removed).
    open: Vec<Option<(usize, usize)>>,
}

impl Spans {
    /// Appends one line, a span for each scope the themes style.
    fn line(
        &mut self,
        line: &str,
        ops: &[(usize, ScopeStackOp)],
        styled: &[Vec<String>],
        classes: &mut HashMap<Scope, Option<Box<str>>>,
        html: &mut String,
    ) -> Result<(), syntect::parsing::ScopeError> {
        let mut done = 0;
        for (at, op) in ops {
            let at = (*at).min(line.len());
            if at > done {
                escape_text(html, &line[done..at]);
                done = at;
            }
            let open = &mut self.open;
            self.stack.apply_with_hook(op, |basic, _| match basic {
                BasicScopeStackOp::Push(scope) => {
                    let class = classes.entry(scope).or_insert_with(|| {
                        let name = scope.build_string();
                        let atoms: Vec<&str> = name.split('.').collect();
                        let needed: HashSet<&str> = styled
                            .iter()
                            .filter(|compound| compound.iter().all(|a| atoms.contains(&a.as_str())))
                            .flatten()
                            .map(String::as_str)
                            .collect();
                        let names: Vec<String> = atoms
                            .iter()
                            .filter(|atom| needed.contains(**atom))
                            .map(|atom| format!("hl-{atom}"))
                            .collect();
                        (!names.is_empty()).then(|| names.join(" ").into_boxed_str())
                    });
                    match class {
                        Some(class) => {
                            let start = html.len();
                            html.push_str("<span class=\"");
                            html.push_str(class);
                            html.push_str("\">");
                            open.push(Some((start, html.len())));
                        }
                        None => open.push(None),
                    }
                }
                BasicScopeStackOp::Pop => match open.pop() {
                    Some(Some((start, content))) if content == html.len() => html.truncate(start),
                    Some(Some(_)) => html.push_str("</span>"),
                    _ => {}
                },
            })?;
        }
        escape_text(html, &line[done..]);
        Ok(())
    }

    /// Closes the spans still open at the end of the block.
    fn close(self, html: &mut String) {
        for span in self.open.into_iter().rev().flatten() {
            if span.1 == html.len() {
                html.truncate(span.0);
            } else {
                html.push_str("</span>");
            }
        }
    }
}

fn escape_text(html: &mut String, text: &str) {
    pulldown_cmark_escape::escape_html_body_text(html, text).ok();
}

/// The opening tags of a code block, highlighted or not: focusable, so it scrolls by keyboard.
fn open_block(html: &mut String, language: Option<&str>) {
    match language {
        Some(lang) => {
            let lang = escape_attr(lang);
            html.push_str(&format!(
                "<pre class=\"hl-code\" data-lang=\"{lang}\" tabindex=\"0\"><code class=\"language-{lang}\">"
            ));
        }
        None => html.push_str("<pre class=\"hl-code\" tabindex=\"0\"><code>"),
    }
}

fn plain_block(language: Option<&str>, code: &str) -> String {
    let mut html = String::with_capacity(code.len() + 64);
    open_block(&mut html, language);
    pulldown_cmark_escape::escape_html_body_text(&mut html, code).ok();
    html.push_str("</code></pre>\n");
    html
}

fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_rust_into_classes() {
        let h = Highlighter::new();
        let out = h.highlight(Some("rs"), "fn main() {}\n");
        assert!(!out.unknown_language);
        assert!(
            out.html.contains(
                "<span class=\"hl-storage\">fn</span> <span class=\"hl-entity hl-name hl-function\">main</span>() {}"
            ),
            "{}",
            out.html
        );
        assert!(
            !out.html.contains("hl-rust"),
            "classes no theme styles are left out"
        );
        assert!(!out.html.contains("style="));
    }

    #[test]
    fn aliases_and_two_face_grammars() {
        let h = Highlighter::new();
        for lang in [
            "sh", "shell", "console", "yml", "js", "ts", "toml", "python",
        ] {
            let out = h.highlight(Some(lang), "x = 1\n");
            assert!(!out.unknown_language, "{lang}");
            assert!(
                out.html.contains("<span class=\"hl-"),
                "{lang}: {}",
                out.html
            );
        }
    }

    #[test]
    fn blocks_are_cached_by_language_and_code() {
        let h = Highlighter::remembering(&HighlightConfig::default());
        let first = h.highlight(Some("rust"), "fn a() {}\n");
        assert_eq!(h.cached_blocks(), 1);
        assert_eq!(h.highlight(Some("rust"), "fn a() {}\n"), first);
        assert_eq!(
            h.cached_blocks(),
            1,
            "the same block is not highlighted twice"
        );
        h.highlight(Some("python"), "fn a() {}\n");
        h.highlight(None, "fn a() {}\n");
        assert_eq!(h.cached_blocks(), 3, "another language is another block");
    }

    #[test]
    fn plain_and_unknown_are_escaped() {
        let h = Highlighter::new();
        let out = h.highlight(Some("text"), "<b>&</b>\n");
        assert!(!out.unknown_language);
        assert!(out.html.contains("&lt;b&gt;&amp;&lt;/b&gt;"));
        let out = h.highlight(Some("klingon"), "<x>\n");
        assert!(out.unknown_language);
        assert!(out.html.contains("&lt;x&gt;"));
        assert!(out.html.contains("language-klingon"));
    }
}
