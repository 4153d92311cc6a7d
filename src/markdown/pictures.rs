//! Pictures in a body: Markdown images (`![alt](src "title")`) and raw `<img>` elements get
//! the picture's `width` and `height` (when the site has the file), `loading="lazy"` (all
//! but the first picture of a page) and `decoding="async"`. What a check needs is noted:
//! every picture's source as written and whether it has alt text.

use crate::load::pictures::Size;

/// A picture a body shows, for checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PictureRef {
    /// `src` as written (before the site's base path is added).
    pub src: String,
    /// Byte offset in the Markdown of where it is written.
    pub offset: usize,
    /// It has no alt text (`![](x.png)`, or an `<img>` without `alt`).
    pub no_alt: bool,
}

/// Renders a component: its name, checked arguments and the HTML of its inside.
pub(crate) type RenderComponent<'p> = &'p (
        dyn Fn(
    &str,
    &std::collections::BTreeMap<String, super::components::Value>,
    &str,
) -> Result<String, String>
            + Sync
    );

/// What a page's body is rendered with besides Markdown: how big each picture is (by `src`
/// as written), whether the page shows a picture above the body (then every picture of the
/// body is loaded lazily), the components there are and how to render one.
pub(crate) struct Pictures<'p> {
    pub size: &'p (dyn Fn(&str) -> Option<Size> + Sync),
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
            hero: false,
            specs: &NO_SPECS,
            component: &|_, _, body| Ok(body.to_string()),
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

/// The `<img>` of a Markdown image. `first` is true for the page's first picture.
pub(super) fn img(
    (written, src): (&str, &str),
    alt: &str,
    title: &str,
    (pictures, first): (&Pictures<'_>, bool),
) -> String {
    let mut out = format!("<img src=\"{}\" alt=\"{}\"", attribute(src), attribute(alt));
    if !title.is_empty() {
        out.push_str(&format!(" title=\"{}\"", attribute(title)));
    }
    if let Some(size) = (pictures.size)(written) {
        out.push_str(&format!(
            " width=\"{}\" height=\"{}\"",
            size.width, size.height
        ));
    }
    if !first || pictures.hero {
        out.push_str(" loading=\"lazy\"");
    }
    out.push_str(" decoding=\"async\">");
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
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let seen = std::cell::RefCell::new(Vec::new());
    let settings =
        RewriteStrSettings::new().append_element_content_handler(element!("img[src]", |el| {
            let src = el.get_attribute("src").unwrap_or_default();
            let mut seen = seen.borrow_mut();
            let is_first = first && seen.is_empty();
            seen.push(PictureRef {
                src: src.clone(),
                offset,
                no_alt: !el.has_attribute("alt"),
            });
            if !el.has_attribute("width")
                && !el.has_attribute("height")
                && let Some(size) = (pictures.size)(&src)
            {
                el.set_attribute("width", &size.width.to_string())?;
                el.set_attribute("height", &size.height.to_string())?;
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

    fn sized(src: &str) -> Option<Size> {
        (src == "cat.png").then_some(Size {
            width: 800,
            height: 600,
        })
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
