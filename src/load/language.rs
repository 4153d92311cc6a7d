//! Language tags: what `lang:` and the config's `language` may say, and which ends of file
//! names (`first.fr.md`) name a language.

/// A BCP 47 language tag as `<html lang>` takes it: a language of 2 to 8 letters, then
/// subtags of 1 to 8 letters or digits, joined by `-`.
pub(crate) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or("");
    (2..=8).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The two-letter codes of ISO 639-1, each a language a file name may end with.
const TWO_LETTER_LANGUAGES: [&str; 184] = [
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh",
    "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da",
    "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
    "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
    "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
    "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
    "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi",
    "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
    "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
    "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo",
    "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Languages with no two-letter code that blogs are written in (Cantonese, Mandarin, Min
/// Nan, Hakka, Wu, Filipino, Hawaiian, Asturian, Sorani, Swiss German).
const THREE_LETTER_LANGUAGES: [&str; 10] = [
    "ast", "ckb", "cmn", "fil", "gsw", "hak", "haw", "nan", "wuu", "yue",
];

/// Whether the last part of a file name (`fr` of `first.fr.md`) names a language: a code of
/// ISO 639-1 (or one of a few of ISO 639-3), then subtags of a script (`Hant`), a region
/// (`BR`, `419`) or a variant, without regard to case (`pt-br`). Stricter than
/// [`is_language_tag`], so that `v1.2.md`, `notes.draft.md` or `post.old.md` are names, not
/// languages.
pub(crate) fn is_language_suffix(suffix: &str) -> bool {
    let mut parts = suffix.split('-');
    let language = parts.next().unwrap_or("").to_ascii_lowercase();
    let known = match language.len() {
        2 => TWO_LETTER_LANGUAGES
            .binary_search(&language.as_str())
            .is_ok(),
        3 => THREE_LETTER_LANGUAGES
            .binary_search(&language.as_str())
            .is_ok(),
        _ => false,
    };
    let subtag = |p: &str| {
        let (letters, digits) = (
            p.bytes().all(|b| b.is_ascii_alphabetic()),
            p.bytes().all(|b| b.is_ascii_digit()),
        );
        let alphanumeric = p.bytes().all(|b| b.is_ascii_alphanumeric());
        match p.len() {
            2 => letters,
            3 => digits,
            4 => letters || (p.as_bytes()[0].is_ascii_digit() && alphanumeric),
            5..=8 => alphanumeric,
            _ => false,
        }
    };
    known && parts.all(subtag)
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
    use super::{is_language_suffix, is_language_tag};

    #[test]
    fn language_suffixes_are_codes_not_words() {
        for language in [
            "fr",
            "es",
            "pt-BR",
            "pt-br",
            "zh-Hant",
            "zh-hant-hk",
            "es-419",
            "yue",
            "de-CH-1996",
        ] {
            assert!(is_language_suffix(language), "{language}");
        }
        for name in [
            "draft",
            "old",
            "2",
            "v2",
            "x",
            "fr-",
            "fr-b",
            "en-toolongvariant",
            "bak",
        ] {
            assert!(!is_language_suffix(name), "{name}");
        }
        let sorted = |list: &[&str]| list.windows(2).all(|w| w[0] < w[1]);
        assert!(sorted(&super::TWO_LETTER_LANGUAGES) && sorted(&super::THREE_LETTER_LANGUAGES));
    }

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
