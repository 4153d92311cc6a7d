#!/usr/bin/env python3
"""Makes the code of a synthetic corpus repeat far less, in place.

The blocks `gen_corpus.py` writes are made from a few templates, so most of their lines recur
across posts (in 10,000 posts, 545,000 code lines of which about a third are distinct), which
flatters any cache of lines. This renames every identifier of every fenced block with the
number of its post and block (`writer` -> `writer_p123b1`), keeping the languages' keywords,
so the code stays valid and highlights the same way, and about every line with a name in it
is new. Blank lines and lone braces still recur, as in real code.

    python3 bench/distinct_code.py CORPUS_DIR
"""

import pathlib
import re
import sys

KEYWORDS = set(
    """
    as async await break const continue crate else enum extern false fn for if impl in let loop
    match mod move mut pub ref return self Self static struct super trait true type unsafe use
    where while dyn and assert class def del elif except finally from global import is lambda
    None nonlocal not or pass raise True False try with yield print function var new this typeof
    instanceof void delete catch throw switch case default do export extends null undefined
    then fi done esac echo local func go chan defer fallthrough goto interface map package range
    select string int error nil bool byte float64 uint usize u8 u32 u64 i32 i64 f64 str Vec
    String Option Some Ok Err Result Box println format fmt Errorf Count strings len self
    """.split()
)

FENCE = re.compile(r"^(```+)(\w*)\n(.*?)^\1[ \t]*$", re.M | re.S)
WORD = re.compile(r"\b[A-Za-z_][A-Za-z_0-9]{2,}\b")


def rename(code: str, tag: str) -> str:
    return WORD.sub(lambda m: m.group(0) if m.group(0) in KEYWORDS else f"{m.group(0)}_{tag}", code)


def main() -> None:
    posts = sorted(pathlib.Path(sys.argv[1], "content", "posts").glob("*.md"))
    for number, path in enumerate(posts):
        text = path.read_text()
        count = [0]

        def block(m: re.Match) -> str:
            count[0] += 1
            code = rename(m.group(3), f"p{number}b{count[0]}")
            return f"{m.group(1)}{m.group(2)}\n{code}{m.group(1)}"

        path.write_text(FENCE.sub(block, text))
    print(f"{len(posts)} posts rewritten")


if __name__ == "__main__":
    main()
