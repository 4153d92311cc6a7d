use super::*;

fn site() -> (serde_json::Map<String, serde_json::Value>, &'static str) {
    let mut extra = serde_json::Map::new();
    extra.insert("repository".into(), "team/blog".into());
    (extra, "/blog/")
}

fn run(body: &str) -> Rewritten {
    let (extra, root) = site();
    let values = SiteValues {
        root,
        base: "https://example.com/blog/",
        title: "Site",
        description: "About",
        author: Some("Ann"),
        extra: &extra,
        page_title: "The post",
    };
    rewrite(body, &values).unwrap_or(Rewritten {
        body: body.to_string(),
        unknown: Vec::new(),
        problems: Vec::new(),
    })
}

fn body(text: &str) -> String {
    run(text).body
}

#[test]
fn nothing_to_do_is_none() {
    let (extra, root) = site();
    let values = SiteValues {
        root,
        base: "https://example.com/blog/",
        title: "",
        description: "",
        author: None,
        extra: &extra,
        page_title: "",
    };
    assert_eq!(rewrite("Plain { text } here.\n", &values), None);
}

#[test]
fn jekyll_highlight_becomes_a_fence_on_the_same_lines() {
    let text = "Before.\n\n{% highlight ruby linenos %}\ndef x\n  \"q\"\nend\n{% endhighlight %}\n\nAfter.\n";
    let out = body(text);
    assert_eq!(
        out,
        "Before.\n\n```ruby\ndef x\n  \"q\"\nend\n```\n\nAfter.\n"
    );
    assert_eq!(out.lines().count(), text.lines().count());
}

#[test]
fn raw_is_kept_literally_everywhere() {
    assert_eq!(
        body("{% raw %}{{ x }} {% if %}{% endraw %}\n"),
        "{{ x }} {% if %}\n"
    );
    assert_eq!(
        body("```liquid\n{% raw %}{{ page.title }}{% endraw %}\n```\n"),
        "```liquid\n{{ page.title }}\n```\n"
    );
    assert_eq!(
        body("Say `{%raw%}{{ a }}{%endraw%}`.\n"),
        "Say `{{ a }}`.\n"
    );
}

#[test]
fn code_is_left_as_written() {
    let text = "```\n{{ site.url }} {% include x %}\n```\n\n`{{ site.title }}`\n";
    let r = run(text);
    assert_eq!(r.body, text);
    assert!(r.unknown.is_empty());
}

#[test]
fn site_values_and_url_filters() {
    assert_eq!(
        body("![a]({{ site.baseurl }}/img/a.png)"),
        "![a](/img/a.png)"
    );
    assert_eq!(
        body("<img src=\"{{ site.baseurl }}/a.png\">"),
        "<img src=\"/blog/a.png\">"
    );
    assert_eq!(
        body("<a href=\"{{ site.url }}{{ site.baseurl }}/x/\">"),
        "<a href=\"https://example.com/blog/x/\">"
    );
    assert_eq!(
        body("[x]({{ \"/about/\" | relative_url }})"),
        "[x](/about/)"
    );
    assert_eq!(
        body("<a href=\"{{ '/about/' | relative_url }}\">"),
        "<a href=\"/blog/about/\">"
    );
    assert_eq!(
        body("{{ \"/feed.xml\" | absolute_url }}"),
        "https://example.com/blog/feed.xml"
    );
    assert_eq!(
        body("{{ site.title }} by {{ site.author }}: {{ page.title }}"),
        "Site by Ann: The post"
    );
    assert_eq!(body("Code at {{ site.repository }}."), "Code at team/blog.");
}

#[test]
fn post_url_and_link_are_internal_links() {
    assert_eq!(
        body("[Part 1]({% post_url 2019-01-01-part-one %})"),
        "[Part 1](@/posts/2019-01-01-part-one.md)"
    );
    assert_eq!(
        body("<a href=\"{{ site.baseurl }}{% post_url 2019-01-01-a %}\">"),
        "<a href=\"@/posts/2019-01-01-a.md\">"
    );
    assert_eq!(
        body("[x]({% link _posts/2019-01-01-a.md %})"),
        "[x](@/posts/2019-01-01-a.md)"
    );
    assert_eq!(body("[x]({% link about.md %})"), "[x](@/about.md)");
    assert_eq!(
        body("[pdf]({% link assets/a.pdf %})"),
        "[pdf](/assets/a.pdf)"
    );
}

#[test]
fn unknown_liquid_is_kept_and_reported() {
    let r = run("A\n{% include note.html %}\n{{ site.missing }} {{ x | markdownify }}\n");
    assert_eq!(
        r.body,
        "A\n{% include note.html %}\n{{ site.missing }} {{ x | markdownify }}\n"
    );
    let syntax: Vec<&str> = r.unknown.iter().map(|u| u.syntax.as_str()).collect();
    assert_eq!(syntax, ["{% include %}", "{{ site.missing }}", "{{ x }}"]);
    assert_eq!(r.unknown[0].offset, 2);
}

#[test]
fn comments_keep_their_lines() {
    assert_eq!(
        body("a\n{% comment %}\nhidden\n{% endcomment %}\nb\n"),
        "a\n\n\n\nb\n"
    );
}

#[test]
fn hugo_shortcodes() {
    assert_eq!(
        body("{{< figure src=\"a.png\" alt=\"An A\" caption=\"The A\" >}}"),
        "<figure><img src=\"a.png\" alt=\"An A\"><figcaption>The A</figcaption></figure>"
    );
    assert_eq!(
        body("{{< highlight go \"linenos=table\" >}}\nfunc main() {}\n{{< /highlight >}}\n"),
        "```go\nfunc main() {}\n```\n"
    );
    assert_eq!(
        body("[Next]({{< ref \"posts/next.md\" >}})"),
        "[Next](@/posts/next.md)"
    );
    assert_eq!(body("[Next]({{< relref \"/next\" >}})"), "[Next](@/next)");
    assert_eq!(
        body("{{< youtube w7Ft2ymGmfc >}}"),
        "<div class=\"video\"><iframe src=\"https://www.youtube-nocookie.com/embed/w7Ft2ymGmfc\" title=\"YouTube video\" loading=\"lazy\" allowfullscreen></iframe></div>"
    );
    assert_eq!(
        body("{{</* figure src=\"x\" */>}}"),
        "{{< figure src=\"x\" >}}"
    );
}

#[test]
fn callouts_become_alerts_on_the_same_lines() {
    assert_eq!(
        body("{{% notice warning %}}\nMind the **gap**.\nTwice.\n{{% /notice %}}\n"),
        "> [!WARNING]\n> Mind the **gap**.\n> Twice.\n\n"
    );
    assert_eq!(
        body("{{< alert >}}\nHi {{ site.title }}\n{{< /alert >}}\n"),
        "> [!NOTE]\n> Hi Site\n\n"
    );
    assert_eq!(
        body("{{% tip %}}\nDo.\n{{% /tip %}}\n"),
        "> [!TIP]\n> Do.\n\n"
    );
    assert_eq!(
        body("{% warning() %}\nCareful.\n{% end %}\n"),
        "> [!WARNING]\n> Careful.\n\n"
    );
}

#[test]
fn zola_inline_shortcodes() {
    assert!(body("{{ youtube(id=\"abc\") }}").contains("youtube-nocookie.com/embed/abc"));
    assert!(body("{{ vimeo(id=\"123\") }}").contains("player.vimeo.com/video/123"));
    let r = run("{{ image(src=\"a.png\") }}\n{% quote() %}\nQ\n{% end %}\n");
    let syntax: Vec<&str> = r.unknown.iter().map(|u| u.syntax.as_str()).collect();
    assert_eq!(syntax, ["{{ image() }}", "{% quote() %}"]);
}

#[test]
fn zola_escapes_show_shortcodes_as_text() {
    let r = run("{{/* youtube(id=\"x\") */}} and {%/* note() */%}");
    assert_eq!(r.body, "{{ youtube(id=\"x\") }} and {% note() %}");
    assert!(r.unknown.is_empty());
}

#[test]
fn unknown_hugo_shortcodes_are_reported_once_each() {
    let r = run("{{< tweet user=\"x\" id=\"1\" >}}\n{{% imgproc a Fill \"10x10\" %}}\n");
    let syntax: Vec<&str> = r.unknown.iter().map(|u| u.syntax.as_str()).collect();
    assert_eq!(syntax, ["{{< tweet >}}", "{{% imgproc %}}"]);
}

#[test]
fn unclosed_tags_do_not_loop_or_grow() {
    let text = "{% highlight x %}\n".repeat(2000) + &"{{< notice >}}".repeat(2000) + "{{ {% {{<";
    let r = run(&text);
    assert_eq!(r.body, text);
}

/// Random bodies made of the pieces the scanner reacts to: it never panics, and a body
/// without `{{` or `{%` comes back unchanged.
#[test]
fn random_bodies_do_not_panic() {
    const PIECES: [&str; 34] = [
        "{%",
        "%}",
        "{{",
        "}}",
        "{{<",
        ">}}",
        "{{%",
        "%}}",
        "{% raw %}",
        "{% endraw %}",
        "{% highlight ruby %}",
        "{% endhighlight %}",
        "{{< notice >}}",
        "{{< /notice >}}",
        "{% note() %}",
        "{% end %}",
        "`",
        "```",
        "~~~",
        "\n",
        " ",
        "-",
        "(",
        ")",
        "\"",
        "'",
        "é",
        "你好",
        "site.baseurl",
        "post_url",
        "| relative_url",
        "@/",
        "](",
        "=",
    ];
    let (extra, root) = site();
    let values = SiteValues {
        root,
        base: "https://example.com/blog/",
        title: "T",
        description: "",
        author: None,
        extra: &extra,
        page_title: "P",
    };
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..3000 {
        let mut body = String::new();
        for _ in 0..40 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            body.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        }
        if let Some(r) = rewrite(&body, &values) {
            assert!(r.unknown.iter().all(|u| u.offset <= body.len()));
        } else {
            assert!(!may_have_syntax(&body) || rewrite(&body, &values).is_none());
        }
    }
}

#[test]
fn a_details_summary_is_escaped() {
    let out = body("{{< details summary=\"<b>x</b>\" >}}\nHidden.\n{{< /details >}}\n");
    assert!(
        out.starts_with("<details><summary>&lt;b&gt;x&lt;/b&gt;</summary>"),
        "{out}"
    );
}

fn problems(text: &str) -> Vec<(bool, String, usize)> {
    run(text)
        .problems
        .into_iter()
        .map(|p| (p.error, p.message, p.offset))
        .collect()
}

#[test]
fn maths_and_code_are_not_template_syntax() {
    for text in [
        "Inline $x^{{a}}$ here.\n",
        "$$\n\\frac{{a}}{{b}}\n$$\n",
        "    {{ indented code }}\n",
        "> ```\n> {{ quoted code }}\n> ```\n",
    ] {
        let r = run(text);
        assert_eq!(r.body, text);
        assert!(r.unknown.is_empty(), "{text}: {:?}", r.unknown);
    }
    // A dollar and a space are no maths, as for pulldown-cmark.
    assert_eq!(body("$ {{ site.title }} $"), "$ Site $");
    // Raw markers go from maths as from code.
    assert_eq!(body("$x^{% raw %}{{a}}{% endraw %}$"), "$x^{{a}}$");
}

#[test]
fn raw_never_closed_keeps_the_rest_as_written() {
    let text = "A {{ site.title }}.\n{% raw %}\n{{ site.title }} {% if x %}\n";
    let r = run(text);
    assert_eq!(r.body, "A Site.\n\n{{ site.title }} {% if x %}\n");
    assert_eq!(
        problems(text),
        [(
            false,
            "`{% raw %}` is never closed: the rest of the post is kept as written".to_string(),
            text.find("{% raw").unwrap()
        )]
    );
    assert_eq!(r.problems[0].width, "{% raw %}".len());
}

#[test]
fn shortcodes_never_closed_are_reported_and_shown() {
    let text = "A {{< figure src=\"x.png\"\n\nand {{% notice tip %}}\nno end\n";
    let r = run(text);
    assert_eq!(r.body, text);
    assert_eq!(
        problems(text),
        [
            (
                false,
                "`{{< figure` is never closed by `>}}`, shown as text".to_string(),
                2
            ),
            (
                false,
                "`{{% notice %}}` is never closed by `{{% /notice %}}`, shown as text".to_string(),
                text.find("{{%").unwrap()
            ),
        ]
    );
    assert_eq!(r.problems[0].width, "{{< figure".len());
    // Braces that start no shortcode are text.
    assert!(problems("a {{< 3 and {{<").is_empty());
    assert_eq!(
        problems("{% note() %}\nx\n")[0].1,
        "`{% note() %}` is never closed by `{% end %}`, shown as text"
    );
}

#[test]
fn a_closing_shortcode_closes_the_innermost_of_its_name() {
    assert_eq!(
        body(
            "{{% notice warning %}}\nA\n{{% notice tip %}}\nB\n{{% /notice %}}\nC\n{{% /notice %}}\n"
        ),
        "> [!WARNING]\n> A\n> > [!TIP]\n> > B\n> \n> C\n\n"
    );
    assert_eq!(
        body("{% note() %}\nA\n{% tip() %}\nB\n{% end %}\nC\n{% end %}\n"),
        "> [!NOTE]\n> A\n> > [!TIP]\n> > B\n> \n> C\n\n"
    );
    let details = body(
        "{{< details summary=\"1\" >}}\n{{< details summary=\"2\" >}}\nin\n{{< /details >}}\nout\n{{< /details >}}\n",
    );
    assert_eq!(
        details,
        "<details><summary>1</summary>\n\n<details><summary>2</summary>\n\nin\n\n</details>\nout\n\n</details>\n"
    );
    // A self-closed one has no body.
    assert_eq!(
        body("{{< details summary=\"x\" />}}"),
        "<details><summary>x</summary>\n\n\n\n</details>"
    );
}

#[test]
fn shortcodes_nest_only_so_deep() {
    let depth = 40;
    let text = "{{< details >}}\n".repeat(depth) + &"{{< /details >}}\n".repeat(depth);
    let r = run(&text);
    assert_eq!(r.body.matches("<details>").count(), 16);
    assert_eq!(
        r.problems
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>(),
        ["`details` is nested more than 16 deep, shown as text"; 24]
    );
}

#[test]
fn zola_arguments_of_the_wrong_type_are_errors() {
    let problems = |text: &str| -> Vec<String> {
        run(text)
            .problems
            .into_iter()
            .filter(|p| p.error)
            .map(|p| format!("{} / {}", p.message, p.hint))
            .collect()
    };
    assert_eq!(
        problems("{{ youtube(id=[\"a\", 2]) }}"),
        [
            "`id` of `youtube()` is text, not an array / write the video's id in quotes: youtube(id=\"dQw4w9WgXcQ\")"
        ]
    );
    assert_eq!(
        problems("{{ vimeo(id=\"1\", title=false) }}"),
        ["`title` of `vimeo()` is text, not a boolean / write it in quotes: vimeo(title=\"...\")"]
    );
    assert_eq!(
        problems("{{ gist(url=true) }}"),
        ["`url` of `gist()` is text, not a boolean / write it in quotes: gist(url=\"...\")"]
    );
    assert!(problems("{{ vimeo(id=76979871) }}").is_empty());
    assert!(body("{{ vimeo(id=76979871) }}").contains("video/76979871"));
}
