//! Arguments of a tag or shortcode: positional (`ruby`, `"x.md"`) and named (`src="a.png"`,
//! `id=abc`), quoted with `"`, `'` or `` ` ``, or bare.

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
