//! Words: how many a text has, for reading times and word counts, and where a text too
//! long for a description or a summary is cut.

use std::borrow::Cow;

/// For each ASCII byte: 1 for a letter or digit, 2 for whitespace, 0 for anything else.
const ASCII_CLASS: [usize; 128] = {
    let mut table = [0; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphanumeric() {
            1
        } else if c.is_ascii_whitespace() || c == 0x0b {
            2
        } else {
            0
        };
        b += 1;
    }
    table
};

/// The number of whitespace-separated words with at least one letter or digit, in one pass;
/// ASCII text, the usual case and a hot path of a warm build, goes through a table.
pub(crate) fn count_words(text: &str) -> usize {
    if text.is_ascii() {
        // Branch-free over bytes: a word is counted at the whitespace that ends it.
        let mut count = 0;
        let mut word_has_alphanumeric = 0;
        for &b in text.as_bytes() {
            let class = ASCII_CLASS[usize::from(b & 0x7f)];
            count += word_has_alphanumeric & (class >> 1);
            word_has_alphanumeric = (word_has_alphanumeric | (class & 1)) & !(class >> 1);
        }
        return count + word_has_alphanumeric;
    }
    let mut count = 0;
    let mut word_has_alphanumeric = false;
    for c in text.chars() {
        if c.is_whitespace() {
            count += usize::from(word_has_alphanumeric);
            word_has_alphanumeric = false;
        } else {
            word_has_alphanumeric |= c.is_alphanumeric();
        }
    }
    count + usize::from(word_has_alphanumeric)
}

/// `text` cut to at most `budget` characters, `…` included, at the end of a word; the whole
/// text when it is that short. Where no word ends in the second half of the budget (Chinese
/// and Japanese, which put no spaces between words, or one very long word), it is cut at a
/// character. Linear in `budget`, whatever the length of `text`.
pub(crate) fn cut_at_word(text: &str, budget: usize) -> Cow<'_, str> {
    // No more bytes than the budget: no more characters either.
    if text.len() <= budget {
        return Cow::Borrowed(text);
    }
    let Some((limit, _)) = text.char_indices().nth(budget) else {
        return Cow::Borrowed(text);
    };
    // One character less, for the `…`.
    let end = text[..limit]
        .char_indices()
        .next_back()
        .map_or(0, |(i, _)| i);
    let (head, next) = (&text[..end], text[end..].chars().next());
    let by_character = head.chars().next_back().is_some_and(super::cjk::is_cjk)
        || next.is_some_and(super::cjk::is_cjk);
    let cut = if by_character || next.is_some_and(char::is_whitespace) {
        head
    } else {
        match head.rfind(char::is_whitespace) {
            Some(space) if space >= end / 2 => &head[..space],
            _ => head,
        }
    };
    let dangling = |c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—');
    Cow::Owned(format!("{}…", cut.trim_end_matches(dangling)))
}

#[cfg(test)]
mod tests {
    use super::cut_at_word;

    #[test]
    fn texts_are_cut_at_a_word() {
        assert_eq!(cut_at_word("short enough", 12), "short enough");
        assert_eq!(cut_at_word("one two three four", 12), "one two…");
        assert_eq!(cut_at_word("one two, three four", 10), "one two…");
        // The cut falls between two words.
        assert_eq!(cut_at_word("one two three", 8), "one two…");
        // One long word, Chinese: at a character.
        assert_eq!(
            cut_at_word(&"x".repeat(30), 10),
            format!("{}…", "x".repeat(9))
        );
        assert_eq!(cut_at_word("香港的數碼轉型很快", 5), "香港的數…");
        assert_eq!(cut_at_word("Hong Kong 香港的數碼轉型", 12), "Hong Kong 香…");
        // Characters, not bytes.
        assert_eq!(cut_at_word("café crème brûlée", 12), "café crème…");
        assert_eq!(cut_at_word(&"é ".repeat(100), 20).chars().count(), 20);
    }
}
