//! Why a build failed: one error type for the pipeline, presented as the diagnostics and
//! messages of the stages it wraps. Nothing was written when one is returned.

use thiserror::Error;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::config::ConfigError;
use crate::load::theme::ThemeError;
use crate::markdown::highlight::{self, HighlightError};
use crate::render::RenderError;
use crate::write::OutputError;

/// Why a build failed. Nothing was written when any of these is returned.
#[derive(Debug, Error)]
pub enum BuildError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{}", Diagnostic::general(format!("invalid --base-url: {}", .0)).with_hint("give an absolute URL, e.g. --base-url https://preview.example.com/blog/"))]
    BaseUrl(String),
    #[error("{}", highlight_message(.0))]
    Highlight(#[from] HighlightError),
    #[error("{0}")]
    Theme(#[from] ThemeError),
    #[error("{0}\n\n{count} error{s} in content; nothing was written", count = .0.error_count(), s = if .0.error_count() == 1 { "" } else { "s" })]
    Content(Diagnostics),
    #[error("{}", render_message(.0))]
    Render(Vec<RenderError>),
    #[error("{0}")]
    Output(#[from] OutputError),
    #[error("{0}")]
    Search(#[from] crate::search::SearchError),
}

fn highlight_message(e: &HighlightError) -> String {
    match e {
        HighlightError::UnknownTheme { suggestion, .. } => {
            let hint = suggestion.as_ref().map_or_else(
                || format!("known themes: {}", highlight::theme_names().join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
            format!(
                "{}",
                Diagnostic::error(crate::load::config::CONFIG_FILE, e.to_string()).with_hint(hint)
            )
        }
        HighlightError::Css(_) => Diagnostic::error(
            crate::load::config::CONFIG_FILE,
            e.to_string(),
        )
        .with_hint(
            "pick another theme for `highlight` (`playpress` lists them when a name is unknown)",
        )
        .to_string(),
    }
}

fn render_message(errors: &[RenderError]) -> String {
    let mut text: Vec<String> = errors.iter().take(10).map(ToString::to_string).collect();
    if errors.len() > 10 {
        text.push(format!(
            "... and {} more pages failed the same way",
            errors.len() - 10
        ));
    }
    text.push("nothing was written".to_string());
    text.join("\n\n")
}

/// Render errors are reported together, and content errors (pictures that cannot be
/// resized) together before them, each once; any other error wins.
pub(crate) fn merge_failures(failures: Vec<BuildError>) -> BuildError {
    let mut renders = Vec::new();
    let mut content = Vec::new();
    for failure in failures {
        match failure {
            BuildError::Render(mut r) => renders.append(&mut r),
            BuildError::Content(Diagnostics(mut d)) => content.append(&mut d),
            other => return other,
        }
    }
    if !content.is_empty() {
        // A picture that cannot be resized fails each of its variants the same way: the same
        // error is said once.
        let mut sorted = Diagnostics::sorted(content);
        sorted.0.dedup();
        return BuildError::Content(sorted);
    }
    renders.sort_by(|a, b| a.page.cmp(&b.page));
    BuildError::Render(renders)
}
