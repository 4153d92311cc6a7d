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
