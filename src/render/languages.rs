//! A page in the site's other languages: the language switcher, `hreflang` alternates (in
//! the page's head and in the sitemap) and `og:locale`.

use serde::Serialize;

use super::Renderer;

/// A page in one language of the site.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct LanguageLink {
    /// Its tag (`zh-Hant`), as `hreflang` and `lang` say it.
    pub code: String,
    /// Its name in itself (`繁體中文`).
    pub name: String,
    /// Where the switcher leads: the page in that language, else that language's home.
    pub url: String,
    /// The page's absolute URL in that language, when the page is there (for `hreflang`).
    pub href: Option<String>,
    /// The language of the page itself.
    pub current: bool,
}

impl Renderer<'_> {
    /// The page at site path `path` in every language of the site (none for a site in one
    /// language), and its absolute URL in the default language when it is there. A post or
    /// page (`document`) is found in another language by its file, any other page by its
    /// path there.
    pub(super) fn language_links(
        &self,
        path: &str,
        document: bool,
    ) -> (Vec<LanguageLink>, Option<String>) {
        let translations = &self.site.translations;
        if !translations.is_multilingual() {
            return (Vec::new(), None);
        }
        let base = &self.site.config.base_url;
        let from = self.site.lang;
        let links: Vec<LanguageLink> = (translations.languages.iter().enumerate())
            .map(|(to, language)| {
                let there = translations.counterpart(path, (from, to), document);
                LanguageLink {
                    code: language.code.clone(),
                    name: language.name.clone(),
                    url: base.url(there.as_deref().unwrap_or(&language.prefix)),
                    href: there.map(|p| base.permalink(&p)),
                    current: to == from,
                }
            })
            .collect();
        // A page in one language has no alternates.
        if links.iter().filter(|l| l.href.is_some()).count() < 2 {
            let links = links.into_iter().map(|l| LanguageLink { href: None, ..l });
            return (links.collect(), None);
        }
        let x_default = links.first().and_then(|l| l.href.clone());
        (links, x_default)
    }
}

/// `og:locale` for the language tag `tag`: `language_TERRITORY` when the tag names a region
/// (`zh-Hant-HK` -> `zh_HK`), Traditional and Simplified Chinese as the places that write
/// them most (`zh_TW`, `zh_CN`), else the language alone.
pub(crate) fn og_locale(tag: &str) -> String {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default().to_ascii_lowercase();
    let rest: Vec<&str> = parts.collect();
    let region = rest.iter().find(|p| {
        (p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic()))
            || (p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
    });
    if let Some(region) = region {
        return format!("{language}_{}", region.to_ascii_uppercase());
    }
    let script = rest.first().map(|s| s.to_ascii_lowercase());
    match (language.as_str(), script.as_deref()) {
        ("zh", Some("hant")) => "zh_TW".to_string(),
        ("zh", _) => "zh_CN".to_string(),
        _ => language,
    }
}

#[cfg(test)]
mod tests {
    use super::og_locale;

    #[test]
    fn open_graph_locales() {
        assert_eq!(og_locale("en"), "en");
        assert_eq!(og_locale("en-GB"), "en_GB");
        assert_eq!(og_locale("zh-Hant"), "zh_TW");
        assert_eq!(og_locale("zh-Hant-HK"), "zh_HK");
        assert_eq!(og_locale("zh-Hans"), "zh_CN");
        assert_eq!(og_locale("es-419"), "es_419");
    }
}
