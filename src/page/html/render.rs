//! The text walker: renders an element's subtree as the lines a reader sees.

use ego_tree::NodeRef;
use scraper::{ElementRef, Node};

/// Elements whose content is never shown as text.
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "template", "noscript", "head", "title", "svg", "iframe", "object", "embed",
    "canvas", "audio", "video",
];

/// Elements that start and end a line; everything else is inline.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "optgroup",
    "option",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// What to leave out besides hidden and non-content elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Everything visible.
    Visible,
}

/// Renders `root`'s content as tidy lines; `root` itself is rendered even if hidden.
pub(super) fn render(root: ElementRef<'_>, mode: Mode) -> String {
    match mode {
        Mode::Visible => render_with(root, &|_| false),
    }
}

/// Renders `root`'s content as tidy lines, leaving out hidden elements and those `skip` names;
/// `root` itself is rendered even if hidden.
pub(super) fn render_with(root: ElementRef<'_>, skip: &dyn Fn(ElementRef<'_>) -> bool) -> String {
    let mut writer = Writer {
        skip,
        buf: String::new(),
        cell_depth: 0,
        pre_depth: 0,
    };
    writer.children(root);
    tidy(&writer.buf)
}

/// Whether an element is never shown: a non-content tag, or hidden by attribute or inline style.
pub(super) fn is_hidden(el: ElementRef<'_>) -> bool {
    let value = el.value();
    if SKIPPED_TAGS.contains(&value.name()) {
        return true;
    }
    let input = value.name() == "input";
    // One pass over the attributes: `attr(name)` would intern `name` on every call.
    value.attrs().any(|(name, v)| match name {
        "hidden" => true,
        "aria-hidden" => v.trim().eq_ignore_ascii_case("true"),
        "type" => input && v.trim().eq_ignore_ascii_case("hidden"),
        "style" => style_hides(v),
        _ => false,
    })
}

/// Whether an element breaks lines.
pub(super) fn is_block(name: &str) -> bool {
    BLOCK_TAGS.contains(&name) || matches!(name, "br" | "pre" | "td" | "th")
}

/// Whether an inline `style` says `display: none` or `visibility: hidden|collapse`.
fn style_hides(style: &str) -> bool {
    style.split(';').any(|decl| {
        let Some((prop, value)) = decl.split_once(':') else {
            return false;
        };
        let prop = prop.trim().to_ascii_lowercase();
        let value = value.to_ascii_lowercase().replace("!important", "");
        let value = value.trim();
        (prop == "display" && value == "none")
            || (prop == "visibility" && (value == "hidden" || value == "collapse"))
    })
}

struct Writer<'s> {
    skip: &'s dyn Fn(ElementRef<'_>) -> bool,
    buf: String,
    /// Inside a table cell, line breaks become spaces so a row stays on one line.
    cell_depth: usize,
    /// Inside `<pre>`, the source's line breaks are kept.
    pre_depth: usize,
}

/// A step of the walk: a node to render, or the end of an element to close.
enum Step<'a> {
    Node(NodeRef<'a, Node>),
    /// The end of a table cell: a tab.
    EndCell,
    /// The end of a `<pre>`.
    EndPre,
    /// The end of a block: a line break.
    EndBlock,
}

impl Writer<'_> {
    /// Renders `root`'s children, walking the tree with an explicit stack (no recursion on
    /// untrusted input).
    fn children(&mut self, root: ElementRef<'_>) {
        let mut stack: Vec<Step<'_>> = root.children().rev().map(Step::Node).collect();
        while let Some(step) = stack.pop() {
            let node = match step {
                Step::Node(node) => node,
                Step::EndCell => {
                    self.cell_depth -= 1;
                    self.buf.push('\t');
                    continue;
                }
                Step::EndPre => {
                    self.pre_depth -= 1;
                    self.line_break();
                    continue;
                }
                Step::EndBlock => {
                    self.line_break();
                    continue;
                }
            };
            let el = match node.value() {
                Node::Text(text) => {
                    self.text(text);
                    continue;
                }
                Node::Element(_) => match ElementRef::wrap(node) {
                    Some(el) => el,
                    None => continue,
                },
                _ => continue,
            };
            if is_hidden(el) || (self.skip)(el) {
                continue;
            }
            let name = el.value().name();
            match name {
                "br" | "hr" => {
                    self.line_break();
                    continue;
                }
                "td" | "th" => {
                    self.cell_depth += 1;
                    stack.push(Step::EndCell);
                }
                "pre" => {
                    self.line_break();
                    self.pre_depth += 1;
                    stack.push(Step::EndPre);
                }
                _ if BLOCK_TAGS.contains(&name) => {
                    self.line_break();
                    stack.push(Step::EndBlock);
                }
                _ => {}
            }
            stack.extend(node.children().rev().map(Step::Node));
        }
    }

    fn line_break(&mut self) {
        self.buf.push(if self.cell_depth > 0 { ' ' } else { '\n' });
    }

    fn text(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                // Invisible: soft hyphen, zero-width space, byte-order mark.
                '\u{ad}' | '\u{200b}' | '\u{feff}' => {}
                '\n' if self.pre_depth > 0 => self.line_break(),
                // Includes no-break and thin spaces; tabs and newlines are structure only.
                c if c.is_whitespace() => self.buf.push(' '),
                c => self.buf.push(c),
            }
        }
    }
}

/// Collapses space runs within each cell, trims lines and drops empty ones.
fn tidy(buf: &str) -> String {
    let mut out = String::with_capacity(buf.len());
    // One line at a time, built in a reused buffer: this runs over every page's whole text.
    let mut line = String::new();
    for raw in buf.split('\n') {
        line.clear();
        for (i, cell) in raw.split('\t').enumerate() {
            if i > 0 {
                line.push('\t');
            }
            for (j, word) in cell.split(' ').filter(|w| !w.is_empty()).enumerate() {
                if j > 0 {
                    line.push(' ');
                }
                line.push_str(word);
            }
        }
        let line = line.trim_matches('\t');
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn body_text(html: &str) -> String {
        let doc = Html::parse_document(html);
        let body = doc
            .root_element()
            .child_elements()
            .find(|e| e.value().name() == "body")
            .expect("html5ever always makes a body");
        render(body, Mode::Visible)
    }

    #[test]
    fn inline_elements_join_without_spaces() {
        assert_eq!(body_text("<p><b>79</b>.8</p>"), "79.8");
        assert_eq!(body_text("<p>5.6<span> million</span></p>"), "5.6 million");
        assert_eq!(
            body_text("<p>x<sup>2</sup> and <a href='#'>link</a><em>!</em></p>"),
            "x2 and link!"
        );
    }

    #[test]
    fn blocks_break_lines_and_spaces_collapse() {
        let text = body_text(
            "<h1> Title\n  here </h1><div>one<p>two</p>three</div>\
             <ul><li>a</li><li>b</li></ul>x<br>y<hr>z",
        );
        assert_eq!(text, "Title here\none\ntwo\nthree\na\nb\nx\ny\nz");
    }

    #[test]
    fn entities_decoded_and_odd_spaces_plain() {
        assert_eq!(
            body_text("<p>AT&amp;T&nbsp;paid&#160;$5\u{2009}M &lt;ok&gt; co\u{ad}operate</p>"),
            "AT&T paid $5 M <ok> cooperate"
        );
    }

    #[test]
    fn tables_use_tabs_and_rows() {
        let text = body_text(
            "<table><tr><th>Model</th><th>Score</th></tr>\
             <tr><td>R1 <b>79</b>.8</td><td><p>97.3</p><p>%</p></td></tr></table><p>after</p>",
        );
        assert_eq!(text, "Model\tScore\nR1 79.8\t97.3 %\nafter");
    }

    #[test]
    fn pre_keeps_line_breaks() {
        assert_eq!(
            body_text("<pre>line 1\nline  2\n\n  line 3</pre>"),
            "line 1\nline 2\nline 3"
        );
    }

    #[test]
    fn hidden_and_non_content_skipped() {
        let text = body_text(
            r#"<p>shown</p>
            <script>var x = "script";</script><style>p{}</style><noscript>nojs</noscript>
            <template><p>tmpl</p></template><svg><text>svgtext</text></svg>
            <iframe>frame</iframe><object>obj</object>
            <p hidden>attr-hidden</p><p aria-hidden="true">aria</p>
            <p aria-hidden="false">aria-visible</p>
            <div style="color: red; DISPLAY : None !important">css-none</div>
            <div style="visibility:hidden">css-hidden</div>
            <div style="display: block">css-block</div>
            <input type="HIDDEN" value="secret">"#,
        );
        assert_eq!(text, "shown\naria-visible\ncss-block");
    }

    #[test]
    fn style_parser_tolerates_spaces_and_case() {
        assert!(style_hides("display:none"));
        assert!(style_hides(" Display :  NONE ; color: red"));
        assert!(style_hides("visibility: hidden"));
        assert!(!style_hides("display: inline-block"));
        assert!(!style_hides("background: url(x:none)"));
    }
}
