//! Components as the theme declares them: each `templates/components/<name>.html` names the
//! arguments it takes in a first-line comment, `{# args: src, alt, caption?, width: number? #}`
//! (`?`: optional; `: number` or `: bool` for a type other than text, `: a|b|c` for one of a
//! few words). The calls in posts are checked against this (`markdown/components.rs`).

use std::collections::BTreeMap;

/// An argument's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ArgType {
    Text,
    Number,
    Bool,
    /// One of these words (`kind: note|tip|warning`).
    OneOf(Vec<String>),
}

/// What a component takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Spec {
    /// Argument name -> (type, required).
    pub args: BTreeMap<String, (ArgType, bool)>,
}

/// The components a site has, by name.
pub(crate) type Specs = BTreeMap<String, Spec>;

/// The folder of the templates under `templates/`.
pub(crate) const FOLDER: &str = "components/";

/// Reads the spec from a component template's first comment (`{# args: a, b?, n: number #}`);
/// a template without one takes no argument.
pub(crate) fn spec_of(template: &str) -> Spec {
    let mut spec = Spec::default();
    let Some(list) = template
        .trim_start()
        .strip_prefix("{#")
        .and_then(|t| t.split_once("#}"))
        .and_then(|(comment, _)| comment.trim().strip_prefix("args:"))
    else {
        return spec;
    };
    for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (name, kind) = match item.split_once(':') {
            Some((name, kind)) => (name.trim(), kind.trim()),
            None => (item, "text"),
        };
        // `name?: type` and `name: type?` both say optional.
        let optional = name.ends_with('?') || kind.ends_with('?');
        let (name, kind) = (name.trim_end_matches('?'), kind.trim_end_matches('?'));
        let required = !optional;
        let kind = match kind {
            "number" => ArgType::Number,
            "bool" => ArgType::Bool,
            words if words.contains('|') => ArgType::OneOf(
                words
                    .split('|')
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            _ => ArgType::Text,
        };
        spec.args.insert(name.to_string(), (kind, required));
    }
    spec
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_read_from_the_first_comment() {
        let spec = spec_of("{# args: src, alt, caption?, width: number?, open?: bool #}\n<figure>");
        assert_eq!(spec.args["src"], (ArgType::Text, true));
        assert_eq!(spec.args["caption"], (ArgType::Text, false));
        assert_eq!(spec.args["width"], (ArgType::Number, false));
        assert_eq!(spec.args["open"], (ArgType::Bool, false));
        let spec = spec_of("{# args: kind?: note | tip|warning, title? #}");
        assert_eq!(
            spec.args["kind"],
            (
                ArgType::OneOf(vec!["note".into(), "tip".into(), "warning".into()]),
                false
            )
        );
        assert!(spec_of("<kbd>{{ body }}</kbd>").args.is_empty());
    }
}
