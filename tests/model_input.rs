//! Bad input to the site model (issue 30): NUL characters in every text a page or a feed
//! shows, descriptions and summaries of any length, path segments made from long names,
//! file names ending in a language the site does not declare, and a language prefix that
//! collides with the site's own pages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Read;
use std::path::Path;

use common::*;

/// The bytes of every text file of the output: HTML, feeds, the sitemap, and the search
/// index's fragments (gzipped JSON, unpacked), by path.
fn text_outputs(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (path, bytes) in snapshot(&root.join("public")) {
        let name = path.display().to_string();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "pf_fragment" {
            let mut unpacked = Vec::new();
            flate2::read::GzDecoder::new(bytes.as_slice())
                .read_to_end(&mut unpacked)
                .unwrap();
            out.push((name, unpacked));
        } else if !name.starts_with("pagefind") && matches!(ext, "html" | "xml" | "json" | "txt") {
            out.push((name, bytes));
        }
    }
    out
}

/// The `content` of the first `<meta {attribute}="{name}">` of `html`.
fn meta(html: &str, attribute: &str, name: &str) -> String {
    let start = format!("<meta {attribute}=\"{name}\" content=\"");
    let at = html
        .find(&start)
        .unwrap_or_else(|| panic!("no {start} in the page"));
    let rest = &html[at + start.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// The folders under `public/<list>/` (tag, author, series pages), sorted.
fn folders(root: &Path, list: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("public").join(list))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// True when `segment` is `head` and a dash and eight hex digits.
fn is_cut(segment: &str, head: &str) -> bool {
    segment.len() <= 200
        && segment.strip_prefix(head).is_some_and(|rest| {
            rest.len() == 9
                && rest.starts_with('-')
                && rest[1..]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

fn post(root: &Path, name: &str, front_matter: &str, body: &str) {
    let path = root.join("content/posts").join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        path,
        format!("---\ntitle: {name}\ndate: 2024-02-01\n{front_matter}---\n{body}"),
    )
    .unwrap();
}

/// `title: "a\0b"` (a YAML escape), `\u0000` in TOML and a NUL byte in a body reached the
/// HTML (title, meta description, summary). Each is U+FFFD now, as CommonMark reads a NUL,
/// in every file of the output, and no file has a NUL byte.
#[test]
fn nul_characters_are_replacement_characters_in_every_output() {
    let dir = site("model_nul");
    let root = dir.path();
    std::fs::write(
        root.join("content/posts/raw.md"),
        "---\ntitle: Raw\ndate: 2024-01-01\n---\nA body with a raw \0 NUL in its first paragraph.\n\n## Head\0ing\n\nMore \0 text.\n",
    )
    .unwrap();
    build_ok(root);
    let outputs = text_outputs(root);
    assert!(outputs.len() > 20, "{}", outputs.len());
    for (name, bytes) in &outputs {
        assert!(!bytes.contains(&0), "{name} has a NUL byte");
    }
    let r = '\u{fffd}';
    let yaml = read(root, "posts/yaml/index.html");
    assert!(
        yaml.contains(&format!("<title>Ya{r}ml | Nul{r}Site</title>")),
        "{yaml}"
    );
    for shown in [
        format!("Au{r}thor"),
        format!("Ta{r}g"),
        format!("Se{r}ries"),
    ] {
        assert!(yaml.contains(&shown), "{shown} in {yaml}");
    }
    let toml = read(root, "posts/toml/index.html");
    assert!(toml.contains(&format!("<title>To{r}ml | Nul{r}Site</title>")));
    assert_eq!(
        meta(&toml, "name", "description"),
        format!("De{r}scription")
    );
    assert!(toml.contains(&format!("TomlTa{r}g")));
    assert!(toml.contains(&format!("Conf{r}ig Author")));
    let raw = read(root, "posts/raw/index.html");
    let described = format!("A body with a raw {r} NUL in its first paragraph.");
    assert_eq!(meta(&raw, "name", "description"), described);
    assert_eq!(meta(&raw, "property", "og:description"), described);
    assert!(raw.contains(&format!("Head{r}ing")));
    assert!(raw.contains(&format!("More {r} text.")));
    let about = read(root, "about/index.html");
    assert!(about.contains(&format!("<title>Ab{r}out | Nul{r}Site</title>")));
    let index = read(root, "index.html");
    assert!(index.contains(&format!("Sum{r}mary")), "{index}");
    assert!(index.contains(&format!("A site{r} with NULs.")));
    for feed in ["atom.xml", "rss.xml", "feed.json"] {
        let text = read(root, feed);
        for title in [format!("Ya{r}ml"), format!("To{r}ml")] {
            assert!(text.contains(&title), "{title} in {feed}: {text}");
        }
    }
    let fragments: String = outputs
        .iter()
        .filter(|(name, _)| name.ends_with(".pf_fragment"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    assert!(
        fragments.contains(&format!("Ya{r}ml")) && fragments.contains(&format!("raw {r} NUL")),
        "{fragments}"
    );
}

/// A 230 KB one-paragraph post copied the whole paragraph into its meta description,
/// `og:description`, `twitter:description` and JSON-LD, the index's card and the feeds'
/// summaries. Descriptions are at most 300 characters and cards' summaries 600, each cut at
/// a word with `…`; an author's `description:` and `summary:` are bounded alike.
#[test]
fn descriptions_and_summaries_are_bounded_and_cut_at_a_word() {
    let dir = site("model_long");
    let root = dir.path();
    let paragraph = "alpha beta gamma delta ".repeat(10_000);
    post(root, "long.md", "", &format!("{paragraph}\n\nThe end.\n"));
    let own = "epsilon ".repeat(200);
    let own_summary = "zeta ".repeat(400);
    post(
        root,
        "own.md",
        &format!("description: \"{own}\"\nsummary: \"{own_summary}\"\n"),
        "Short.\n",
    );
    let chinese = "香港".repeat(500);
    post(
        root,
        "chinese.md",
        &format!("description: {chinese}\n"),
        "短。\n",
    );
    post(root, "part.md", "series: Saga\n", "A part.\n");
    std::fs::create_dir_all(root.join("content/series")).unwrap();
    std::fs::write(
        root.join("content/series/saga.md"),
        format!("---\ntitle: Saga\n---\n{paragraph}\n"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/pages")).unwrap();
    std::fs::write(
        root.join("content/pages/about.md"),
        format!("---\ntitle: About\n---\n{paragraph}\n"),
    )
    .unwrap();
    build_ok(root);

    let is_word_cut = |text: &str, budget: usize, whole: &str| {
        let count = text.chars().count();
        let shown: String = text.chars().take(80).collect();
        assert!(count <= budget, "{count} characters: {shown}...");
        assert!(count > budget / 2, "{count} characters: {text}");
        let head = text
            .strip_suffix('…')
            .unwrap_or_else(|| panic!("no …: {shown}..."));
        assert!(whole.starts_with(head), "{head}");
        assert!(
            whole[head.len()..].starts_with(' '),
            "not cut at a word: {head}"
        );
    };
    let long = read(root, "posts/long/index.html");
    let description = meta(&long, "name", "description");
    is_word_cut(&description, 300, &paragraph);
    assert_eq!(meta(&long, "property", "og:description"), description);
    assert_eq!(meta(&long, "name", "twitter:description"), description);
    assert!(long.contains(&format!("\"description\":\"{description}\"")));
    // The body once, and little else.
    assert!(
        long.len() < paragraph.len() + 20_000,
        "{} bytes for a {}-byte body",
        long.len(),
        paragraph.len()
    );

    let index = read(root, "index.html");
    assert!(index.len() < 20_000, "{} bytes", index.len());
    let card = |html: &str, title: &str| {
        let at = html.find(&format!(">{title}</a>")).unwrap();
        let summary = &html[at..];
        let start = summary.find("<div class=\"summary\"><p>").unwrap() + 24;
        let end = summary[start..].find("</p>").unwrap();
        summary[start..start + end].to_string()
    };
    is_word_cut(&card(&index, "long.md"), 600, &paragraph);
    // A short first paragraph is the card's summary as it was, links and all.
    assert_eq!(
        card(&index, "Short"),
        "A short first paragraph with a <a href=\"https://example.org/\">link</a> keeps its <em>markup</em>."
    );

    let own_page = read(root, "posts/own/index.html");
    is_word_cut(&meta(&own_page, "name", "description"), 300, &own);
    is_word_cut(&card(&index, "own.md"), 600, &own_summary);

    // Chinese has no spaces: cut at a character.
    let chinese_page = read(root, "posts/chinese/index.html");
    let cut = meta(&chinese_page, "name", "description");
    assert_eq!(
        cut,
        format!(
            "{}…",
            "香港".repeat(150).chars().take(299).collect::<String>()
        )
    );

    let about = read(root, "about/index.html");
    is_word_cut(&meta(&about, "name", "description"), 300, &paragraph);

    let series = read(root, "series/index.html");
    let start = series.find("<p class=\"summary\">").unwrap() + 19;
    let end = series[start..].find("</p>").unwrap();
    is_word_cut(&series[start..start + end], 300, &paragraph);
    is_word_cut(
        &meta(&read(root, "series/saga/index.html"), "name", "description"),
        300,
        &paragraph,
    );

    let json: serde_json::Value = serde_json::from_str(&read(root, "feed.json")).unwrap();
    for item in json["items"].as_array().unwrap() {
        let summary = item["summary"].as_str().unwrap();
        assert!(summary.chars().count() <= 300, "{summary}");
    }
    let atom = read(root, "atom.xml");
    assert!(atom.contains(&format!("<summary type=\"text\">{description}</summary>")));
}

/// An author line of Markdown links made a slug of 370 bytes and the build died with `File
/// name too long (os error 36)`; a tag or a series name over 200 bytes, or a file name whose
/// slug is, was an error. Each segment made from a name is now cut at a word to at most 200
/// bytes and ends with a hash of the whole slug (so two long names stay two pages).
#[test]
fn path_segments_made_from_long_names_are_cut_with_a_hash() {
    let dir = site("model_segments");
    let root = dir.path();
    post(
        root,
        "authors.md",
        "author: \"[Martin Kuba](https://example.com/a-very-long-url-that-goes-on-and-on-and-on/and-on-and-on/people/martin-kuba-profile) (Lightstep), [Someone Else](https://example.com/another-very-long-url-that-goes-on-and-on-and-on/people/someone-else-profile-page), [Third Person](https://example.org/yet/another/profile/page/for/the/third/person)\"\n",
        "Links in the author line.\n",
    );
    let tagwords = "tagword ".repeat(40);
    post(
        root,
        "names.md",
        &format!(
            "author: \"{}\"\ntags: [\"{tagwords}\", \"{tagwords}one\", \"{tagwords}two\"]\nseries: \"{}\"\n",
            "Name ".repeat(60),
            "word ".repeat(60)
        ),
        "Long names.\n",
    );
    let hong_kong = "香港".repeat(40);
    post(root, &format!("{hong_kong}.md"), "", "A long file name.\n");
    post(
        root,
        &format!("{hong_kong}/in-folder.md"),
        &format!(
            "permalink: /{{section}}/{{categories}}/{{slug}}/\ncategories: [\"{}\"]\n",
            "Category ".repeat(40)
        ),
        "A long folder and category.\n",
    );
    build_ok(root);

    let authors = folders(root, "authors");
    assert!(
        authors.contains(&"martin-kuba-lightstep-someone-else-third-person".to_string()),
        "{authors:?}"
    );
    let page = read(root, "posts/authors/index.html");
    assert!(
        page.contains("Martin Kuba (Lightstep), Someone Else, Third Person"),
        "{page}"
    );
    assert!(!page.contains("]("), "{page}");
    assert!(
        authors
            .iter()
            .any(|a| is_cut(a, &vec!["name"; 38].join("-"))),
        "{authors:?}"
    );

    let tags = folders(root, "tags");
    let head = vec!["tagword"; 24].join("-");
    let cut: Vec<&String> = tags.iter().filter(|t| is_cut(t, &head)).collect();
    assert_eq!(cut.len(), 3, "three tags, three pages: {tags:?}");

    let series = folders(root, "series");
    assert!(
        series
            .iter()
            .any(|s| is_cut(s, &vec!["word"; 38].join("-"))),
        "{series:?}"
    );

    let posts = folders(root, "posts");
    let xiang = posts
        .iter()
        .find(|p| p.starts_with("xiang-gang-"))
        .unwrap_or_else(|| panic!("{posts:?}"));
    assert!(xiang.len() <= 200 && is_cut(xiang, &xiang[..xiang.len() - 9]));
    assert!(!xiang[..xiang.len() - 9].ends_with('-'));

    // Every segment of every output path fits.
    for (path, _) in snapshot(&root.join("public")) {
        for part in path.components() {
            let len = part.as_os_str().len();
            assert!(len <= 200, "{len} bytes: {}", path.display());
        }
    }
    // The same input gives the same segments.
    let first = snapshot(&root.join("public"));
    build_ok(root);
    assert_same_tree(&first, &snapshot(&root.join("public")), "a second build");
}

/// A `slug:`, an alias or a `permalink:` the author writes is a URL as written: past 200
/// bytes it is an error (a `permalink:` of 300 bytes failed with `File name too long`).
#[test]
fn segments_the_author_writes_stay_errors_past_the_limit() {
    let dir = site("model_segments");
    let root = dir.path();
    let long = "x".repeat(300);
    post(root, "slug.md", &format!("slug: {long}\n"), "Slug.\n");
    post(
        root,
        "alias.md",
        &format!("aliases: [/old/{long}/]\n"),
        "Alias.\n",
    );
    post(
        root,
        "permalink.md",
        &format!("permalink: /p/{long}/\n"),
        "Permalink.\n",
    );
    let text = build_err(root);
    let reports: Vec<(&str, &str, &str)> = text
        .trim_end()
        .split("\n\n")
        .filter(|r| r.starts_with("error:"))
        .map(|r| {
            let lines: Vec<&str> = r.lines().collect();
            (lines[0], lines[1], lines[lines.len() - 1])
        })
        .collect();
    let help = "  = help: shorten it: file systems allow 255 bytes in a file name";
    let x35 = "x".repeat(35);
    assert_eq!(
        reports,
        [
            (
                format!("error: alias `/old/{x35}...` is too long for a URL: 300 bytes, at most 200 are allowed").as_str(),
                " --> content/posts/alias.md:4:10",
                help
            ),
            (
                "error: `permalink` is too long for a URL: 300 bytes, at most 200 are allowed",
                " --> content/posts/permalink.md:4:12",
                help
            ),
            (
                "error: `slug` is too long for a URL: 300 bytes, at most 200 are allowed",
                " --> content/posts/slug.md:4:7",
                help
            ),
        ]
    );
}

/// `first.fr.md` in a site of `en` and `zh-Hant` was published as an English post at
/// `/posts/first.fr/`. A file name ending in a language tag the config does not declare is
/// an error naming the file and `languages` in config.yaml; names whose last part is no
/// language (`v1.2.md`, `notes.draft.md`) are posts as before.
#[test]
fn a_file_in_a_language_the_site_does_not_declare_is_an_error() {
    let dir = site("model_languages");
    let root = dir.path();
    build_ok(root);
    assert!(exists(root, "posts/v1.2/index.html"));
    assert!(exists(root, "posts/notes.draft/index.html"));

    post(root, "first.fr.md", "", "Bonjour.\n");
    post(root, "second.fr.md", "", "Encore.\n");
    post(root, "guide.pt-BR.md", "", "Olá.\n");
    post(root, "trip/index.es.md", "", "Hola.\n");
    std::fs::write(
        root.join("content/pages/about.de.md"),
        "---\ntitle: Über\n---\nÜber uns.\n",
    )
    .unwrap();
    let text = build_err(root);
    let error = |code: &str, file: &str, renamed: &str| {
        format!(
            "error: the file name says it is in `{code}`, a language `languages` in config.yaml does not declare (the site's languages: en, zh-Hant)\n --> {file}\n  = help: add `{code}` under `languages:` in config.yaml, or rename the file ({renamed}) if `{code}` is not its language"
        )
    };
    assert_eq!(
        text,
        [
            error("de", "content/pages/about.de.md", "about-de.md"),
            error("fr", "content/posts/first.fr.md", "first-fr.md"),
            error("pt-BR", "content/posts/guide.pt-BR.md", "guide-pt-BR.md"),
            error("fr", "content/posts/second.fr.md", "second-fr.md"),
            error("es", "content/posts/trip/index.es.md", "index-es.md"),
        ]
        .join("\n\n")
            + "\n\n5 errors in content; nothing was written"
    );
}

/// A site with no `languages:` is in one language: `post.fr.md` is a post named `post.fr`,
/// as in Zola, which checks the code only against the languages a site declares.
#[test]
fn a_site_in_one_language_reads_a_code_in_a_file_name_as_part_of_the_name() {
    let dir = site("model_segments");
    let root = dir.path();
    post(root, "post.fr.md", "", "Bonjour.\n");
    build_ok(root);
    assert!(exists(root, "posts/post.fr/index.html"));
}

/// `prefix: /tags/` put a language's home on the tag index, and the error pointed at
/// `content`. It names config.yaml, at the language's `prefix`.
#[test]
fn a_prefix_that_collides_with_the_sites_pages_is_an_error_in_the_config() {
    let dir = site("model_languages");
    let root = dir.path();
    post(root, "tagged.md", "tags: [Travel]\n", "Tagged.\n");
    let config = std::fs::read_to_string(root.join("config.yaml")).unwrap();
    std::fs::write(
        root.join("config.yaml"),
        config.replace(
            "    title: 兩種語言\n",
            "    title: 兩種語言\n    prefix: /tags/\n",
        ),
    )
    .unwrap();
    assert_eq!(
        build_err(root),
        "error: the `prefix` /tags/ of `zh-Hant` puts its pages on the site's own: tags/index.html is both the tag index and the post index (page 1) of `zh-Hant`\n --> config.yaml:8:5\n  |\n8 |     prefix: /tags/\n  |     ^^^^^^ the prefix of `zh-Hant`\n  |\n  = help: give `zh-Hant` a prefix under which the site has no pages of its own, e.g. prefix: /zh-hant/\n\n1 error in content; nothing was written"
    );
    // The search index's folder: one error, not one for each page of the language.
    std::fs::write(
        root.join("config.yaml"),
        config.replace(
            "    title: 兩種語言\n",
            "    title: 兩種語言\n    prefix: /pagefind/\n",
        ) + "search: true\n",
    )
    .unwrap();
    assert_eq!(
        build_err(root),
        "error: the `prefix` /pagefind/ of `zh-Hant` puts its pages in `/pagefind/`, which the search index fills\n --> config.yaml:8:5\n  |\n8 |     prefix: /pagefind/\n  |     ^^^^^^ the prefix of `zh-Hant`\n  |\n  = help: give `zh-Hant` a prefix under which the site has no pages of its own, e.g. prefix: /zh-hant/\n\n1 error in content; nothing was written"
    );
}
