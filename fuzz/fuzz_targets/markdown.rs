//! Markdown rendering with highlighted code blocks, on any text: no panic, balanced output.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use playpress::{Highlighter, LineCache};

fn highlighter() -> &'static Highlighter {
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    HIGHLIGHTER.get_or_init(Highlighter::new)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let outline = playpress::markdown_outline(text, highlighter(), "/blog/", &mut LineCache::new());
    let _ = playpress::markdown_html(text, highlighter(), "/blog/", &mut LineCache::new());
    // Code blocks in every language are highlighted; a fence naming one keeps the same text.
    for language in ["rust", "python", "yaml", "sh", "toml", "js", "klingon"] {
        let _ = highlighter().highlight(Some(language), text);
    }
    assert!(outline.word_count <= text.len());
});
