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

#[test]
fn the_theme_speaks_the_sites_language() {
    let dir = site("cjk");
    let root = dir.path();
    let config = root.join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let footer = "footer:\n  about: 我們寫代碼。\n  services:\n    - name: 培訓\n";
    std::fs::write(&config, format!("{text}language: zh-Hant\n{footer}")).unwrap();
    let dir2 = root.join("content/posts");
    std::fs::write(
        dir2.join("older.md"),
        "---\ntitle: 較早的文章\ndate: 2024-12-01\n---\n短文。\n",
    )
    .unwrap();
    build_ok(root);
    let post = read(root, "posts/zh/index.html");
    assert!(post.contains("閱讀時間約 6 分鐘"), "{post}");
    assert!(post.contains("<span class=\"post-nav-label\">上一篇</span>"));
    assert!(post.contains("<h2 id=\"footer-about\">關於我們</h2>"));
    assert!(post.contains("<h2 id=\"footer-services\">其他服務</h2>"));
    assert!(post.contains("<h2 id=\"footer-contact\">聯絡我們</h2>"));
    assert!(
        read(root, "posts/older/index.html")
            .contains("<span class=\"post-nav-label\">下一篇</span>")
    );

    // A site changes any word in its own i18n/<language>.yaml.
    std::fs::create_dir_all(root.join("i18n")).unwrap();
    std::fs::write(root.join("i18n/zh-Hant.yaml"), "prev_post: 前一篇\n").unwrap();
    build_ok(root);
    let post = read(root, "posts/zh/index.html");
    assert!(
        post.contains("<span class=\"post-nav-label\">前一篇</span>"),
        "{post}"
    );
    assert!(
        post.contains("<h2 id=\"footer-contact\">聯絡我們</h2>"),
        "the others stay"
    );
}

#[test]
fn a_language_missing_a_word_says_which_and_shows_the_english() {
    let dir = site("cjk");
    let root = dir.path();
    let config = root.join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}language: fr\n")).unwrap();
    std::fs::create_dir_all(root.join("i18n")).unwrap();
    std::fs::write(root.join("i18n/fr.yaml"), "prev_post: Article précédent\n").unwrap();
    let outcome = build_ok(root);
    let warnings: Vec<String> = outcome.warnings.iter().map(ToString::to_string).collect();
    let next = warnings
        .iter()
        .find(|w| w.contains("no `next_post` in the words of `fr`: the English is shown"))
        .unwrap_or_else(|| panic!("{warnings:#?}"));
    assert!(next.contains("add `next_post:` to i18n/fr.yaml"), "{next}");
    let post = read(root, "posts/zh/index.html");
    assert!(
        post.contains("<h2 id=\"footer-contact\">Contact Us</h2>"),
        "{post}"
    );
}

#[test]
fn the_search_page_speaks_the_sites_language_too() {
    let dir = site("cjk");
    let root = dir.path();
    let config = root.join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}language: zh-Hant\nsearch: true\n")).unwrap();
    build_ok(root);
    let page = read(root, "search/index.html");
    assert!(
        page.contains("<label for=\"search-page-q\">要在文章中尋找的字詞</label>"),
        "{page}"
    );
    assert!(page.contains(" data-searching=\"搜尋中…\""));
    assert!(page.contains(" data-one=\"找到 1 篇含「{words}」的文章。\""));
}
