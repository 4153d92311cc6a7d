//! The theme's words on pages made in Rust (titles, descriptions, feed names), in the site's
//! language (`load/strings.rs`).

use super::Renderer;

impl Renderer<'_> {
    /// The theme's word `key` in the site's language, filled from `args`.
    pub(super) fn say(&self, key: &str, args: &[(&str, &str)]) -> String {
        crate::load::strings::say(&self.site.strings, key, args)
    }

    /// `title`, or on page `number` > 1 of a list, `title (page 2)`.
    pub(super) fn numbered(&self, title: String, number: usize) -> String {
        if number > 1 {
            self.say(
                "title_page_n",
                &[("title", &title), ("page", &number.to_string())],
            )
        } else {
            title
        }
    }
}
