//! The images the config names: the site's logo in the header, authors' avatars, the icon.

use serde::Serialize;

use crate::model::site::Site;
use crate::picture::valid_url;

/// An image named in the config (the logo in the header, an author's avatar).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LogoView {
    pub src: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// The image at site path (or URL) `logo`, with its size when the site knows it, its URL
/// encoded ([`crate::picture::valid_url`]) whichever way the config spells its name.
pub(super) fn logo_view(site: &Site, logo: &str) -> LogoView {
    if crate::load::url::is_external(logo) {
        return LogoView {
            src: valid_url(logo.to_string()),
            width: None,
            height: None,
        };
    }
    let file = crate::model::url::output_file(&crate::load::pictures::decoded(logo));
    let size = site.pictures.get(&file).and_then(|s| s.as_ref().ok());
    LogoView {
        src: valid_url(site.config.base_url.url(logo)),
        width: size.map(|s| s.width),
        height: size.map(|s| s.height),
    }
}

/// The media type of an icon file, by its extension.
pub(super) fn icon_type(file: &str) -> &'static str {
    let extension = file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("gif") => "image/gif",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        _ => "image/svg+xml",
    }
}
