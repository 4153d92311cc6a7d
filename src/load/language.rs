//! Language tags: what `lang:` and the config's `language` may say.

/// A BCP 47 language tag as `<html lang>` takes it: a language of 2 to 8 letters, then
/// subtags of 1 to 8 letters or digits, joined by `-`.
pub(crate) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or("");
    (2..=8).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::is_language_tag;

    #[test]
    fn language_tags() {
        for good in ["en", "zh-Hant", "pt-BR", "zh-Hant-HK", "de-CH-1996", "yue"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in [
            "",
            "e",
            "english please",
            "zh_Hant",
            "-en",
            "en-",
            "1en",
            "toolonglanguage",
        ] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
