//! Which shortcode closes which, found in one pass before the rewrite: a Hugo closing
//! `{{< /details >}}` closes the innermost open `details` (so a `details` inside a `details`
//! keeps its own end), and Zola's `{% end %}` the innermost open `{% name() %}`. Code and
//! maths are passed, and so are the bodies of what is shown as written (Hugo's `highlight`,
//! Liquid's `raw`, `comment` and `highlight`), whose shortcodes are text.

use std::collections::HashMap;
use std::ops::Range;

use super::emit;
use super::tag::tag_in;

/// Where each paired shortcode's closing tag is, by the place of its opening.
#[derive(Debug, Default)]
pub(super) struct Pairs {
    closing: HashMap<usize, (usize, usize)>,
}

/// A Hugo shortcode name that takes a body.
pub(super) fn has_body(name: &str) -> bool {
    matches!(name, "highlight" | "details") || emit::is_callout(name)
}

impl Pairs {
    /// The closing tag (start, end) of the shortcode opened at `open`.
    pub(super) fn closing(&self, open: usize) -> Option<(usize, usize)> {
        self.closing.get(&open).copied()
    }

    /// The pairs of `body`, whose code and maths are `literal`.
    pub(super) fn of(body: &str, literal: &[Range<usize>]) -> Self {
        let mut pass = Pass {
            body,
            pairs: Self::default(),
            hugo: HashMap::new(),
            zola: Vec::new(),
            no_close_after: HashMap::new(),
        };
        let bytes = body.as_bytes();
        let mut at = 0;
        let mut next_literal = 0;
        while let Some(i) = memchr::memchr(b'{', &bytes[at..]) {
            let start = at + i;
            next_literal += literal[next_literal..].partition_point(|r| r.end <= start);
            if let Some(range) = literal.get(next_literal).filter(|r| r.start <= start) {
                at = range.end;
                continue;
            }
            at = pass.tag(start).unwrap_or(start + 1);
        }
        pass.pairs
    }
}

/// The state of the pass: the shortcodes open so far.
struct Pass<'a> {
    body: &'a str,
    pairs: Pairs,
    /// Hugo shortcodes open, by name, innermost last.
    hugo: HashMap<&'a str, Vec<usize>>,
    /// Zola's open shortcodes, innermost last.
    zola: Vec<usize>,
    /// Closings looked for and not found after a place: not looked for again.
    no_close_after: HashMap<String, usize>,
}

impl<'a> Pass<'a> {
    /// Reads the tag at `start` (a `{`), if it is one: where the pass goes on.
    fn tag(&mut self, start: usize) -> Option<usize> {
        let rest = &self.body[start..];
        if rest.starts_with("{{<") || rest.starts_with("{{%") {
            let (open, close) = if rest.starts_with("{{<") {
                ("{{<", ">}}")
            } else {
                ("{{%", "%}}")
            };
            let tag = tag_in(self.body, start, open, close)?;
            let name = tag.inner.split_whitespace().next().unwrap_or("");
            if tag.inner.ends_with('/') {
                // `{{< name />}}`: closed where it opens.
                return Some(tag.end);
            }
            if let Some(closed) = name.strip_prefix('/') {
                if let Some(opened) = self.hugo.get_mut(closed).and_then(Vec::pop) {
                    self.pairs.closing.insert(opened, (start, tag.end));
                }
            } else if name == "highlight" {
                return Some(self.shown_as_written(start, tag.end, "highlight", true));
            } else if has_body(name) {
                self.hugo.entry(name).or_default().push(start);
            }
            return Some(tag.end);
        }
        if rest.starts_with("{%") {
            let tag = tag_in(self.body, start, "{%", "%}")?;
            let name_end = tag
                .inner
                .find(|c: char| c.is_whitespace() || c == '(')
                .unwrap_or(tag.inner.len());
            let (name, args) = tag.inner.split_at(name_end);
            match name {
                "end" => {
                    if let Some(opened) = self.zola.pop() {
                        self.pairs.closing.insert(opened, (start, tag.end));
                    }
                }
                "raw" | "comment" | "highlight" => {
                    return Some(self.shown_as_written(start, tag.end, name, false));
                }
                _ if args.starts_with('(') => self.zola.push(start),
                _ => {}
            }
            return Some(tag.end);
        }
        None
    }

    /// A body shown as written (Hugo's when `hugo`, else Liquid's `{% end<name> %}`): paired
    /// with its closing, which the pass goes on after.
    fn shown_as_written(&mut self, start: usize, from: usize, name: &str, hugo: bool) -> usize {
        let key = format!("{hugo}:{name}");
        if self
            .no_close_after
            .get(&key)
            .is_some_and(|after| *after <= from)
        {
            return from;
        }
        let closing = if hugo {
            format!("/{name}")
        } else {
            format!("end{name}")
        };
        let opens: &[(&str, &str)] = if hugo {
            &[("{{<", ">}}"), ("{{%", "%}}")]
        } else {
            &[("{%", "%}")]
        };
        let mut at = from;
        while let Some(i) = self.body.get(at..).and_then(|r| r.find('{')) {
            let candidate = at + i;
            let found = opens.iter().find_map(|(open, close)| {
                tag_in(self.body, candidate, open, close)
                    .filter(|tag| tag.inner == closing)
                    .map(|tag| tag.end)
            });
            if let Some(end) = found {
                if hugo {
                    self.pairs.closing.insert(start, (candidate, end));
                }
                return end;
            }
            at = candidate + 1;
        }
        self.no_close_after.insert(key, from);
        from
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closing_closes_the_innermost_open_one_of_its_name() {
        let body = "{{< details >}}a{{< details >}}b{{< /details >}}c{{< /details >}}";
        let pairs = Pairs::of(body, &[]);
        let inner = body[1..].find("{{< details").unwrap() + 1;
        let closes: Vec<usize> = body.match_indices("{{< /details").map(|(i, _)| i).collect();
        assert_eq!(pairs.closing(inner).map(|c| c.0), Some(closes[0]));
        assert_eq!(pairs.closing(0).map(|c| c.0), Some(closes[1]));
        assert_eq!(pairs.closing(0).map(|c| c.1), Some(body.len()));
        // Zola's `end` closes the innermost open shortcode; a raw body's shortcodes are text.
        let body = "{% note() %}{% raw %}{% tip() %}{% endraw %}{% tip() %}x{% end %}{% end %}";
        let pairs = Pairs::of(body, &[]);
        let tip = body.rfind("{% tip").unwrap();
        assert_eq!(pairs.closing(tip).map(|c| c.0), body.find("{% end %}"));
        assert_eq!(pairs.closing(0).map(|c| c.0), body.rfind("{% end %}"));
        // A highlight's body is code; what is in code is no shortcode.
        let body = "{{< notice >}}{{< highlight >}}{{< /notice >}}{{< /highlight >}}`{{< /notice >}}`{{< /notice >}}";
        let literal = super::super::literal::ranges(body);
        let pairs = Pairs::of(body, &literal);
        assert_eq!(pairs.closing(0).map(|c| c.0), body.rfind("{{< /notice"));
        assert_eq!(
            pairs
                .closing(body.find("{{< highlight").unwrap())
                .map(|c| c.0),
            body.find("{{< /highlight")
        );
    }
}
