//! Parsing with a depth limit: html5ever, with start tags past [`Limits::dom_depth`] dropped.
//!
//! html5ever accepts any nesting, but its tree builder scans its stack of open elements for
//! many tags ("is there a `p` in button scope?"), so a page of 40,000 nested `<ul><li>` takes
//! quadratic time, and every selector walks ancestors. Here the tokens pass through a filter
//! before the tree builder: once the tree builder holds [`Limits::dom_depth`] open or active
//! formatting elements, further start tags are dropped, so deeper content becomes text of the
//! element at the limit (a block's tag leaves a space, so words stay apart). Tags whose content is raw text (`script`, `style`, `textarea`...) are
//! always let through: they cannot nest, and dropping them would show their code as text.
//!
//! html5ever's tokenizer also checks each attribute of a tag against all the tag's earlier ones,
//! so one tag with 100,000 attributes takes seconds: attributes past [`MAX_ATTRIBUTES`] of one
//! tag are cut from the input before it is tokenized ([`cap_attributes`]).
//!
//! Below these limits, the tree is exactly what `Html::parse_document` builds.

use std::borrow::Cow;
use std::cell::Cell;

use ego_tree::NodeId;
use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, CharacterTokens, StartTag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
};
use html5ever::tree_builder::{
    ElementFlags, NodeOrText, QuirksMode, Tracer, TreeBuilder, TreeSink,
};
use html5ever::{Attribute, LocalName, QualName, local_name};
use scraper::{Html, HtmlTreeSink};

use super::render::is_block;

#[cfg(doc)]
use crate::limits::Limits;

/// The most attributes read on one tag; later ones are dropped (real pages have a few dozen at
/// most).
pub const MAX_ATTRIBUTES: usize = 256;

/// Parses a document as `Html::parse_document` does, dropping start tags past `depth` open
/// elements and attributes past [`MAX_ATTRIBUTES`].
pub(super) fn parse_document(html: &str, depth: usize) -> Html {
    let html = cap_attributes(html, MAX_ATTRIBUTES);
    let builder = TreeBuilder::new(
        Counting {
            inner: HtmlTreeSink::new(Html::new_document()),
            created: Cell::new(0),
        },
        Default::default(),
    );
    let limited = DepthLimited {
        builder,
        limit: depth,
        counted: Cell::new((0, 0)),
    };
    limited.counted.set((limited.held(), 0));
    let tokenizer = Tokenizer::new(limited, Default::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&html));
    // Scripts and encoding indicators pause the tokenizer; as in html5ever's own driver, both
    // are ignored and the feed goes on.
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
    tokenizer.end();
    tokenizer.sink.builder.sink.inner.finish()
}

/// Elements whose content the tokenizer reads as raw text, up to their end tag.
const RAW_TEXT_END: &[&[u8]] = &[
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
];

/// `html` with the attributes of each tag past the first `max` cut out (borrowed when no tag
/// has more).
///
/// A linear scan that follows the HTML tokenizer's states for tags (quoted and unquoted values,
/// `/` between attributes), and skips comments, `<!...>` and `<?...>` declarations and the
/// content of raw-text elements (`script`, `style`, `textarea`...), where `<` starts no tag.
pub(super) fn cap_attributes(html: &str, max: usize) -> Cow<'_, str> {
    let b = html.as_bytes();
    let len = b.len();
    let find = |from: usize, pat: &[u8]| -> usize {
        memchr::memmem::find(&b[from.min(len)..], pat).map_or(len, |p| from + p)
    };
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    // Byte ranges to cut, in order.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < len {
        let Some(lt) = memchr::memchr(b'<', &b[i..]) else {
            break;
        };
        i += lt;
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = find(i + 4, b"-->") + 3;
            continue;
        }
        if rest.len() > 1 && matches!(rest[1], b'!' | b'?') {
            i = find(i + 2, b">") + 1;
            continue;
        }
        let end_tag = rest.len() > 1 && rest[1] == b'/';
        let name_start = i + 1 + usize::from(end_tag);
        if name_start >= len || !b[name_start].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let mut j = name_start;
        while j < len && !space(b[j]) && b[j] != b'/' && b[j] != b'>' {
            j += 1;
        }
        let name = &b[name_start..j];
        // Without quotes, the tag ends at the first `>`, and each attribute takes at least two
        // bytes (a separator and a name): a short tag cannot have too many.
        let gt = memchr::memchr(b'>', &b[j..]).map_or(len, |p| j + p);
        if gt - j < 2 * (max + 1) && memchr::memchr2(b'"', b'\'', &b[j..gt]).is_none() {
            j = gt;
        } else {
            let (end, cut_from) = scan_attributes(b, j, max);
            if let Some(from) = cut_from {
                cuts.push((from, end));
            }
            j = end;
        }
        i = j + 1;
        if !end_tag {
            if name.eq_ignore_ascii_case(b"plaintext") {
                break;
            }
            if let Some(raw) = RAW_TEXT_END.iter().find(|r| name.eq_ignore_ascii_case(r)) {
                // Up to the matching end tag, in any case.
                while i < len {
                    i = find(i, b"</");
                    let after = &b[(i + 2).min(len)..];
                    if after.len() >= raw.len() && after[..raw.len()].eq_ignore_ascii_case(raw) {
                        break;
                    }
                    i += 2;
                }
            }
        }
    }
    if cuts.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(len);
    let mut copied = 0;
    for (from, to) in cuts {
        // Cuts start at an attribute's first byte and end before `>` or at the end: both are
        // character boundaries, the bytes around them being ASCII.
        out.push_str(&html[copied..from]);
        copied = to.min(len);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// Reads a tag's attributes from `from` (just past its name) as the HTML tokenizer does (quoted
/// and unquoted values, `/` between attributes): where the tag ends (its `>` or the end of the
/// input), and where its attribute number `max + 1` starts, if it has one.
fn scan_attributes(b: &[u8], from: usize, max: usize) -> (usize, Option<usize>) {
    let len = b.len();
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut j = from;
    let mut count = 0;
    let mut cut_from = None;
    loop {
        while j < len && (space(b[j]) || b[j] == b'/') {
            j += 1;
        }
        if j >= len || b[j] == b'>' {
            return (j, cut_from);
        }
        count += 1;
        if count > max && cut_from.is_none() {
            cut_from = Some(j);
        }
        // The name: a leading `=` is part of it.
        j += 1;
        while j < len && !space(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
            j += 1;
        }
        let mut k = j;
        while k < len && space(b[k]) {
            k += 1;
        }
        if k < len && b[k] == b'=' {
            k += 1;
            while k < len && space(b[k]) {
                k += 1;
            }
            if k < len && matches!(b[k], b'"' | b'\'') {
                let quote = b[k];
                k = memchr::memchr(quote, &b[k + 1..]).map_or(len, |p| k + 1 + p + 1);
            } else {
                while k < len && !space(b[k]) && b[k] != b'>' {
                    k += 1;
                }
            }
            j = k;
        }
    }
}

/// A token sink in front of the tree builder that drops start tags past the depth limit.
struct DepthLimited {
    builder: TreeBuilder<NodeId, Counting>,
    limit: usize,
    /// The last count of [`DepthLimited::held`], and how many elements had been created then.
    counted: Cell<(usize, usize)>,
}

/// The most handles the tree builder gains per element created: in its open elements, and in
/// its active formatting elements or its head or form pointer (3 leaves a margin).
const HANDLES_PER_ELEMENT: usize = 3;

impl DepthLimited {
    /// How many elements the tree builder holds: the document, its open elements, its active
    /// formatting elements and its head and form pointers (a bound on the current depth, and on
    /// what reconstructing formatting elements may insert).
    fn held(&self) -> usize {
        let count = Count::default();
        self.builder.trace_handles(&count);
        count.0.get()
    }

    /// Whether the tree builder holds more than the limit. Counting walks all it holds, so it is
    /// done only when the elements created since the last count could have taken it past the
    /// limit: between tokens, the tree builder holds more only by creating elements.
    fn over_limit(&self) -> bool {
        let created = self.builder.sink.created.get();
        let (held, then) = self.counted.get();
        if held + HANDLES_PER_ELEMENT * (created - then) <= self.limit {
            return false;
        }
        let held = self.held();
        self.counted.set((held, created));
        held > self.limit
    }
}

#[derive(Default)]
struct Count(Cell<usize>);

impl Tracer for Count {
    type Handle = NodeId;

    fn trace_handle(&self, _: &NodeId) {
        self.0.set(self.0.get() + 1);
    }
}

/// Whether the tokenizer reads the content of the element `name` as raw text.
fn is_raw_text(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("textarea")
            | local_name!("title")
            | local_name!("xmp")
            | local_name!("iframe")
            | local_name!("noembed")
            | local_name!("noframes")
            | local_name!("noscript")
            | local_name!("plaintext")
    )
}

impl TokenSink for DepthLimited {
    type Handle = NodeId;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<NodeId> {
        // Raw-text elements are always let through: they cannot nest, and dropping them would
        // show their code as text.
        if let TagToken(tag) = &token
            && self.over_limit()
            && !is_raw_text(&tag.name)
        {
            // A block past the limit still separates words, as a space.
            if is_block(&tag.name) {
                let space = CharacterTokens(StrTendril::from_slice(" "));
                let _ = self.builder.process_token(space, line_number);
            }
            if tag.kind == StartTag {
                return TokenSinkResult::Continue;
            }
        }
        self.builder.process_token(token, line_number)
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// scraper's tree sink, counting the elements created (see [`DepthLimited::over_limit`]).
struct Counting {
    inner: HtmlTreeSink,
    created: Cell<usize>,
}

impl TreeSink for Counting {
    type Handle = NodeId;
    type Output = Html;
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Html {
        self.inner.finish()
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg);
    }

    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.created.set(self.created.get() + 1);
        self.inner.create_element(name, attrs, flags)
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.inner.append(parent, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        self.inner
            .append_based_on_parent_node(element, prev_element, child);
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id);
    }

    fn mark_script_already_started(&self, node: &NodeId) {
        self.inner.mark_script_already_started(node);
    }

    fn pop(&self, node: &NodeId) {
        self.inner.pop(node);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode);
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.inner.append_before_sibling(sibling, new_node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs);
    }

    fn associate_with_form(
        &self,
        target: &NodeId,
        form: &NodeId,
        nodes: (&NodeId, Option<&NodeId>),
    ) {
        self.inner.associate_with_form(target, form, nodes);
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent);
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        self.inner
            .is_mathml_annotation_xml_integration_point(handle)
    }

    fn set_current_line(&self, line_number: u64) {
        self.inner.set_current_line(line_number);
    }

    fn allow_declarative_shadow_roots(&self, intended_parent: &NodeId) -> bool {
        self.inner.allow_declarative_shadow_roots(intended_parent)
    }

    fn attach_declarative_shadow(
        &self,
        location: &NodeId,
        template: &NodeId,
        attrs: &[Attribute],
    ) -> bool {
        self.inner
            .attach_declarative_shadow(location, template, attrs)
    }

    fn maybe_clone_an_option_into_selectedcontent(&self, option: &NodeId) {
        self.inner
            .maybe_clone_an_option_into_selectedcontent(option);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn depth(html: &Html) -> usize {
        html.tree
            .nodes()
            .map(|n| n.ancestors().count())
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn normal_pages_parse_as_html5ever_does() {
        let page = r#"<!DOCTYPE html><html lang=en><head><title>T</title>
            <meta charset="utf-8"><script>if (a < b) { x = "<p>"; }</script></head>
            <body><p>One <b>two <i>three</b> four</i><table><tr><td>5<td>6</table>
            <svg><text>s</text></svg><textarea><b>raw</b></textarea></body></html>"#;
        let ours = parse_document(page, 512);
        let theirs = Html::parse_document(page);
        assert_eq!(ours.html(), theirs.html());
    }

    #[test]
    fn deep_nesting_stops_at_the_limit_and_keeps_the_text() {
        let html = format!("{}bottom{}", "<div>x".repeat(5_000), "</div>".repeat(5_000));
        let doc = parse_document(&html, 64);
        assert!(depth(&doc) <= 64 + 2, "depth {}", depth(&doc));
        let text: String = doc.root_element().text().collect();
        assert_eq!(text.matches('x').count(), 5_000);
        assert!(
            text.trim_end().ends_with(" xbottom"),
            "blocks past the limit leave a space"
        );
    }

    #[test]
    fn attributes_past_the_cap_are_cut() {
        let attrs: String = (0..10).map(|i| format!(" a{i}=\"v>{i}\"")).collect();
        let html = format!("<p{attrs}>text</p><script>x = '<b {attrs}>'</script><i a=1 b=2>");
        let capped = cap_attributes(&html, 3);
        assert_eq!(
            capped,
            "<p a0=\"v>0\" a1=\"v>1\" a2=\"v>2\" >text</p>\
             <script>x = '<b  a0=\"v>0\" a1=\"v>1\" a2=\"v>2\" a3=\"v>3\" a4=\"v>4\" a5=\"v>5\" \
             a6=\"v>6\" a7=\"v>7\" a8=\"v>8\" a9=\"v>9\">'</script><i a=1 b=2>"
        );
        assert!(matches!(
            cap_attributes("<p a b c>x<!-- <q d e f g> -->", 3),
            Cow::Borrowed(_)
        ));
        let doc = parse_document(&html, 512);
        let p = doc
            .tree
            .nodes()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| e.value().name() == "p")
            .expect("the p");
        assert_eq!(p.value().attrs().count(), MAX_ATTRIBUTES.min(10));
    }

    #[test]
    fn raw_text_past_the_limit_stays_raw() {
        let html = format!(
            "{}<script>var a = '<p>code</p>';</script>text",
            "<span>".repeat(100)
        );
        let doc = parse_document(&html, 16);
        let script = doc
            .tree
            .nodes()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| e.value().name() == "script")
            .expect("the script is kept");
        assert_eq!(script.text().collect::<String>(), "var a = '<p>code</p>';");
    }

    /// The filter as it was first written, counting what the tree builder holds at every tag:
    /// [`DepthLimited`] must build the same tree at any limit.
    struct EveryTag {
        builder: TreeBuilder<NodeId, HtmlTreeSink>,
        limit: usize,
    }

    impl TokenSink for EveryTag {
        type Handle = NodeId;

        fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<NodeId> {
            let held = || {
                let count = Count::default();
                self.builder.trace_handles(&count);
                count.0.get()
            };
            // Raw-text tags compared by their text, as first written.
            let raw_text = [
                "script",
                "style",
                "textarea",
                "title",
                "xmp",
                "iframe",
                "noembed",
                "noframes",
                "noscript",
                "plaintext",
            ];
            if let TagToken(tag) = &token
                && !raw_text.contains(&&*tag.name)
                && held() > self.limit
            {
                if is_block(&tag.name) {
                    let space = CharacterTokens(StrTendril::from_slice(" "));
                    let _ = self.builder.process_token(space, line_number);
                }
                if tag.kind == StartTag {
                    return TokenSinkResult::Continue;
                }
            }
            self.builder.process_token(token, line_number)
        }

        fn end(&self) {
            self.builder.end();
        }

        fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
            self.builder
                .adjusted_current_node_present_but_not_in_html_namespace()
        }
    }

    fn parse_counting_every_tag(html: &str, limit: usize) -> Html {
        let html = reference_cap(html, MAX_ATTRIBUTES);
        let builder = TreeBuilder::new(HtmlTreeSink::new(Html::new_document()), Default::default());
        let tokenizer = Tokenizer::new(EveryTag { builder, limit }, Default::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(&html));
        while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
        tokenizer.end();
        tokenizer.sink.builder.sink.finish()
    }

    /// The attribute cap as it was first written, a tag's attributes always read one by one.
    fn reference_cap(html: &str, max: usize) -> Cow<'_, str> {
        let b = html.as_bytes();
        let len = b.len();
        let find = |from: usize, pat: &[u8]| -> usize {
            b[from.min(len)..]
                .windows(pat.len())
                .position(|w| w == pat)
                .map_or(len, |p| from + p)
        };
        let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
        // Byte ranges to cut, in order.
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < len {
            let Some(lt) = b[i..].iter().position(|&c| c == b'<') else {
                break;
            };
            i += lt;
            let rest = &b[i..];
            if rest.starts_with(b"<!--") {
                i = find(i + 4, b"-->") + 3;
                continue;
            }
            if rest.len() > 1 && matches!(rest[1], b'!' | b'?') {
                i = find(i + 2, b">") + 1;
                continue;
            }
            let end_tag = rest.len() > 1 && rest[1] == b'/';
            let name_start = i + 1 + usize::from(end_tag);
            if name_start >= len || !b[name_start].is_ascii_alphabetic() {
                i += 1;
                continue;
            }
            let mut j = name_start;
            while j < len && !space(b[j]) && b[j] != b'/' && b[j] != b'>' {
                j += 1;
            }
            let name = &b[name_start..j];
            let mut count = 0;
            let mut cut_from = None;
            loop {
                while j < len && (space(b[j]) || b[j] == b'/') {
                    j += 1;
                }
                if j >= len || b[j] == b'>' {
                    break;
                }
                count += 1;
                if count > max && cut_from.is_none() {
                    cut_from = Some(j);
                }
                // The name: a leading `=` is part of it.
                j += 1;
                while j < len && !space(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
                    j += 1;
                }
                let mut k = j;
                while k < len && space(b[k]) {
                    k += 1;
                }
                if k < len && b[k] == b'=' {
                    k += 1;
                    while k < len && space(b[k]) {
                        k += 1;
                    }
                    if k < len && matches!(b[k], b'"' | b'\'') {
                        let quote = b[k];
                        k = b[k + 1..]
                            .iter()
                            .position(|&c| c == quote)
                            .map_or(len, |p| k + 1 + p + 1);
                    } else {
                        while k < len && !space(b[k]) && b[k] != b'>' {
                            k += 1;
                        }
                    }
                    j = k;
                }
            }
            if let Some(from) = cut_from {
                cuts.push((from, j));
            }
            i = j + 1;
            if !end_tag {
                if name.eq_ignore_ascii_case(b"plaintext") {
                    break;
                }
                if let Some(raw) = RAW_TEXT_END.iter().find(|r| name.eq_ignore_ascii_case(r)) {
                    // Up to the matching end tag, in any case.
                    while i < len {
                        i = find(i, b"</");
                        let after = &b[(i + 2).min(len)..];
                        if after.len() >= raw.len() && after[..raw.len()].eq_ignore_ascii_case(raw)
                        {
                            break;
                        }
                        i += 2;
                    }
                }
            }
        }
        if cuts.is_empty() {
            return Cow::Borrowed(html);
        }
        let mut out = String::with_capacity(len);
        let mut copied = 0;
        for (from, to) in cuts {
            // Cuts start at an attribute's first byte and end before `>` or at the end: both are
            // character boundaries, the bytes around them being ASCII.
            out.push_str(&html[copied..from]);
            copied = to.min(len);
        }
        out.push_str(&html[copied..]);
        Cow::Owned(out)
    }

    /// Pieces of HTML that exercise the tree builder's hard cases: formatting elements to
    /// reconstruct and adopt, tables, forms, the head, raw text, comments and attributes.
    fn piece() -> impl Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "<b>",
            "</b>",
            "<i class=x>",
            "</i>",
            "<a href='>'>",
            "</a>",
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<span>",
            "</span>",
            "<ul><li>",
            "<li>",
            "</ul>",
            "<table>",
            "<tr>",
            "<td>",
            "</table>",
            "<form>",
            "</form>",
            "<h1>",
            "</h1>",
            "<head>",
            "<meta a=b>",
            "<body>",
            "<html>",
            "<script>x<y</script>",
            "<style>p{}</style>",
            "<title>t",
            "<textarea>",
            "</textarea>",
            "<!-- c -->",
            "<!x>",
            "<select><option>",
            "<svg><text>",
            "</svg>",
            "<template>",
            "</template>",
            "<nobr>",
            "<font a b c d e>",
            "text ",
            "x",
            " ",
            "&amp;",
            "<br>",
            "<img alt=\"a>b\">",
            "<p a='1' b=2 c d e f>",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn counting_only_when_needed_builds_the_same_tree(
            pieces in proptest::collection::vec(piece(), 0..300),
            limit in 3usize..40,
        ) {
            let html = pieces.concat();
            let ours = parse_document(&html, limit);
            let every_tag = parse_counting_every_tag(&html, limit);
            prop_assert_eq!(ours.html(), every_tag.html());
            let unlimited = parse_document(&html, 100_000);
            prop_assert_eq!(unlimited.html(), Html::parse_document(&html).html());
        }

        #[test]
        fn the_attribute_cap_cuts_as_before(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "<p", "<P", "</p", " a", "b", "=", "\"", "'", ">", "/", " ", "<!--", "-->",
                "<!x", "<?", "<script>", "</script", "<STYLE>", "</style>", "<plaintext>",
                "é", "<", "x=\"1 2\"",
            ]), 0..200),
            max in 0usize..5,
        ) {
            let html = pieces.concat();
            prop_assert_eq!(cap_attributes(&html, max), reference_cap(&html, max));
        }
    }

    #[test]
    fn long_unquoted_tags_are_still_capped() {
        let attrs: String = (0..600).map(|i| format!(" a{i}")).collect();
        let html = format!("<p{attrs}>x");
        assert_eq!(
            cap_attributes(&html, MAX_ATTRIBUTES),
            reference_cap(&html, MAX_ATTRIBUTES)
        );
        assert!(matches!(
            cap_attributes(&html, MAX_ATTRIBUTES),
            Cow::Owned(_)
        ));
    }
}
