//! Text in Chinese, Japanese and Korean, which has no spaces between words: its length read
//! in characters (reading time), summaries cut at a sentence end, and heading ids that keep
//! the characters readers can read (`引言`, not the romanised `yin-yan`). Pure.

/// CJK characters read a minute. Studies of silent reading of Chinese put it near 250 to 500;
/// 300 is the figure most reading-time tools (and Medium) use for Chinese and Japanese.
pub(crate) const CHARACTERS_PER_MINUTE: usize = 300;

/// A character read as a word of its own: Han ideographs, kana and Hangul syllables.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x3134F  // CJK Extensions B to G
    )
}

/// The words and the CJK characters of `text`: words are counted as `count_words` counts
/// them (whitespace-separated, with a letter or digit), a CJK character ending a word as a
/// space does; each CJK character is one character.
pub(crate) fn count(text: &str) -> (usize, usize) {
    let (mut words, mut characters, mut word_has_alphanumeric) = (0, 0, false);
    for c in text.chars() {
        if is_cjk(c) {
            characters += 1;
            words += usize::from(word_has_alphanumeric);
            word_has_alphanumeric = false;
        } else if c.is_whitespace() {
            words += usize::from(word_has_alphanumeric);
            word_has_alphanumeric = false;
        } else {
            word_has_alphanumeric |= c.is_alphanumeric();
        }
    }
    (words + usize::from(word_has_alphanumeric), characters)
}

/// A CJK character or CJK punctuation (`。`, `，`, `「`, full-width forms).
fn is_cjk_text(c: char) -> bool {
    is_cjk(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// `text` on one line: its whitespace runs made one space, except between two CJK
/// characters (or punctuation), where a line break is no space at all.
pub(crate) fn join_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let glued = out.chars().next_back().is_some_and(is_cjk_text)
            && word.chars().next().is_some_and(is_cjk_text);
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Minutes to read `words` words and `characters` CJK characters (at least one).
pub(crate) fn reading_minutes(words: usize, characters: usize, words_per_minute: usize) -> usize {
    let seconds = words * 60 / words_per_minute.max(1) + characters * 60 / CHARACTERS_PER_MINUTE;
    seconds.div_ceil(60).max(1)
}

/// Where a sentence ends: after `。！？` (and their half-width forms followed by a space or
/// the end), with closing quotes and brackets kept with it.
fn sentence_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let closing = |c: char| matches!(c, '」' | '』' | '”' | '’' | '）' | ')' | '"' | '\'');
    text.char_indices().filter_map(move |(i, c)| {
        let full = matches!(c, '。' | '！' | '？' | '…');
        let half = matches!(c, '.' | '!' | '?');
        if !full && !half {
            return None;
        }
        let rest = &text[i + c.len_utf8()..];
        let kept: usize = rest
            .chars()
            .take_while(|&c| closing(c))
            .map(char::len_utf8)
            .sum();
        let after = rest[kept..].chars().next();
        (full || after.is_none_or(char::is_whitespace)).then_some(i + c.len_utf8() + kept)
    })
}

/// `text` cut to at most `budget` characters at the end of a sentence, or the whole text
/// when it is that short. With no sentence end in the budget, it is cut at the budget and
/// `…` is added. Linear in the length of `text`.
pub(crate) fn cut_at_sentence(text: &str, budget: usize) -> std::borrow::Cow<'_, str> {
    let Some((limit, _)) = text.char_indices().nth(budget) else {
        return std::borrow::Cow::Borrowed(text);
    };
    match sentence_ends(&text[..limit]).last() {
        Some(end) => std::borrow::Cow::Borrowed(text[..end].trim_end()),
        None => std::borrow::Cow::Owned(format!("{}…", text[..limit].trim_end())),
    }
}

/// The id of a heading whose text has CJK characters: its letters and digits as written
/// (lowercase for other scripts), the rest made single `-`; `None` for other text, whose
/// id is its slug.
pub(crate) fn heading_id(text: &str) -> Option<String> {
    if !text.chars().any(is_cjk) {
        return None;
    }
    let mut id = String::with_capacity(text.len());
    for c in text.chars() {
        if is_cjk(c) || c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    Some(id.trim_end_matches('-').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_and_words_are_counted_apart() {
        assert_eq!(count("人工智能在2024年 moved fast"), (3, 6));
        assert_eq!(count("don't stop"), (2, 0));
        assert_eq!(count("e.g. naïve well-known"), (3, 0));
        assert_eq!(reading_minutes(0, 300, 200), 1);
        assert_eq!(reading_minutes(0, 1500, 200), 5);
        assert_eq!(reading_minutes(200, 300, 200), 2);
        assert_eq!(reading_minutes(0, 0, 200), 1);
        assert_eq!(count("香港的數碼轉型"), (0, 7));
        assert_eq!(count(""), (0, 0));
    }

    #[test]
    fn lines_join_without_a_space_between_characters() {
        assert_eq!(
            join_lines("人工智能\n發展  fast\nand far"),
            "人工智能發展 fast and far"
        );
        assert_eq!(join_lines("工作上\n。然後"), "工作上。然後");
    }

    #[test]
    fn summaries_end_on_a_sentence() {
        let text = "人工智能發展迅速。今年的變化尤其大！我們回顧一下。";
        assert_eq!(cut_at_sentence(text, 100), text);
        assert_eq!(cut_at_sentence(text, 12), "人工智能發展迅速。");
        assert_eq!(
            cut_at_sentence(text, 18),
            "人工智能發展迅速。今年的變化尤其大！"
        );
        assert_eq!(
            cut_at_sentence("他說：「好。」然後離開", 8),
            "他說：「好。」"
        );
        assert_eq!(
            cut_at_sentence("沒有句號的一段很長的文字", 5),
            "沒有句號的…"
        );
        assert_eq!(
            cut_at_sentence("Version 2.0 is out. More soon", 22),
            "Version 2.0 is out."
        );
    }

    #[test]
    fn headings_in_chinese_keep_their_characters() {
        assert_eq!(heading_id("引言").as_deref(), Some("引言"));
        assert_eq!(
            heading_id("第二部分：AI 晶片").as_deref(),
            Some("第二部分-ai-晶片")
        );
        assert_eq!(heading_id("Introduction"), None);
    }
}
