//! The maths budget: what a formula may be before pulldown-latex is given it. Its parser
//! looks for the end of a group by reading the group whole, at every depth (time growing with
//! depth times length: 25,000 nested `\frac{` took 28 s), and it calls itself for a command
//! given another command as its argument without braces (`\frac1\frac1\frac1x`: a few hundred
//! of them overflow a thread's stack, which aborts the build), and for each comment or command
//! that writes nothing (`\relax`) in a row. So a formula is measured first, in one pass over
//! its bytes: its length, how deep its groups nest, how long its chains of commands given
//! commands are and its runs of what writes nothing. The pass first takes every command to
//! read arguments and to write nothing; a formula that seems to pass a limit so is measured
//! again, each of its commands tried by the parser alone (with no argument, one `{x}`, two...)
//! to learn how many arguments it reads. Macros (`\def`, `\newcommand`) are refused: what
//! they expand to is not in the formula to be measured. A measure, unlike a time limit, gives
//! the same page every time.

use std::collections::HashMap;

use pulldown_latex::{Parser, Storage};

/// Bytes in one formula (no real formula comes near).
pub(crate) const FORMULA_BYTES: usize = 64 * 1024;

/// How deep braces, `\left...\right`, `\begin...\end`, `\begingroup` and optional arguments
/// (`\sqrt[...]`) nest in a formula.
pub(crate) const GROUP_DEPTH: usize = 100;

/// How many commands in a row may each be the argument of the one before (written without
/// braces), and how many comments or commands that write nothing may come in a row: the
/// parser's own recursion, so well within a thread's stack in a debug build (a chain of about
/// 130 overflowed 2 MiB).
pub(crate) const COMMAND_CHAIN: usize = 32;

/// The most arguments a command reads before the one that is a command (`\genfrac` reads
/// five): used for a command whose arguments cannot be counted.
const MOST_ARGUMENTS_BEFORE: usize = 8;

/// How many different commands of one formula are tried by the parser (a real formula has a
/// few dozen); the others are taken to do anything.
const MOST_TRIED: usize = 256;

/// The macro commands pulldown-latex has.
const MACROS: [&str; 6] = [
    "def",
    "let",
    "futurelet",
    "newcommand",
    "renewcommand",
    "providecommand",
];

/// Commands that read a delimiter: one character or control sequence, never handled as a
/// command (read in pulldown-latex 0.8's source).
const DELIMITED: [&str; 17] = [
    "middle", "big", "bigl", "bigr", "bigm", "Big", "Bigl", "Bigr", "Bigm", "bigg", "biggl",
    "biggr", "biggm", "Bigg", "Biggl", "Biggr", "Biggm",
];

/// Commands that refuse a command as their argument, or read none (new lines, and what
/// fails alone out of an environment): never part of a chain.
const NEVER_PASS_ON: [&str; 12] = [
    "\\",
    "cr",
    "hline",
    "hdashline",
    "color",
    "operatorname",
    "text",
    "textrm",
    "textbf",
    "textit",
    "textsf",
    "texttt",
];

/// Why a formula is not given to the parser: the first limit it passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OverBudget {
    Bytes(usize),
    Depth(usize),
    Chain(usize),
    Silent(usize),
    Macro(String),
}

/// Checks `tex` against the budget.
pub(crate) fn check(tex: &str) -> Result<(), OverBudget> {
    if tex.len() > FORMULA_BYTES {
        return Err(OverBudget::Bytes(tex.len()));
    }
    // Every command taken first to read arguments and to write nothing; only a formula that
    // seems to pass a limit so has its commands tried by the parser.
    let mut shape = measure(tex, &mut |_| Command::UNKNOWN)?;
    if shape.chain > COMMAND_CHAIN || shape.silent > COMMAND_CHAIN {
        let mut tried = HashMap::new();
        shape = measure(tex, &mut |name| {
            if tried.len() >= MOST_TRIED && !tried.contains_key(name) {
                return Command::UNKNOWN;
            }
            *tried
                .entry(name.to_string())
                .or_insert_with(|| Command::tried(name))
        })?;
    }
    if shape.depth > GROUP_DEPTH {
        return Err(OverBudget::Depth(shape.depth));
    }
    if shape.chain > COMMAND_CHAIN {
        return Err(OverBudget::Chain(shape.chain));
    }
    if shape.silent > COMMAND_CHAIN {
        return Err(OverBudget::Silent(shape.silent));
    }
    Ok(())
}

/// What a command does, as far as the parser's recursion goes.
#[derive(Debug, Clone, Copy)]
struct Command {
    /// How many arguments it reads before its last, when it reads any: its last may be a
    /// command it calls.
    passes_on: Option<usize>,
    /// It writes nothing (`\relax`): the parser calls itself for the next token.
    silent: bool,
}

impl Command {
    /// A command not tried: it may do either.
    const UNKNOWN: Self = Self {
        passes_on: Some(MOST_ARGUMENTS_BEFORE),
        silent: true,
    };

    /// Tried by the parser: followed by the fewest `{x}` that it takes, it reads that many
    /// arguments; when none suits it, it may do anything.
    fn tried(name: &str) -> Self {
        let mut tex = format!("\\{name}");
        for n in 0..=MOST_ARGUMENTS_BEFORE + 1 {
            let storage = Storage::new();
            let events: Result<Vec<_>, _> = Parser::new(&tex, &storage).collect();
            if let Ok(events) = events {
                return Self {
                    passes_on: n.checked_sub(1),
                    silent: events.is_empty(),
                };
            }
            tex.push_str("{x}");
        }
        Self::UNKNOWN
    }
}

/// What a pass found: the deepest nesting and the longest chain.
#[derive(Debug, Default)]
struct Shape {
    depth: usize,
    chain: usize,
    silent: usize,
}

/// One level of nesting, as the pass reads it.
#[derive(Debug, Default)]
struct Level {
    /// The last command that may pass its argument on: the chain it ends and how many
    /// arguments it reads before the one it may pass on.
    head: Option<(usize, usize)>,
    /// Arguments read since that command (a character, a group, a command that reads none).
    since: usize,
    /// Optional arguments open (`\sqrt[3]`): what is inside them is not counted.
    optional: usize,
    /// Commands that write nothing, and comments, in a row just before.
    silent: usize,
}

/// One pass over a formula.
struct Pass<'c> {
    shape: Shape,
    /// The innermost last; never empty.
    levels: Vec<Level>,
    /// Optional arguments open, in all levels: each is a group the parser reads whole.
    optional: usize,
    /// The last token was a command: a `[` opens its optional argument.
    after_command: bool,
    command: &'c mut dyn FnMut(&str) -> Command,
}

/// One pass over `tex`; `command` tells what a command does.
fn measure(tex: &str, command: &mut dyn FnMut(&str) -> Command) -> Result<Shape, OverBudget> {
    let mut pass = Pass {
        shape: Shape::default(),
        levels: vec![Level::default()],
        optional: 0,
        after_command: false,
        command,
    };
    let mut rest = tex;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        let after_command = std::mem::take(&mut pass.after_command);
        match c {
            '\\' => pass.control(&mut rest)?,
            '%' => {
                rest = rest.split_once('\n').map_or("", |(_, after)| after);
                pass.silent();
            }
            '{' => pass.open(),
            '}' => pass.close(),
            '^' | '_' => {
                pass.head(0);
                pass.written();
            }
            '[' if after_command => {
                pass.level().optional += 1;
                pass.optional += 1;
                pass.deeper();
            }
            ']' if pass.level().optional > 0 => {
                pass.level().optional -= 1;
                pass.optional -= 1;
            }
            c if c.is_whitespace() => pass.after_command = after_command,
            _ => pass.item(),
        }
    }
    Ok(pass.shape)
}

impl Pass<'_> {
    fn level(&mut self) -> &mut Level {
        let last = self.levels.len() - 1;
        &mut self.levels[last]
    }

    /// A command, its `\` read: moves past it and what it reads as a delimiter or a name.
    fn control(&mut self, rest: &mut &str) -> Result<(), OverBudget> {
        let name = control_sequence(rest);
        if MACROS.contains(&name) {
            return Err(OverBudget::Macro(format!("\\{name}")));
        }
        match name {
            "begin" => {
                skip_group(rest);
                self.open();
            }
            "left" => {
                skip_token(rest);
                self.open();
            }
            "begingroup" => self.open(),
            "end" => {
                skip_group(rest);
                self.close();
            }
            "right" => {
                skip_token(rest);
                self.close();
            }
            "endgroup" => self.close(),
            _ if DELIMITED.contains(&name) => {
                skip_token(rest);
                self.item();
            }
            _ if NEVER_PASS_ON.contains(&name) => self.item(),
            _ => {
                let what = (self.command)(name);
                match what.passes_on {
                    Some(before) => self.head(before),
                    None => self.argument(),
                }
                if what.silent {
                    self.silent();
                } else {
                    self.written();
                }
                self.after_command = true;
            }
        }
        Ok(())
    }

    fn deeper(&mut self) {
        let depth = self.levels.len() - 1 + self.optional;
        self.shape.depth = self.shape.depth.max(depth);
    }

    /// A group opens.
    fn open(&mut self) {
        self.levels.push(Level::default());
        self.deeper();
    }

    /// The innermost group ends: it is one argument of the level around it.
    fn close(&mut self) {
        if self.levels.len() > 1 {
            let closed = self.levels.pop().map_or(0, |l| l.optional);
            self.optional -= closed;
        }
        self.item();
    }

    /// A character, a group or a command that reads nothing and writes something.
    fn item(&mut self) {
        self.argument();
        self.written();
    }

    /// An argument of the last command that may pass one on.
    fn argument(&mut self) {
        let level = self.level();
        if level.optional == 0 {
            level.since += 1;
        }
    }

    /// Something written: a run of what writes nothing ends.
    fn written(&mut self) {
        self.level().silent = 0;
    }

    /// A comment, or a command that writes nothing.
    fn silent(&mut self) {
        let level = self.level();
        level.silent += 1;
        let run = level.silent;
        self.shape.silent = self.shape.silent.max(run);
    }

    /// A command that may pass an argument on (or `^`, `_`), reading `before` arguments
    /// before that one: it continues the chain when it is within the last one's arguments.
    fn head(&mut self, before: usize) {
        let level = self.level();
        let chain = match level.head {
            Some((chain, reach)) if level.since <= reach => chain + 1,
            _ => 1,
        };
        level.head = Some((chain, before));
        level.since = 0;
        self.shape.chain = self.shape.chain.max(chain);
    }
}

/// The name of the control sequence after a `\` (letters, or one other character), moving
/// past it.
fn control_sequence<'a>(rest: &mut &'a str) -> &'a str {
    let letters = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    let len = if letters > 0 {
        letters
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    };
    let (name, after) = rest.split_at(len);
    *rest = after;
    name
}

/// Moves past an environment's `{name}`.
fn skip_group(rest: &mut &str) {
    let trimmed = rest.trim_start();
    if let Some(inner) = trimmed.strip_prefix('{') {
        *rest = inner.find('}').map_or(inner, |end| &inner[end + 1..]);
    }
}

/// Moves past a delimiter: one character or control sequence.
fn skip_token(rest: &mut &str) {
    let trimmed = rest.trim_start();
    *rest = match trimmed.chars().next() {
        Some('\\') => {
            let mut after = &trimmed[1..];
            control_sequence(&mut after);
            after
        }
        Some(c) => &trimmed[c.len_utf8()..],
        None => trimmed,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_measured_by_length_depth_and_chains() {
        assert_eq!(check(r"\frac{a}{b} + \sqrt[3]{x}"), Ok(()));
        let deep = format!("{}x{}", "{".repeat(101), "}".repeat(101));
        assert_eq!(check(&deep), Err(OverBudget::Depth(101)));
        let deep = format!("{}x{}", r"\left(".repeat(60), r"\right)".repeat(60));
        assert_eq!(check(&format!("{{{deep}}}")), Ok(()));
        let deep = format!(
            "{}x{}",
            r"\begin{matrix}".repeat(101),
            r"\end{matrix}".repeat(101)
        );
        assert_eq!(check(&deep), Err(OverBudget::Depth(101)));
        // Optional arguments are groups too; brackets elsewhere are characters.
        let deep = format!("{}3{}", r"\sqrt[".repeat(101), "]{x}".repeat(101));
        assert_eq!(check(&deep), Err(OverBudget::Depth(101)));
        assert_eq!(check(&"[0, 1) + ".repeat(200)), Ok(()));
        assert_eq!(
            check(&format!("{}x", r"\frac1".repeat(33))),
            Err(OverBudget::Chain(33))
        );
        assert_eq!(check(&format!("{}x", r"\frac1".repeat(32))), Ok(()));
        // Optional arguments and scripts do not break a chain.
        assert_eq!(
            check(&format!("{}x", r"\sqrt[3]".repeat(33))),
            Err(OverBudget::Chain(33))
        );
        assert_eq!(
            check(&format!("x^{}y", r"\hat".repeat(32))),
            Err(OverBudget::Chain(33))
        );
        assert_eq!(check(&r"x^\hat x_\vec y ".repeat(40)), Ok(()));
        // Commands side by side are no chain, however many.
        let flat = r"\alpha + \beta \cdot \frac{1}{2} + \sqrt{x} \\ ".repeat(300);
        assert_eq!(
            check(&format!(r"\begin{{aligned}}{flat}\end{{aligned}}")),
            Ok(())
        );
        assert_eq!(
            check(&"x".repeat(FORMULA_BYTES + 1)),
            Err(OverBudget::Bytes(FORMULA_BYTES + 1))
        );
        assert_eq!(
            check(r"\def\x{y} \x"),
            Err(OverBudget::Macro(r"\def".to_string()))
        );
        // A comment hides what follows it on its line.
        assert_eq!(check("x % \\newcommand\n + y"), Ok(()));
        // The parser calls itself for each comment or `\relax` in a row.
        assert_eq!(
            check(&"\\relax %\n".repeat(17)),
            Err(OverBudget::Silent(34))
        );
        assert_eq!(check(&"\\relax x %\n".repeat(100)), Ok(()));
    }
}
