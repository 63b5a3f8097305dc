//! Hostile HTML shapes, generated: deep nesting of every kind, long and wide structures, huge
//! attribute counts. Shared by the page reader's tests (`src/page/html/hostile.rs`) and
//! `cargo bench --bench hostile`.

/// One generated page: its name, and the HTML.
pub struct Shape {
    /// What the page is, in a few words (`deep inline b/i`).
    pub name: &'static str,
    /// The page.
    pub html: String,
}

/// Two paragraphs of an article, for shapes that come after one.
const ARTICLE: &str = "<p>An article's first paragraph, long enough to read as one, goes on \
    here.</p><p>Its second paragraph is as long, and it is the article's last paragraph.</p>";

/// `open` repeated `n` times, then `middle`, then `close` repeated `n` times.
fn nest(n: usize, open: &str, middle: &str, close: &str) -> String {
    let mut s = String::with_capacity(n * (open.len() + close.len()) + middle.len());
    for _ in 0..n {
        s.push_str(open);
    }
    s.push_str(middle);
    for _ in 0..n {
        s.push_str(close);
    }
    s
}

/// Every shape, at a size of about `scale` elements (the sizes at `scale = 40_000`).
pub fn all(scale: usize) -> Vec<Shape> {
    let s = scale.max(10);
    vec![
        Shape {
            name: "deep inline <b><i> with text at each level",
            html: nest(s / 5, "<b>1<i>2", "<p>bottom 12.5%</p>", "</i></b>"),
        },
        Shape {
            name: "deep unclosed <span>",
            html: format!("<p>top 7%{}bottom 9%", "<span>x".repeat(s)),
        },
        Shape {
            name: "deep <div>",
            html: nest(s, "<div>", "bottom 3.5%", "</div>"),
        },
        Shape {
            name: "deep <frameset>",
            html: format!(
                "<html><head></head>{}",
                "<frameset><frame src=a>".repeat(s / 2)
            ),
        },
        Shape {
            name: "deep nested lists <ul><li>",
            html: format!("<body>{}", "<ul><li>".repeat(s)),
        },
        Shape {
            name: "long flat list <li>",
            html: format!(
                "<body><ul>{}</ul>",
                (0..s).map(|i| format!("<li>{i}</li>")).collect::<String>()
            ),
        },
        Shape {
            name: "deep nested tables",
            html: nest(s / 5, "<table><tr><td>1", "bottom", "</td></tr></table>"),
        },
        Shape {
            name: "wide table",
            html: format!(
                "<table><tr>{}</tr>{}</table>",
                "<th>h</th>".repeat(200),
                format!("<tr>{}</tr>", "<td>4.5</td>".repeat(200)).repeat(s / 200)
            ),
        },
        Shape {
            name: "row of colspans",
            html: format!(
                "<table><tr>{}</tr></table>",
                "<td colspan=100>9</td>".repeat(s / 2)
            ),
        },
        Shape {
            name: "one element with huge attribute count",
            html: format!(
                "<p {}>attributes</p>",
                (0..s).map(|i| format!("a{i}=1 ")).collect::<String>()
            ),
        },
        Shape {
            name: "many elements with long class lists",
            html: format!(
                "<body>{}",
                format!(
                    "<div class=\"{}\"><p>text 1.5%</p></div>",
                    "nav-x related-y content z ".repeat(20)
                )
                .repeat(s / 50)
            ),
        },
        Shape {
            name: "empty headings after the article",
            html: format!("<body><div>{ARTICLE}{}</div>", "<h2></h2>".repeat(s)),
        },
        Shape {
            name: "nested spans around a link and empty elements",
            html: format!(
                "<body>{ARTICLE}{}",
                nest(
                    200,
                    "<span>",
                    &format!(
                        "<a href=/x>{}</a>{}",
                        "word ".repeat(15),
                        "<i></i>".repeat(s)
                    ),
                    "</span>"
                )
            ),
        },
        Shape {
            name: "nested divs around a short text and empty elements",
            html: format!(
                "<body>{ARTICLE}{}",
                nest(
                    200,
                    "<div>",
                    &format!("<b>x</b>{}", "<span></span>".repeat(s)),
                    "</div>"
                )
            ),
        },
        Shape {
            name: "article parts of another kind between ads, thousands",
            html: format!(
                "<body><div><div class=body><p>{}</p></div>{}</div>",
                "word, ".repeat(s * 20),
                "<div class=ad><iframe></iframe></div><section><p>A part of the article, \
                 long enough to read as a paragraph of prose.</p></section>"
                    .repeat(s / 2)
            ),
        },
        Shape {
            name: "unclosed formatting elements with distinct attributes",
            html: format!(
                "<body>{}",
                (0..s / 4)
                    .map(|i| format!("<b id=b{i}><p>x</p>"))
                    .collect::<String>()
            ),
        },
    ]
}
