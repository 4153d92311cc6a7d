//! What the rewrite leaves as written: code blocks, code spans and maths, found by
//! pulldown-cmark with the options the walk parses with, so they are exactly what Markdown
//! will make code and maths of (a block in a list or a quote, an indented block, `$x^{{a}}$`).

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The byte ranges of code and maths in `body`, in order, not overlapping.
pub(super) fn ranges(body: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut in_block = false;
    let parser = Parser::new_ext(body, super::super::walk::options()).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                ranges.push(range);
                in_block = true;
            }
            Event::End(TagEnd::CodeBlock) => in_block = false,
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) if !in_block => {
                ranges.push(range);
            }
            _ => {}
        }
    }
    ranges
}

/// The first of `ranges` that starts at or after `at`: its index.
pub(super) fn next_from(ranges: &[Range<usize>], at: usize) -> usize {
    ranges.partition_point(|r| r.start < at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_and_maths_are_found_as_markdown_reads_them() {
        let body = "A $x^{{a}}$ and `{{ b }}`.\n\n    {{ indented }}\n\n> ```\n> {{ q }}\n> ```\n\n$ {{ not }} $\n";
        let found: Vec<&str> = ranges(body).into_iter().map(|r| &body[r]).collect();
        assert_eq!(
            found,
            [
                "$x^{{a}}$",
                "`{{ b }}`",
                "{{ indented }}\n",
                "```\n> {{ q }}\n> ```"
            ]
        );
        assert_eq!(next_from(&ranges(body), 3), 1);
    }
}
