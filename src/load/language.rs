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

/// The name of the language `tag` in itself, for the language switcher: the tag itself for
/// a language not listed here (a site names it with `name:` under `languages:`).
pub(crate) fn native_name(tag: &str) -> String {
    let lower = tag.to_ascii_lowercase();
    let name = match lower.as_str() {
        "zh-hant" | "zh-hk" | "zh-tw" | "zh-hant-hk" | "zh-hant-tw" => "繁體中文",
        "zh-hans" | "zh-cn" | "zh" | "zh-sg" => "简体中文",
        "yue" | "yue-hant" => "粵語",
        "ja" => "日本語",
        "ko" => "한국어",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        "it" => "Italiano",
        "pt" | "pt-br" | "pt-pt" => "Português",
        _ if lower == "en" || lower.starts_with("en-") => "English",
        _ => tag,
    };
    name.to_string()
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
