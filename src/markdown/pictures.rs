//! Pictures in a body: Markdown images (`![alt](src "title")`) and raw `<img>` elements get
//! the picture's `width` and `height` (when the site has the file), `loading="lazy"` (all
//! but the first picture of a page) and `decoding="async"`; one with resized variants is
//! offered through a `<picture>` with their `srcset`s (WebP first). A picture is found however
//! its name is spelled (`my wide 香港.png`, `my%20wide%20%E9%A6%99%E6%B8%AF.png`: the page's
//! lookup decodes it), and the URLs a Markdown image gets are encoded as URLs must be (a raw
//! `<img>` keeps its `src` as written). What a check needs is noted: every picture's source as
//! written and whether it has alt text.

use crate::load::pictures::Size;
use crate::picture::Srcset;

/// What a page knows of a picture it shows: its size, and whether it has variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Shown {
    pub size: Size,
    pub varied: bool,
}

/// A picture a body shows, for checks.
#[derive(Debug, Clone, PartialEq, Eq, minicbor::Encode, minicbor::Decode)]
pub(crate) struct PictureRef {
    /// `src` as written (before the site's base path is added).
    #[n(0)]
    pub src: String,
    /// Byte offset in the Markdown of where it is written.
    #[n(1)]
    pub offset: usize,
    /// It has no alt text (`![](x.png)`, or an `<img>` without `alt`).
    #[n(2)]
    pub no_alt: bool,
}

/// Renders a component: its name, checked arguments, the HTML of its inside, and whether
/// no picture comes before it on the page (then a picture it shows is not loaded lazily).
pub(crate) type RenderComponent<'p> = &'p (
        dyn Fn(
    &str,
    &std::collections::BTreeMap<String, super::components::Value>,
    &str,
    bool,
) -> Result<String, String>
            + Sync
    );

/// What a page's body is rendered with besides Markdown: how big each picture is and
/// whether it has variants (by `src` as written), the widths of variants and how wide
/// pictures show (`sizes`), whether the page shows a picture above the body (then every
/// picture of the body is loaded lazily), the components there are and how to render one.
pub(crate) struct Pictures<'p> {
    pub size: &'p (dyn Fn(&str) -> Option<Shown> + Sync),
    pub widths: &'p [u32],
    pub sizes: &'p str,
    pub hero: bool,
    pub specs: &'p super::components::Specs,
    pub component: RenderComponent<'p>,
}

static NO_SPECS: super::components::Specs = std::collections::BTreeMap::new();

impl Pictures<'_> {
    /// No sizes known and no component rendered (an outline, a test).
    pub(crate) fn none() -> Pictures<'static> {
        Pictures {
            size: &|_| None,
            widths: &[],
            sizes: "",
            hero: false,
            specs: &NO_SPECS,
            component: &|_, _, body, _| Ok(body.to_string()),
        }
    }

    /// [`Pictures::none`] with the components there are, to check calls against.
    pub(crate) fn checking(specs: &super::components::Specs) -> Pictures<'_> {
        Pictures {
            specs,
            ..Pictures::none()
        }
    }
}

/// Escapes `text` for an attribute value.
fn attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}

impl Pictures<'_> {
    /// The `srcset`s of the picture written `written`, linked as `src`, when it has variants.
    fn srcset(&self, written: &str, src: &str) -> Option<(Size, Option<Srcset>)> {
        let shown = (self.size)(written)?;
        let srcset = shown
            .varied
            .then(|| crate::picture::srcset(src, shown.size, self.widths))
            .flatten();
        Some((shown.size, srcset))
    }
}

/// The `<source>` of a picture's WebP variants (nothing when it has none).
fn webp_source(srcset: &Srcset, sizes: &str) -> String {
    match &srcset.webp {
        Some(webp) => format!(
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">",
            attribute(webp),
            attribute(sizes)
        ),
        None => String::new(),
    }
}

/// The `<img>` of a Markdown image (in a `<picture>` when it has variants). `first` is true
/// for the page's first picture.
pub(super) fn img(
    (written, src): (&str, &str),
    alt: &str,
    title: &str,
    (pictures, first): (&Pictures<'_>, bool),
) -> String {
    let shown = pictures.srcset(written, src);
    let srcset = shown.as_ref().and_then(|(_, s)| s.as_ref());
    let mut out = String::new();
    let wrapped = srcset.is_some_and(|s| s.webp.is_some());
    if let Some(srcset) = srcset.filter(|_| wrapped) {
        out.push_str("<picture>");
        out.push_str(&webp_source(srcset, pictures.sizes));
    }
    out.push_str(&format!(
        "<img src=\"{}\" alt=\"{}\"",
        attribute(&crate::picture::encoded(src, false)),
        attribute(alt)
    ));
    if !title.is_empty() {
        out.push_str(&format!(" title=\"{}\"", attribute(title)));
    }
    if let Some(srcset) = srcset {
        out.push_str(&format!(
            " srcset=\"{}\" sizes=\"{}\"",
            attribute(&srcset.fallback),
            attribute(pictures.sizes)
        ));
    }
    if let Some((size, _)) = &shown {
        out.push_str(&format!(
            " width=\"{}\" height=\"{}\"",
            size.width, size.height
        ));
    }
    if !first || pictures.hero {
        out.push_str(" loading=\"lazy\"");
    }
    out.push_str(" decoding=\"async\">");
    if wrapped {
        out.push_str("</picture>");
    }
    out
}

/// Raw HTML with its `<img>` elements given sizes and loading hints as [`img`] does; the
/// sources are given as written to `found`. `first` says whether no picture came before;
/// returns the HTML and whether it had a picture.
pub(super) fn in_html(
    html: &str,
    offset: usize,
    (pictures, first): (&Pictures<'_>, bool),
    found: &mut Vec<PictureRef>,
) -> (String, bool) {
    use lol_html::html_content::ContentType;
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let seen = std::cell::RefCell::new(Vec::new());
    // Set for an `<img>` already in a `<picture>` of the author's (it is not wrapped again).
    let in_picture = std::cell::Cell::new(false);
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("picture img", |_| {
            in_picture.set(true);
            Ok(())
        }))
        .append_element_content_handler(element!("img[src]", |el| {
            let src = el.get_attribute("src").unwrap_or_default();
            let mut seen = seen.borrow_mut();
            let is_first = first && seen.is_empty();
            seen.push(PictureRef {
                src: src.clone(),
                offset,
                no_alt: !el.has_attribute("alt"),
            });
            let shown = pictures.srcset(&src, &src);
            if !el.has_attribute("width")
                && !el.has_attribute("height")
                && let Some((size, _)) = &shown
            {
                el.set_attribute("width", &size.width.to_string())?;
                el.set_attribute("height", &size.height.to_string())?;
            }
            if let (Some((_, Some(srcset))), false, false) = (
                &shown,
                in_picture.replace(false),
                el.has_attribute("srcset"),
            ) {
                el.set_attribute("srcset", &srcset.fallback)?;
                el.set_attribute("sizes", pictures.sizes)?;
                if srcset.webp.is_some() {
                    let source = webp_source(srcset, pictures.sizes);
                    el.before(&format!("<picture>{source}"), ContentType::Html);
                    el.after("</picture>", ContentType::Html);
                }
            }
            if !el.has_attribute("loading") && (!is_first || pictures.hero) {
                el.set_attribute("loading", "lazy")?;
            }
            if !el.has_attribute("decoding") {
                el.set_attribute("decoding", "async")?;
            }
            Ok(())
        }));
    let out = rewrite_str(html, settings).unwrap_or_else(|_| html.to_string());
    let seen = seen.into_inner();
    let had = !seen.is_empty();
    found.extend(seen);
    (out, had)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sized(src: &str) -> Option<Shown> {
        let size = Size {
            width: 800,
            height: 600,
        };
        match src {
            "cat.png" => Some(Shown {
                size,
                varied: false,
            }),
            "big.png" => Some(Shown { size, varied: true }),
            _ => None,
        }
    }

    #[test]
    fn pictures_with_variants_are_offered_in_a_picture() {
        let pictures = Pictures {
            size: &sized,
            widths: &[600],
            sizes: "37rem",
            ..Pictures::none()
        };
        assert_eq!(
            img(("big.png", "/p/big.png"), "Big", "", (&pictures, true)),
            "<picture><source type=\"image/webp\" srcset=\"/p/big.600w.webp 600w\" sizes=\"37rem\"><img src=\"/p/big.png\" alt=\"Big\" srcset=\"/p/big.600w.png 600w, /p/big.png 800w\" sizes=\"37rem\" width=\"800\" height=\"600\" decoding=\"async\"></picture>"
        );
        let mut found = Vec::new();
        let (html, _) = in_html(
            "<img src=\"big.png\" alt=\"b\"><picture><img src=\"big.png\" alt=\"c\"></picture>",
            0,
            (&pictures, false),
            &mut found,
        );
        assert_eq!(
            html,
            "<picture><source type=\"image/webp\" srcset=\"big.600w.webp 600w\" sizes=\"37rem\"><img src=\"big.png\" alt=\"b\" width=\"800\" height=\"600\" srcset=\"big.600w.png 600w, big.png 800w\" sizes=\"37rem\" loading=\"lazy\" decoding=\"async\"></picture><picture><img src=\"big.png\" alt=\"c\" width=\"800\" height=\"600\" loading=\"lazy\" decoding=\"async\"></picture>"
        );
    }

    #[test]
    fn pictures_get_sizes_and_loading_hints() {
        let pictures = Pictures {
            size: &sized,
            ..Pictures::none()
        };
        assert_eq!(
            img(
                ("cat.png", "/p/cat.png"),
                "A \"cat\"",
                "",
                (&pictures, true)
            ),
            "<img src=\"/p/cat.png\" alt=\"A &quot;cat&quot;\" width=\"800\" height=\"600\" decoding=\"async\">"
        );
        assert_eq!(
            img(("dog.png", "dog.png"), "", "T", (&pictures, false)),
            "<img src=\"dog.png\" alt=\"\" title=\"T\" loading=\"lazy\" decoding=\"async\">"
        );
        let mut found = Vec::new();
        let (html, had) = in_html(
            "<p><img src=\"cat.png\"> <img src=\"x.png\" alt=\"x\" loading=\"eager\"></p>",
            7,
            (&pictures, true),
            &mut found,
        );
        assert!(had);
        assert_eq!(
            html,
            "<p><img src=\"cat.png\" width=\"800\" height=\"600\" decoding=\"async\"> <img src=\"x.png\" alt=\"x\" loading=\"eager\" decoding=\"async\"></p>"
        );
        assert_eq!(found.len(), 2);
        assert!(found[0].no_alt && !found[1].no_alt);
    }
}
