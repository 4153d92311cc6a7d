//! Words: how many a text has, for reading times and word counts.

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
