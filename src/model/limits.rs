//! The documented upper limits on what one post may ask for: parts in a series, tags on one
//! post, and the length of a URL segment. Each keeps the work and the output of a build
//! linear in what the site lists, and each is an error naming the file, the key and the limit.
//! Descriptions and summaries are bounded too, by cutting them.

/// The highest `series_part` and `total_parts`: every part page lists every part, so a
/// series of n parts writes n² links.
pub(crate) const MAX_PARTS: u32 = 1_000;

/// Tags on one post: every tag page shows the post's card with all its tags.
pub(crate) const MAX_TAGS: usize = 100;

/// Bytes in one segment of a URL path (a slug, a tag's or a series' slug, a part of an
/// alias). File systems allow 255 bytes in a file name; the rest is room for the temporary
/// names a build writes first.
pub(crate) const MAX_SEGMENT_BYTES: usize = 200;

/// Characters in a description: a page's meta description, `og:description` and JSON-LD,
/// a feed's summary, a series' description in lists. A longer one, the author's own too, is
/// cut at a word (`…` added): search engines and feed readers show less.
pub(crate) const DESCRIPTION_CHARACTERS: usize = 300;

/// Characters in a summary on a card (the index, tags, series, feeds): a first paragraph or a
/// `summary:` longer than this is shown as its text cut at a word. A summary that ends at
/// `<!-- more -->` is shown as the author cut it.
pub(crate) const SUMMARY_CHARACTERS: usize = 600;

/// `text` cut to a length fit for a message.
pub(crate) fn shortened(text: &str) -> String {
    const SHOWN: usize = 40;
    if text.chars().count() <= SHOWN {
        return text.to_string();
    }
    let head: String = text.chars().take(SHOWN).collect();
    format!("{head}...")
}

pub(crate) use crate::diagnostic::grouped;

/// The longest segment of a site path, when it is over [`MAX_SEGMENT_BYTES`].
pub(crate) fn overlong_segment(path: &str) -> Option<&str> {
    path.split('/')
        .filter(|s| s.len() > MAX_SEGMENT_BYTES)
        .max_by_key(|s| s.len())
}

/// Says that `what` ("tag `x`", "`slug`") makes the URL segment `segment`, which is too long.
pub(crate) fn too_long_message(what: &str, segment: &str) -> String {
    format!(
        "{what} is too long for a URL: {} bytes, at most {MAX_SEGMENT_BYTES} are allowed",
        segment.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_shortened() {
        assert_eq!(shortened("short"), "short");
        assert_eq!(
            shortened(&"a".repeat(300)),
            format!("{}...", "a".repeat(40))
        );
    }

    #[test]
    fn segments_are_measured_in_bytes() {
        assert_eq!(overlong_segment("/posts/a/"), None);
        let long = "\u{4e2d}".repeat(70); // 210 bytes, 70 characters
        assert_eq!(
            overlong_segment(&format!("/tags/{long}/")),
            Some(long.as_str())
        );
    }
}
