//! Arguments of a tag or shortcode: positional (`ruby`, `"x.md"`) and named (`src="a.png"`,
//! `id=abc`), quoted with `"`, `'` or `` ` ``, or bare; and Zola's, typed as Zola types
//! them (text, number, boolean, array).

/// Parsed arguments, in the order written.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Args {
    pub positional: Vec<String>,
    pub named: Vec<(String, String)>,
}

impl Args {
    /// A named argument, else the positional one at `index`.
    pub(super) fn get(&self, name: &str, index: usize) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .or_else(|| self.positional.get(index).map(String::as_str))
    }

    pub(super) fn named(&self, name: &str) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Splits `text` into arguments. Commas between Zola's named arguments are separators.
pub(super) fn parse(text: &str) -> Args {
    let mut args = Args::default();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() || chars[i] == ',' {
            i += 1;
            continue;
        }
        let (first, next) = word(&chars, i);
        i = next;
        if chars.get(i) == Some(&'=') {
            let (value, next) = word(&chars, i + 1);
            i = next;
            args.named.push((first, value));
        } else {
            args.positional.push(first);
        }
    }
    args
}

/// One word at `start`: quoted (quotes removed) or up to whitespace, `=` or `,`.
fn word(chars: &[char], start: usize) -> (String, usize) {
    match chars.get(start) {
        Some(&quote) if matches!(quote, '"' | '\'' | '`') => {
            let mut out = String::new();
            let mut i = start + 1;
            while let Some(&c) = chars.get(i) {
                i += 1;
                if c == quote {
                    break;
                }
                if c == '\\' && quote == '"' && chars.get(i) == Some(&'"') {
                    out.push('"');
                    i += 1;
                    continue;
                }
                out.push(c);
            }
            (out, i)
        }
        _ => {
            let mut i = start;
            while chars
                .get(i)
                .is_some_and(|c| !c.is_whitespace() && *c != '=' && *c != ',')
            {
                i += 1;
            }
            (chars[start..i].iter().collect(), i.max(start + 1))
        }
    }
}

/// A Zola argument's value, by its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Typed {
    /// Quoted, or a bare word (which Zola refuses, and playpress takes as text).
    Text(String),
    Number(String),
    Bool(bool),
    /// As written, brackets included.
    Array(String),
}

impl Typed {
    /// What it is, for a message: "an array".
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Self::Text(_) => "text",
            Self::Number(_) => "a number",
            Self::Bool(_) => "a boolean",
            Self::Array(_) => "an array",
        }
    }
}

/// Zola's arguments, `name=value` separated by commas (a value without a name is taken by
/// its place).
pub(super) fn typed(text: &str) -> Vec<(Option<String>, Typed)> {
    let chars: Vec<char> = text.chars().collect();
    let mut args = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() || chars[i] == ',' {
            i += 1;
            continue;
        }
        let key_end = chars[i..]
            .iter()
            .position(|c| !(c.is_alphanumeric() || *c == '_'))
            .map_or(chars.len(), |n| i + n);
        let mut key = None;
        if key_end > i && chars.get(key_end) == Some(&'=') {
            key = Some(chars[i..key_end].iter().collect());
            i = key_end + 1;
        }
        let (value, next) = typed_value(&chars, i);
        args.push((key, value));
        i = next.max(i + 1);
    }
    args
}

/// The value at `start`, and where it ends.
fn typed_value(chars: &[char], start: usize) -> (Typed, usize) {
    match chars.get(start) {
        Some('[') => {
            let mut depth = 0;
            let mut quote = None;
            let mut i = start;
            while let Some(&c) = chars.get(i) {
                i += 1;
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '"' | '\'' | '`') => quote = Some(c),
                    (None, '[') => depth += 1,
                    (None, ']') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            (Typed::Array(chars[start..i].iter().collect()), i)
        }
        Some('"' | '\'' | '`') => {
            let (text, next) = word(chars, start);
            (Typed::Text(text), next)
        }
        _ => {
            let end = chars[start..]
                .iter()
                .position(|c| *c == ',' || c.is_whitespace())
                .map_or(chars.len(), |n| start + n);
            let bare: String = chars[start..end].iter().collect();
            let value = match bare.as_str() {
                "true" => Typed::Bool(true),
                "false" => Typed::Bool(false),
                _ if bare.parse::<f64>().is_ok() => Typed::Number(bare),
                _ => Typed::Text(bare),
            };
            (value, end)
        }
    }
}

/// The argument named `key`, else the one without a name at `index`.
pub(super) fn typed_get<'a>(
    args: &'a [(Option<String>, Typed)],
    key: &str,
    index: usize,
) -> Option<&'a Typed> {
    args.iter()
        .find(|(k, _)| k.as_deref() == Some(key))
        .or_else(|| args.iter().filter(|(k, _)| k.is_none()).nth(index))
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zola_arguments_have_types() {
        let args = typed(r#"id="a\"b", n=2, ok=true, list=["x, y", [1]], bare=w, "p""#);
        let values: Vec<&Typed> = args.iter().map(|(_, v)| v).collect();
        assert_eq!(
            values,
            [
                &Typed::Text("a\"b".into()),
                &Typed::Number("2".into()),
                &Typed::Bool(true),
                &Typed::Array(r#"["x, y", [1]]"#.into()),
                &Typed::Text("w".into()),
                &Typed::Text("p".into()),
            ]
        );
        assert_eq!(
            typed_get(&args, "list", 9).map(Typed::kind),
            Some("an array")
        );
        assert_eq!(
            typed_get(&args, "missing", 0),
            Some(&Typed::Text("p".into()))
        );
    }
}
