//! Text in Chinese (issue 17): reading time in characters, summaries cut at a sentence end,
//! heading ids that keep their characters.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{build_ok, read, site};

/// The sentence the fixture's first paragraph repeats (34 characters).
const FIRST: &str = "人工智能在過去一年發展得非常快，很多公司都開始把它用在日常的工作上。";

#[test]
fn chinese_is_read_a_character_at_a_time() {
    let dir = site("cjk");
    build_ok(dir.path());
    let post = read(dir.path(), "posts/zh/index.html");
    // 1,581 characters and one word (`AI`): 6 minutes at 300 characters a minute (counting
    // words alone would have said 1).
    assert!(post.contains(" 6 min read"), "{post}");
    assert!(post.contains("\"wordCount\":1582"), "{post}");
}

#[test]
fn a_long_chinese_first_paragraph_is_cut_at_a_sentence_end() {
    let dir = site("cjk");
    build_ok(dir.path());
    // Five sentences of 34 characters; at most 120 are kept: three, whole, with no space
    // where the source broke the line.
    let three = FIRST.repeat(3);
    let index = read(dir.path(), "index.html");
    assert!(
        index.contains(&format!("<div class=\"summary\"><p>{three}</p>")),
        "{index}"
    );
    let post = read(dir.path(), "posts/zh/index.html");
    assert!(post.contains(&format!("<meta name=\"description\" content=\"{three}\">")));
}

#[test]
fn chinese_headings_keep_their_characters_and_stay_unique() {
    let dir = site("cjk");
    build_ok(dir.path());
    let post = read(dir.path(), "posts/zh/index.html");
    for id in ["引言", "引言-1", "第二部分-ai-晶片"] {
        assert!(post.contains(&format!("<h2 id=\"{id}\">")), "{id}\n{post}");
    }
    assert!(post.contains("<a href=\"#引言-1\">"), "{post}");
}
