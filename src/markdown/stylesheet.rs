//! The stylesheet of highlighted code: the configured light and dark themes as CSS classes,
//! each colour made readable on its background.

use syntect::highlighting::{Color, Theme};
use syntect::html::css_for_theme_with_class_style;

use super::highlight::{CLASS_STYLE, HighlightError};
use crate::load::config::HighlightConfig;

/// Names of every theme the `highlight` config keys accept.
pub(crate) fn theme_names() -> Vec<&'static str> {
    two_face::theme::EmbeddedLazyThemeSet::theme_names()
        .iter()
        .map(|n| n.as_name())
        .collect()
}

/// Checks the configured theme names.
pub(crate) fn check_themes(config: &HighlightConfig) -> Result<(), HighlightError> {
    let names = theme_names();
    for (key, name) in [("light", &config.light), ("dark", &config.dark)] {
        if !names.contains(&name.as_str()) {
            return Err(HighlightError::UnknownTheme {
                key,
                name: name.clone(),
                suggestion: crate::diagnostic::did_you_mean(name, names.iter().copied())
                    .map(str::to_string),
            });
        }
    }
    Ok(())
}

/// The stylesheet for code blocks: the light theme, and the dark one when the reader prefers
/// a dark colour scheme.
pub(crate) fn stylesheet(config: &HighlightConfig) -> Result<String, HighlightError> {
    check_themes(config)?;
    let themes = two_face::theme::LazyThemeSet::from(two_face::theme::extra());
    let css_for = |name: &str| -> Result<String, HighlightError> {
        let mut theme = themes
            .get(name)
            .ok_or_else(|| HighlightError::Css(name.to_string()))?
            .clone();
        ensure_contrast(&mut theme);
        css_for_theme_with_class_style(&theme, CLASS_STYLE)
            .map(|css| minify(&css))
            .map_err(|_| HighlightError::Css(name.to_string()))
    };
    let light = css_for(&config.light)?;
    let dark = css_for(&config.dark)?;
    Ok(format!(
        "/* code colours: {} (light), {} (dark) */\n@media not all and (prefers-color-scheme: dark) {{\n{light}}}\n@media (prefers-color-scheme: dark) {{\n{dark}}}\n",
        config.light, config.dark
    ))
}

/// The contrast every code colour must reach against its background (WCAG AA, with a margin
/// for rounding).
const MIN_CONTRAST: f64 = 4.6;

/// Darkens (on a light background) or lightens (on a dark one) every colour of `theme` that
/// is too faint to read, so code meets WCAG AA contrast in both colour schemes.
fn ensure_contrast(theme: &mut Theme) {
    let background = theme.settings.background.unwrap_or(Color::WHITE);
    if let Some(fg) = theme.settings.foreground.as_mut() {
        *fg = readable(*fg, background);
    }
    for item in &mut theme.scopes {
        let bg = item.style.background.unwrap_or(background);
        if let Some(fg) = item.style.foreground.as_mut() {
            *fg = readable(*fg, bg);
        }
    }
}

/// `fg`, moved towards black or white just far enough to reach [`MIN_CONTRAST`] on `bg`.
fn readable(fg: Color, bg: Color) -> Color {
    let target = if contrast(Color::BLACK, bg) >= contrast(Color::WHITE, bg) {
        0.0
    } else {
        255.0
    };
    let mut color = fg;
    let mut step = 0u8;
    while contrast(color, bg) < MIN_CONTRAST && step < 20 {
        step += 1;
        let mix = |c: u8| -> u8 {
            let c = f64::from(c);
            (c + (target - c) * f64::from(step) / 20.0)
                .round()
                .clamp(0.0, 255.0) as u8
        };
        color = Color {
            r: mix(fg.r),
            g: mix(fg.g),
            b: mix(fg.b),
            a: fg.a,
        };
    }
    color
}

fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Drops comments and blank space from syntect's CSS.
fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    let mut rules: Vec<String> = Vec::new();
    let mut rule = String::new();
    for line in out.lines().map(str::trim).filter(|l| !l.is_empty()) {
        rule.push_str(
            &line
                .replace(": ", ":")
                .replace(" {", "{")
                .replace(", ", ","),
        );
        if line.ends_with('}') {
            rules.push(std::mem::take(&mut rule).replace(";}", "}"));
        }
    }
    // A rule repeated word for word is kept where it comes last: the cascade is the same.
    let mut seen = std::collections::HashSet::new();
    let mut kept: Vec<&String> = rules.iter().rev().filter(|r| seen.insert(*r)).collect();
    kept.reverse();
    let mut compact = String::with_capacity(out.len());
    for rule in kept {
        compact.push_str(rule);
        compact.push('\n');
    }
    compact
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheet_has_both_schemes() {
        let css = stylesheet(&HighlightConfig::default()).unwrap();
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains(".hl-code"));
        assert!(!css.contains("generated by syntect"));
    }

    #[test]
    fn faint_colours_are_made_readable() {
        let white = Color {
            r: 255,
            g: 255,
            b: 255,
            a: 255,
        };
        let dark = Color {
            r: 0x28,
            g: 0x2c,
            b: 0x34,
            a: 255,
        };
        let grey = Color {
            r: 0xa0,
            g: 0xa1,
            b: 0xa7,
            a: 255,
        };
        assert!(contrast(grey, white) < 4.5);
        assert!(contrast(readable(grey, white), white) >= MIN_CONTRAST);
        let dim = Color {
            r: 0x5c,
            g: 0x63,
            b: 0x70,
            a: 255,
        };
        assert!(contrast(readable(dim, dark), dark) >= MIN_CONTRAST);
        let black = Color {
            r: 0,
            g: 0,
            b: 0,
            a: 255,
        };
        assert_eq!(
            readable(black, white),
            black,
            "readable colours stay as they are"
        );
    }

    #[test]
    fn every_theme_meets_contrast() {
        let themes = two_face::theme::LazyThemeSet::from(two_face::theme::extra());
        for name in theme_names() {
            let mut theme = themes.get(name).unwrap().clone();
            ensure_contrast(&mut theme);
            let bg = theme.settings.background.unwrap_or(Color {
                r: 255,
                g: 255,
                b: 255,
                a: 255,
            });
            for item in &theme.scopes {
                if let Some(fg) = item.style.foreground {
                    let c = contrast(fg, item.style.background.unwrap_or(bg));
                    assert!(c >= 4.5, "{name}: contrast {c:.2}");
                }
            }
        }
    }

    #[test]
    fn unknown_theme_suggests() {
        let config = HighlightConfig {
            light: "InspiredGithub".to_string(),
            dark: "OneHalfDark".to_string(),
        };
        let err = check_themes(&config).unwrap_err();
        assert_eq!(
            err,
            HighlightError::UnknownTheme {
                key: "light",
                name: "InspiredGithub".to_string(),
                suggestion: Some("InspiredGitHub".to_string())
            }
        );
    }
}
