//! Main-content extraction: find the element that holds the page's article, and render it without
//! boilerplate.
//!
//! One pass over the tree, bottom-up, gives each element its visible text length, the part of it
//! inside links, and its *paragraph mass*: the text of the paragraphs beneath it (`p`, `pre`, or a
//! block with only inline content, a quoted passage of text among them, and loose text beside
//! blocks) that are at least [`MIN_PARAGRAPH_CHARS`] long and not mostly links, and of the list
//! items that are a sentence without a link (a list of them is one paragraph of the run it stands
//! in). Boilerplate (see `boilerplate`) is left out of the counts.
//!
//! 1. **The container.** From `body`, step down into the child with the most paragraph mass as
//!    long as it holds at least [`DESCEND_SHARE`] of its parent's: the smallest element that
//!    holds most of the page's paragraphs. A listing's teasers can outweigh a short article, so
//!    the densest *cluster* is found too (an element scored by the paragraph text of its children
//!    plus half that of its grandchildren, times one less its link density, as in Readability; a
//!    wrapper of one element counts as what it wraps, so paragraphs nested deep in `div`s count);
//!    if that cluster lies outside the top-down element, it wins, widened to the smallest
//!    ancestor of which it holds [`DESCEND_SHARE`]. If the class and id words leave too little
//!    (layout classes such as `has-sidebar` can wrap a whole article), all this runs again
//!    trusting tags and roles only.
//!    Paragraphs beside the container (a lead paragraph before the body's wrapper) join it, and so
//!    do the other parts of an article split into sibling blocks of one kind (same tag and
//!    classes) around an ad or an image, when their paragraphs sit in one run (not one to a card,
//!    as a listing's) and, after the container, they do not open with a rule (an "about" note).
//!    A teaser card (a heading that is all a link to another page, and one summary at most) has no
//!    paragraph mass, so a listing of them does not outweigh a short article, and it is not
//!    rendered. A block of any kind joins too when it is mostly a run of paragraphs on the other
//!    side of an ad slot or a figure (a lede set apart before an ad, the rest of the article after
//!    one), unless, after the article, it opens with a rule or a heading (a section of its own);
//!    with nothing between, a block of another kind is a standfirst, and stays out. The parts are
//!    rendered in source order.
//! 2. **Pruning.** The container is rendered without boilerplate, without the headline (an `h1`
//!    before the article's first paragraph; one after it heads a section), figures and captions,
//!    buttons and form labels, ad slots (a script or frame with a short label), and without
//!    link-dense blocks (lists of related stories, tag clouds, "read more" lines): a block more
//!    than [`MAX_LINK_DENSITY`] of whose text is in links, unless it is a paragraph (or a quote)
//!    with a sentence of its own or with its links inside its sentence (`convicted and
//!    <a>sentenced to life</a>.`), a table cell's content, or a list the article's text goes on
//!    after (shop links between a deal's paragraphs, a changelog's linked items; a list item of
//!    prose, without links, is the article's text going on, as a paragraph is). A rule (`hr`) after
//!    the article's last paragraph ends it ("More stories" below a line), and a heading after it
//!    goes (it heads comments or more stories), unless only headings follow it. A note in italics
//!    whose links are a list of names ("Follow us on A, B and C") goes too, and so does a link
//!    standing alone among blocks, with no text beside it, that holds a block or a sentence's
//!    length of text (a teaser card of another story), and a `span` of three or more links and
//!    no other text, with no text beside it (a card that pops up over a name in a sentence). A
//!    `div` with an image, no `p` and less than two sentences' text is a figure without the tag,
//!    and goes as figures do.
//!
//! No rule names a site. The rules were tuned on the dev pages of two corpora (Scrapinghub's
//! benchmark and Readability's test pages) and checked on a held fold of each (see the README,
//! "Main content extraction").

use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use ego_tree::NodeId;
use scraper::{ElementRef, Node};

use super::boilerplate::{Trust, is_boilerplate, is_boilerplate_container};
use super::render::{is_block, is_hidden, render_with};
use super::{MIN_MAIN_TEXT_CHARS, MIN_PARAGRAPH_CHARS};

/// The least share of its parent's paragraph mass for which the descent steps into a child.
pub const DESCEND_SHARE: f64 = 0.6;

/// The largest share of a block's text that may sit in links before it is pruned as a link list.
pub const MAX_LINK_DENSITY: f64 = 0.5;

/// The least text of a paragraph that says something of its own: a sentence, not a label or a
/// credit line.
const SENTENCE_CHARS: usize = MIN_PARAGRAPH_CHARS * 2;

/// The most paragraph text a teaser card (a linked headline and a summary) holds.
const TEASER_CHARS: usize = SENTENCE_CHARS * 5;

/// Lists and their items: kept whatever their links when the article's text goes on after them.
const LIST_TAGS: &[&str] = &["ul", "ol", "li", "dl", "dt", "dd"];

/// Elements never part of the main content's text, besides boilerplate.
const PRUNED_TAGS: &[&str] = &["h1", "figure", "figcaption", "button", "select", "label"];

/// One element's text counts (characters other than white space).
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    /// All visible text beneath the element.
    chars: usize,
    /// The part of it inside links.
    link_chars: usize,
    /// The text of good paragraphs beneath (or of the element itself, if one).
    para_chars: usize,
    /// Whether a block element other than `br` is beneath the element.
    has_block: bool,
    /// The paragraph text of the element itself: all of it if it is a paragraph, else its loose
    /// inline text.
    own_para: usize,
    /// Where the last sentence-long paragraph beneath the element (or the element itself) is, in
    /// source order: a paragraph's own id, or loose text's last piece. Node ids are handed out in
    /// source order by the parser.
    last_para: Option<NodeId>,
    /// Where the first sentence-long paragraph beneath the element (or the element itself) is, in
    /// source order.
    first_para: Option<NodeId>,
    /// Whether a script or an inline frame is beneath the element (an ad slot's, or an embed's).
    embeds: bool,
    /// Links (`a`) beneath the element, up to [`u16::MAX`].
    links: u16,
    /// Whether an image (`img`) is beneath the element.
    image: bool,
    /// Whether a paragraph element (`p`) is beneath the element, of any length.
    p: bool,
    /// Whether the element is a heading that is all a link to another page: a teaser's
    /// headline.
    linked_heading: bool,
    /// Whether the element is a teaser card: a linked headline and at most a summary.
    card: bool,
    /// The element's own paragraph text, or, if it only wraps one element (no text of its own
    /// beside it), that element's: a paragraph nested in wrappers (`div > div > p`) still counts
    /// where its wrappers stand, for the densest cluster.
    wrapped_para: usize,
}

/// Text of an element's own inline content: its text children and inline elements.
#[derive(Debug, Clone, Copy, Default)]
struct Inline {
    chars: usize,
    link_chars: usize,
}

impl Stats {
    fn link_density(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f64 / self.chars as f64
        }
    }
}

/// Text counts of every counted element under a root.
type StatsMap = HashMap<NodeId, Stats, BuildHasherDefault<IdHasher>>;

/// A hasher for node ids, which are small distinct integers: one multiplication instead of
/// SipHash (the map is looked up several times per element; no input chooses the keys).
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The main content under `body`, or `None` when nothing stands out.
pub(super) fn main_text(body: ElementRef<'_>) -> Option<String> {
    let stats = count(body, Trust::TagsAndClasses);
    let text = extract(body, &stats);
    if text
        .as_ref()
        .is_some_and(|t| t.chars().count() >= MIN_MAIN_TEXT_CHARS)
    {
        return text;
    }
    let by_tags = count(body, Trust::Tags);
    extract(body, &by_tags).or(text)
}

fn extract(body: ElementRef<'_>, stats: &StatsMap) -> Option<String> {
    let container = container(body, stats)?;
    // Where the article's text starts and ends (its first and last sentence-long paragraphs, in
    // source order), once its parts are known; and whether a rule after it has ended the article.
    let last_para: Cell<Option<NodeId>> = Cell::new(None);
    let first_para: Cell<Option<NodeId>> = Cell::new(None);
    let ended = Cell::new(false);
    // Called in document order by the render walk, so `ended` holds from the rule on.
    let skip = |el: ElementRef<'_>| {
        let name = el.value().name();
        if ended.get() || is_boilerplate(el) {
            return true;
        }
        if stats.get(&el.id()).is_some_and(|s| s.card) {
            // A teaser card of another story: its linked headline and summary.
            return true;
        }
        if PRUNED_TAGS.contains(&name) {
            // The headline is an `h1` before the article's text; one after it heads a section.
            let section = name == "h1" && first_para.get().is_some_and(|first| el.id() > first);
            if !section {
                return true;
            }
        }
        let before_last = last_para.get().map(|last| el.id().cmp(&last));
        if name == "hr" && before_last == Some(Ordering::Greater) {
            // A rule after the last paragraph sets off what follows: "More stories", a note.
            ended.set(true);
        }
        if is_heading(name) && before_last == Some(Ordering::Greater) && heads_something(el) {
            // A heading after the article's last paragraph heads what follows it: comments,
            // more stories.
            return true;
        }
        if name == "a"
            && stats
                .get(&el.id())
                .is_some_and(|s| s.has_block || s.chars >= SENTENCE_CHARS)
            && stands_alone(el, stats)
        {
            // A teaser card of another story: a link with a block or a sentence in it, standing
            // among the article's blocks.
            return true;
        }
        if name == "span"
            && stats.get(&el.id()).is_some_and(|s| {
                s.links >= 3 && s.chars >= SENTENCE_CHARS && s.link_chars == s.chars
            })
            && !beside_text(el)
        {
            // A card of links that pops up over a name (`<a>Name</a><span>…its stories…</span>`).
            return true;
        }
        if !is_block(name) || matches!(name, "td" | "th" | "tr") {
            return false;
        }
        let Some(s) = stats.get(&el.id()) else {
            return false;
        };
        if s.embeds && s.chars < MIN_PARAGRAPH_CHARS && s.para_chars == 0 {
            // An ad slot: a script or frame, and a label ("Advertisement").
            return true;
        }
        if name == "p" && s.chars - s.link_chars < SENTENCE_CHARS && is_italic_link_list(el) {
            // A note in italics that lists where else to follow the publisher.
            return true;
        }
        if name == "div"
            && s.chars > 0
            && s.chars < SENTENCE_CHARS * 2
            && s.first_para.is_none()
            && s.image
            && !s.p
        {
            // A figure without the tag: an image and its caption, not a paragraph.
            return true;
        }
        // A list the article's text goes on after is part of it (links to what it is about), and
        // so is a table cell's content (a data table of linked names).
        let in_text = before_last == Some(Ordering::Less) && LIST_TAGS.contains(&name);
        let in_cell = el
            .parent()
            .and_then(ElementRef::wrap)
            .is_some_and(|p| matches!(p.value().name(), "td" | "th"));
        !in_text
            && !in_cell
            && s.link_density() > MAX_LINK_DENSITY
            // A paragraph or a quote with a sentence of its own stays, whatever its links (a
            // quoted post's handles), and so does one whose links sit inside its sentence
            // (`convicted and <a>sentenced</a>.`).
            && (!matches!(name, "p" | "blockquote")
                || (s.chars - s.link_chars < SENTENCE_CHARS && !links_in_running_text(el)))
    };
    let para = |el: ElementRef<'_>| stats.get(&el.id()).copied().unwrap_or_default();
    // Paragraphs beside the container belong to the article too (a lead paragraph before the
    // body's wrapper).
    let mut parts: Vec<ElementRef<'_>> = match container.parent().and_then(ElementRef::wrap) {
        Some(parent) if container.id() != body.id() => parent
            .child_elements()
            .filter(|sibling| {
                sibling.id() == container.id() || {
                    let s = para(*sibling);
                    !skip(*sibling) && s.para_chars > 0 && s.own_para == s.chars
                }
            })
            .collect(),
        _ => vec![container],
    };
    // So do the other parts of an article split into sibling blocks of one kind (a lede before an
    // ad or an image, then the rest), beside the outermost wrapper of the container's paragraphs.
    let mut outer = container;
    while let Some(parent) = outer.parent().and_then(ElementRef::wrap) {
        if outer.id() == body.id() || parent.id() == body.id() {
            break;
        }
        if para(parent).para_chars != para(outer).para_chars {
            break;
        }
        outer = parent;
    }
    if outer.id() != body.id()
        && let Some(parent) = outer.parent().and_then(ElementRef::wrap)
    {
        // A block of nothing but paragraphs on the other side of an ad slot or a figure from the
        // article is a part of it too, whatever its kind: a lede set apart before an ad or an
        // image, or the rest of the article after one. (Next to the article, with nothing
        // between, a block of another kind is a standfirst or a note, not a part.) `skip` is
        // asked here before the article's first and last paragraphs are known, so its rules that
        // depend on them (the headline, a rule or a heading after the article) do not apply yet.
        let prose = |el: ElementRef<'_>| {
            let s = para(el);
            s.para_chars >= SENTENCE_CHARS
                && s.para_chars * 3 >= s.chars * 2
                && s.link_density() <= MAX_LINK_DENSITY / 2.0
                && in_one_run(el, stats)
                && !skip(el)
        };
        // What may stand between two parts: an ad slot, a figure or an empty box; and whether it
        // sets them apart (an ad slot or a figure does, an empty box alone does not).
        let between = |el: ElementRef<'_>| {
            let (s, pruned) = (para(el), skip(el));
            (s.para_chars == 0 && (s.chars < MIN_PARAGRAPH_CHARS || pruned))
                .then_some(pruned || s.embeds || s.image)
        };
        let mut adjacent = Vec::new();
        for (side, after) in [
            (
                outer
                    .prev_siblings()
                    .filter_map(ElementRef::wrap)
                    .collect::<Vec<_>>(),
                false,
            ),
            (
                outer.next_siblings().filter_map(ElementRef::wrap).collect(),
                true,
            ),
        ] {
            let mut apart = false;
            for sibling in side {
                // After the article, a block that opens with a rule or a heading is a note or a
                // section of its own ("About the author", "We want to hear from you").
                let set_off = || opens_with(sibling, |n| n == "hr" || is_heading(n));
                if apart && prose(sibling) && !(after && set_off()) {
                    adjacent.push(sibling.id());
                } else if let Some(sets_apart) = between(sibling) {
                    apart |= sets_apart;
                } else {
                    break;
                }
            }
        }
        // Looked up for every sibling below: sorted, so a page of thousands of parts is not
        // quadratic.
        adjacent.sort_unstable();
        let joins = |sibling: &ElementRef<'_>| {
            let s = para(*sibling);
            sibling.id() != outer.id()
                && (adjacent.binary_search(&sibling.id()).is_ok()
                    || same_kind(*sibling, outer)
                        && s.para_chars >= MIN_PARAGRAPH_CHARS * 4
                        && s.link_density() <= MAX_LINK_DENSITY / 2.0
                        && in_one_run(*sibling, stats)
                        && !skip(*sibling))
        };
        let before: Vec<_> = parent
            .child_elements()
            .take_while(|c| c.id() != outer.id())
            .filter(joins)
            .collect();
        // After the container, a block that opens with a rule is a note set apart ("About us").
        let after: Vec<_> = parent
            .child_elements()
            .skip_while(|c| c.id() != outer.id())
            .filter(|c| joins(c) && !opens_with(*c, |name| name == "hr"))
            .collect();
        if outer.id() == container.id() {
            // The container's own siblings were listed above already.
            parts.retain(|p| {
                p.id() == container.id()
                    || !same_kind(*p, outer) && adjacent.binary_search(&p.id()).is_err()
            });
        }
        parts.extend(before);
        parts.extend(after);
        // In source order (node ids are handed out in it): a part before the wrapper goes before
        // the paragraphs beside the container, not after them.
        parts.sort_by_key(|p| p.id());
        parts.dedup_by_key(|p| p.id());
    }
    last_para.set(parts.iter().filter_map(|p| para(*p).last_para).max());
    first_para.set(parts.iter().filter_map(|p| para(*p).first_para).min());
    let text = parts
        .into_iter()
        .map(|part| render_with(part, &skip))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    (!text.is_empty()).then_some(text)
}

/// Whether most of an element's paragraph text sits in one run of sibling paragraphs, as an
/// article's does (a listing's teasers are one paragraph to a card).
fn in_one_run(el: ElementRef<'_>, stats: &StatsMap) -> bool {
    let own = |e: ElementRef<'_>| stats.get(&e.id()).map_or(0, |s| s.own_para);
    let total = stats.get(&el.id()).map_or(0, |s| s.para_chars);
    let best = std::iter::once(el)
        .chain(el.descendent_elements())
        .filter(|e| stats.contains_key(&e.id()))
        .map(|e| own(e) + e.child_elements().map(own).sum::<usize>())
        .max()
        .unwrap_or(0);
    best as f64 >= DESCEND_SHARE * total as f64
}

/// Whether a paragraph's links sit inside running text: its first and last pieces of text are
/// its own, not a link's (`convicted and <a>sentenced to life</a>.`, `<b>Tip:</b> <a>more
/// here</a>!`), unlike a "read more" line (`Read more: <a>…</a>`). Looks at the paragraph's
/// children only, and below them only for a link.
fn links_in_running_text(el: ElementRef<'_>) -> bool {
    let has_text = |n: &ego_tree::NodeRef<'_, Node>| match n.value() {
        Node::Text(t) => !t.trim().is_empty(),
        Node::Element(_) => {
            ElementRef::wrap(*n).is_some_and(|e| e.text().any(|t| !t.trim().is_empty()))
        }
        _ => false,
    };
    let mut pieces = el.children().filter(has_text);
    let Some(first) = pieces.next() else {
        return false;
    };
    let last = pieces.last().unwrap_or(first);
    is_own_text(first) && is_own_text(last)
}

/// Whether a piece of a paragraph is its own text: text, or an inline element without a link in
/// it.
fn is_own_text(n: ego_tree::NodeRef<'_, Node>) -> bool {
    match n.value() {
        Node::Text(_) => true,
        Node::Element(e) => {
            e.name() != "a"
                && !n
                    .descendants()
                    .any(|d| d.value().as_element().is_some_and(|e| e.name() == "a"))
        }
        _ => false,
    }
}

/// The most letters of a piece of text between two links of a list: a comma, `and`, `or`, `|`.
const LIST_JOINER_CHARS: usize = 3;

/// Whether a paragraph is a note set in italics whose links are a list of names (`<em>Follow us
/// on</em> <a>Facebook</a><em>, </em><a>Twitter</a><em> and </em><a>Instagram</a>`): three or
/// more links with nothing but joiners between them, and all its own text in `em` or `i`. In
/// roman type such a line is the article's own ("Be sure to visit us on A, B and C.").
/// Looks at the paragraph's children only, and below them for a link.
fn is_italic_link_list(el: ElementRef<'_>) -> bool {
    let letters = |n: ego_tree::NodeRef<'_, Node>| match n.value() {
        Node::Text(t) => t.chars().filter(|c| c.is_alphanumeric()).count(),
        _ => ElementRef::wrap(n).map_or(0, |e| {
            e.text()
                .flat_map(str::chars)
                .filter(|c| c.is_alphanumeric())
                .count()
        }),
    };
    let (mut links, mut gap) = (0, 0);
    for child in el.children() {
        match child.value() {
            Node::Text(t) if t.trim().is_empty() => {}
            Node::Text(_) => return false,
            Node::Element(e) if is_own_text(child) => {
                let n = letters(child);
                if n > 0 && !matches!(e.name(), "em" | "i") {
                    return false;
                }
                gap += n;
            }
            Node::Element(_) if letters(child) > 0 => {
                if links > 0 && gap > LIST_JOINER_CHARS {
                    return false;
                }
                links += 1;
                gap = 0;
            }
            _ => {}
        }
    }
    links >= 3
}

/// Whether an inline element stands alone among blocks: its parent holds blocks, and no text
/// beside it.
fn stands_alone(el: ElementRef<'_>, stats: &StatsMap) -> bool {
    let Some(parent) = el.parent().and_then(ElementRef::wrap) else {
        return false;
    };
    if !stats.get(&parent.id()).is_some_and(|s| s.has_block) {
        return false;
    }
    !beside_text(el)
}

/// Whether text other than white space is a sibling next to an element.
fn beside_text(el: ElementRef<'_>) -> bool {
    let is_text = |n: Option<ego_tree::NodeRef<'_, Node>>| {
        n.and_then(|n| n.value().as_text().map(|t| !t.trim().is_empty()))
            .unwrap_or(false)
    };
    is_text(el.prev_sibling()) || is_text(el.next_sibling())
}

/// Whether a tag is a heading below the headline's.
fn is_heading(name: &str) -> bool {
    matches!(name, "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Siblings a heading looks at for what it heads: a bound, so a run of empty headings costs
/// each of them this much, not the whole run (quadratic).
const HEADS_LOOKAHEAD: usize = 16;

/// Whether a heading heads something: the next sibling with visible text, among the next
/// [`HEADS_LOOKAHEAD`], is not a heading.
fn heads_something(el: ElementRef<'_>) -> bool {
    let mut next = el
        .next_siblings()
        .filter_map(ElementRef::wrap)
        .take(HEADS_LOOKAHEAD)
        .filter(|e| e.text().any(|t| !t.trim().is_empty()) && !is_hidden(*e));
    next.next().is_some_and(|e| !is_heading(e.value().name()))
}

/// Whether an element of a name `wanted` accepts comes before any text in an element.
fn opens_with(el: ElementRef<'_>, wanted: impl Fn(&str) -> bool) -> bool {
    for node in el.descendants().skip(1) {
        match node.value() {
            Node::Text(t) if !t.trim().is_empty() => return false,
            Node::Element(e) if wanted(e.name()) => return true,
            _ => {}
        }
    }
    false
}

/// Whether two elements are parts of one run: the same tag and the same classes (an article
/// split into sibling sections around an ad or an image).
fn same_kind(a: ElementRef<'_>, b: ElementRef<'_>) -> bool {
    a.value().name() == b.value().name()
        && a.value()
            .attr("class")
            .is_some_and(|c| !c.trim().is_empty())
        && a.value().attr("class") == b.value().attr("class")
}

/// The element holding the article: the smallest element holding nearly all the paragraph mass
/// (top-down), unless the densest cluster of paragraphs lies outside it (a listing's teasers
/// outweigh the article), then that cluster widened.
fn container<'a>(body: ElementRef<'a>, stats: &StatsMap) -> Option<ElementRef<'a>> {
    let top_down = top_down(body, stats)?;
    let Some(dense) = densest(body, stats) else {
        return Some(top_down);
    };
    let inside = dense.ancestors().any(|a| a.id() == top_down.id())
        || dense.id() == top_down.id()
        || top_down.ancestors().any(|a| a.id() == dense.id());
    Some(if inside { top_down } else { dense })
}

/// The smallest element holding nearly all the paragraph mass, from `body` down.
fn top_down<'a>(body: ElementRef<'a>, stats: &StatsMap) -> Option<ElementRef<'a>> {
    let mass = |el: ElementRef<'_>| stats.get(&el.id()).map_or(0, |s| s.para_chars);
    if mass(body) == 0 {
        return None;
    }
    let mut current = body;
    loop {
        let total = mass(current) as f64;
        let Some(best) = current.child_elements().max_by_key(|c| mass(*c)) else {
            break;
        };
        if (mass(best) as f64) < DESCEND_SHARE * total || is_paragraph(best, stats) {
            break;
        }
        current = best;
    }
    Some(current)
}

/// The densest cluster of paragraphs, widened to the smallest
/// ancestor of which it holds at least [`DESCEND_SHARE`] of the paragraph mass.
///
/// A cluster's score is the paragraph text of an element's children plus half that of its
/// grandchildren (as in Readability), times one less its link density: scattered teaser
/// paragraphs of a listing do not add up, an article's run of sibling paragraphs does. A child
/// that only wraps one element counts as what it wraps (`Stats::wrapped_para`), however deep.
fn densest<'a>(body: ElementRef<'a>, stats: &StatsMap) -> Option<ElementRef<'a>> {
    let get = |el: ElementRef<'_>| stats.get(&el.id()).copied().unwrap_or_default();
    let mut best: Option<(ElementRef<'a>, f64)> = None;
    for el in body.descendent_elements() {
        let Some(s) = stats.get(&el.id()) else {
            continue;
        };
        if s.para_chars == 0 || s.own_para == s.chars {
            continue;
        }
        let mut local = s.own_para as f64;
        for child in el.child_elements() {
            local += get(child).wrapped_para as f64;
            for grandchild in child.child_elements() {
                local += get(grandchild).wrapped_para as f64 / 2.0;
            }
        }
        let score = local * (1.0 - s.link_density());
        if best.is_none_or(|(_, b)| score > b) {
            best = Some((el, score));
        }
    }
    let (mut current, _) = best.filter(|(_, score)| *score > 0.0)?;
    while current.id() != body.id() {
        let Some(parent) = current.parent().and_then(ElementRef::wrap) else {
            break;
        };
        if (get(current).para_chars as f64) < DESCEND_SHARE * get(parent).para_chars as f64 {
            break;
        }
        current = parent;
    }
    Some(current)
}

/// Counts text bottom-up under `root`, leaving out hidden elements and boilerplate by `trust`.
fn count(root: ElementRef<'_>, trust: Trust) -> StatsMap {
    let mut map = StatsMap::default();
    // Iterative post-order: deep documents must not overflow the stack.
    let mut stack = vec![(root, false)];
    while let Some((el, children_done)) = stack.pop() {
        if !children_done {
            stack.push((el, true));
            for child in el.child_elements() {
                if !is_hidden(child) && !is_boilerplate_container(child, trust) {
                    stack.push((child, false));
                }
            }
            continue;
        }
        let mut s = Stats::default();
        let mut inline = Inline::default();
        // The counted child elements (one, for a wrapper), the last one's wrapped paragraph text,
        // and text of its own.
        let (mut elements, mut last_wrapped, mut own_text) = (0usize, 0usize, 0usize);
        // The last piece of the element's own inline text, where its loose text ends.
        let mut last_inline = None;
        let mut first_inline = None;
        for child in el.children() {
            match child.value() {
                Node::Text(text) => {
                    let n = text.chars().filter(|c| !c.is_whitespace()).count();
                    own_text += n;
                    s.chars += n;
                    inline.chars += n;
                    if n > 0 {
                        last_inline = Some(child.id());
                        first_inline = first_inline.or(last_inline);
                    }
                }
                Node::Element(e) => {
                    s.embeds |= matches!(e.name(), "script" | "iframe");
                    if let Some(c) = map.get(&child.id()) {
                        elements += 1;
                        last_wrapped = c.wrapped_para;
                        s.embeds |= c.embeds;
                        s.links = s
                            .links
                            .saturating_add(c.links)
                            .saturating_add(u16::from(e.name() == "a"));
                        s.image |= c.image || e.name() == "img";
                        s.p |= c.p || e.name() == "p";
                        s.chars += c.chars;
                        s.link_chars += c.link_chars;
                        s.para_chars += c.para_chars;
                        s.last_para = s.last_para.max(c.last_para);
                        s.first_para = earliest(s.first_para, c.first_para);
                        let block = e.name() != "br" && is_block(e.name());
                        s.has_block |= c.has_block || block;
                        if !block && !c.has_block {
                            inline.chars += c.chars;
                            inline.link_chars += c.link_chars;
                            if c.chars > 0 {
                                last_inline = Some(child.id());
                                first_inline = first_inline.or(last_inline);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        if el.value().name() == "a" {
            s.link_chars = s.chars;
        }
        // Loose text beside blocks (`text<br>text<div class=ad>…</div>text`) reads as paragraphs.
        if s.has_block
            && inline.chars >= MIN_PARAGRAPH_CHARS
            && inline.link_chars as f64 <= MAX_LINK_DENSITY * inline.chars as f64
        {
            s.para_chars += inline.chars;
            s.own_para = inline.chars;
        }
        let paragraph = match el.value().name() {
            "p" | "pre" => true,
            "div" | "section" | "td" | "blockquote" => !s.has_block,
            _ => false,
        };
        if paragraph && s.chars >= MIN_PARAGRAPH_CHARS && s.link_density() <= MAX_LINK_DENSITY {
            s.para_chars = s.chars;
            s.own_para = s.chars;
        }
        // A list item of prose (a sentence, no links) is the article's text going on, as a
        // paragraph is: paragraph mass, and a place for the lists before it. (A listing's items
        // are not: each has a link to its story.)
        let name = el.value().name();
        if !s.has_block
            && s.link_chars == 0
            && s.chars >= SENTENCE_CHARS
            && matches!(name, "li" | "dd")
        {
            s.para_chars = s.chars;
            s.own_para = s.chars;
            s.last_para = s.last_para.max(Some(el.id()));
        }
        // A list of such items reads as one paragraph of the run it stands in (`p`, `ul`, `p`):
        // its items' text is its own, so the run is not cut in two where the list is.
        if matches!(name, "ul" | "ol" | "dl") && s.own_para == 0 {
            s.own_para = el
                .child_elements()
                .filter_map(|item| map.get(&item.id()))
                .map(|item| item.own_para)
                .sum();
        }
        s.linked_heading = (name == "h1" || is_heading(name))
            && s.chars > 0
            && s.link_chars == s.chars
            && el.child_elements().any(|a| {
                a.value().name() == "a"
                    && a.value()
                        .attr("href")
                        .is_some_and(|h| !h.trim_start().starts_with('#'))
            });
        if s.para_chars <= TEASER_CHARS
            && s.first_para == s.last_para
            && el
                .child_elements()
                .any(|c| map.get(&c.id()).is_some_and(|c| c.linked_heading))
        {
            // A teaser card: a linked headline and a summary (one sentence-long paragraph at
            // most). A listing of them is not an article's text, however much of it there is.
            s.para_chars = 0;
            s.own_para = 0;
            s.first_para = None;
            s.last_para = None;
            s.card = true;
        }
        if s.own_para >= SENTENCE_CHARS {
            // A paragraph starts where the element does; loose text ends at its last piece.
            let at = if s.has_block {
                last_inline
            } else {
                Some(el.id())
            };
            s.last_para = s.last_para.max(at);
            s.first_para = if s.has_block {
                earliest(s.first_para, first_inline)
            } else {
                Some(el.id())
            };
        }
        s.wrapped_para = if s.own_para == 0 && own_text == 0 && elements == 1 {
            last_wrapped
        } else {
            s.own_para
        };
        map.insert(el.id(), s);
    }
    map
}

/// The earlier of two places in source order, either of which may be unknown.
fn earliest(a: Option<NodeId>, b: Option<NodeId>) -> Option<NodeId> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        _ => a.or(b),
    }
}

/// Whether an element reads as a paragraph: `p`, `pre`, or a container with only inline content
/// (line breaks allowed: `text<br><br>text` is how some sites write paragraphs).
fn is_paragraph(el: ElementRef<'_>, stats: &StatsMap) -> bool {
    match el.value().name() {
        "p" | "pre" => true,
        "div" | "section" | "td" | "blockquote" => {
            stats.get(&el.id()).is_some_and(|s| !s.has_block)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn first<'a>(doc: &'a Html, css: &str) -> ElementRef<'a> {
        let selector = Selector::parse(css).expect("test selector");
        doc.select(&selector).next().expect("test element")
    }

    #[test]
    fn layout_class_around_the_article_does_not_hide_it() {
        let html = format!(
            r#"<body><div class="layout has-sidebar"><div class="text">
               <p>{PARA} One.</p><p>{PARA} Two.</p><p>{PARA} Three.</p></div>
               <div class="widget"><a href="/x">Some link</a></div></div></body>"#
        );
        let doc = Html::parse_document(&html);
        let text = main_text(first(&doc, "body")).expect("main content");
        assert!(text.contains("One.") && text.contains("Three."), "{text}");
        assert!(!text.contains("Some link"), "{text}");
    }

    #[test]
    fn br_separated_text_is_a_paragraph() {
        let doc = Html::parse_document("<div id=x>line one is long<br><br>line two</div>");
        let stats = count(first(&doc, "body"), Trust::Tags);
        assert!(is_paragraph(first(&doc, "#x"), &stats));
        let doc = Html::parse_document("<div id=x>text<p>para</p></div>");
        let stats = count(first(&doc, "body"), Trust::Tags);
        assert!(!is_paragraph(first(&doc, "#x"), &stats));
    }

    /// A paragraph long enough to be scored as the article's.
    const PARA: &str =
        "A paragraph of the article, long enough to be scored as one, with commas, too.";

    /// The main content of `html` holds every `kept` text and none of the `dropped` ones.
    fn assert_main(html: &str, kept: &[&str], dropped: &[&str]) {
        let text = main_of(html);
        for kept in kept {
            assert!(text.contains(kept), "{kept:?} not in {text}");
        }
        for dropped in dropped {
            assert!(!text.contains(dropped), "{dropped:?} in {text}");
        }
    }

    fn main_of(html: &str) -> String {
        let doc = Html::parse_document(html);
        main_text(first(&doc, "body")).expect("main content")
    }

    #[test]
    fn a_listing_of_teasers_does_not_outweigh_the_article() {
        let para =
            "The article's own paragraph, which goes on for a while, with commas, to be read.";
        let teaser = |i: usize| {
            format!(
                r#"<div class="card"><h3><a href="/s{i}">Story {i}</a></h3>
                   <div class="summary"><p>Teaser number {i} of another story, long enough to
                   count as a paragraph.</p></div></div>"#
            )
        };
        let teasers: String = (0..12).map(teaser).collect();
        let html = format!(
            r#"<body><div class="row"><div class="col"><div class="story">
               <p>{para} One.</p><p>{para} Two.</p><p>{para} Three.</p></div></div></div>
               <div class="row"><div class="col">{teasers}</div></div></body>"#
        );
        let text = main_of(&html);
        assert!(
            text.starts_with("The article's own") && text.contains("Three."),
            "{text}"
        );
        assert!(!text.contains("Teaser"), "{text}");
    }

    #[test]
    fn link_lists_go_but_a_sentence_with_links_stays() {
        let html = format!(
            r#"<body><div class="text"><p>{PARA} One.</p>
               <p>Governor <a href="/p">Ada Quill</a> <span><a href="/a">One related link</a>
               <a href="/b">Another related link</a> <a href="/c">And a third one</a></span>
               defended the campaign on Monday, saying it was working.</p>
               <p>{PARA} Two.</p>
               <p>Read more: <a href="/x">An entirely different story from last week</a></p>
               <ul><li><a href="/1">Related story one</a></li><li><a href="/2">Related two</a></li></ul>
               </div></body>"#
        );
        let text = main_of(&html);
        assert!(text.contains("defended the campaign on Monday"), "{text}");
        for gone in ["Read more", "Related story one", "Related two"] {
            assert!(!text.contains(gone), "{gone:?} in {text}");
        }
    }

    #[test]
    fn a_lead_paragraph_beside_the_body_joins_it() {
        let para = "A paragraph of the body, long enough to be scored as one, with commas, too.";
        let html = format!(
            r#"<body><div class="post">
               <div>The lead paragraph sits apart from the body's wrapper, as blogs do.<br></div>
               <div class="reader"><p>{para} One.</p><p>{para} Two.</p><p>{para} Three.</p></div>
               </div><div class="rail"><p>A rail paragraph that is not part of the story.</p></div>
               </body>"#
        );
        let text = main_of(&html);
        assert!(text.starts_with("The lead paragraph sits apart"), "{text}");
        assert!(text.ends_with("Three."), "{text}");
        assert!(!text.contains("rail paragraph"), "{text}");
    }

    #[test]
    fn loose_text_beside_blocks_counts_as_paragraphs() {
        let line = "Loose text of a blog post, written with line breaks rather than paragraphs.";
        let html = format!(
            r#"<body><div class="menu-links"><p>A short paragraph in some other box.</p></div>
               <div class="post-body">{line} One.<br><br>{line} Two.
               <div class="separator"><img src="x.jpg"></div>{line} Three.</div></body>"#
        );
        let text = main_of(&html);
        assert!(text.contains("One.") && text.contains("Three."), "{text}");
        assert!(!text.contains("other box"), "{text}");
    }

    #[test]
    fn an_article_split_around_an_ad_keeps_its_lede() {
        // Regression: only the larger block was kept, so the first paragraph was lost.
        let html = format!(
            r#"<body><article><div class="wrap">
               <section class="part"><div><p>The lede of the story comes first, and it says what
               happened, where and when. {PARA}</p></div></section>
               <div class="slot"><img src="ad.png"></div>
               <section class="part"><div><p>{PARA} One.</p><p>{PARA} Two.</p><p>{PARA} Three.</p>
               <p>{PARA} Four.</p><p>{PARA} Five.</p></div></section>
               <section class="part"><div><p>The closing paragraph of the story, with what comes next.
               {PARA}</p></div></section>
               </div></article><div class="rail"><p>{PARA} Rail.</p></div></body>"#
        );
        let text = main_of(&html);
        assert!(text.starts_with("The lede of the story"), "{text}");
        assert!(
            text.contains("Five.") && text.contains("closing paragraph"),
            "{text}"
        );
        assert!(!text.contains("Rail."), "{text}");
    }

    #[test]
    fn a_list_of_prose_in_the_article_is_its_text_and_keeps_its_run() {
        // Regression: the items of a list of sentences (no links) were not paragraph mass, so
        // the article's block held too little of its wrapper's text to be descended into, and
        // the wrapper's other boxes came with it.
        let item = "A point the article makes in a sentence of its own, with a clause or two more.";
        let html = format!(
            r#"<body><div class="page">
               <div class="story"><p>{PARA} One.</p><p>{PARA} Two.</p>
               <ul><li>{item} A.</li><li>{item} B.</li><li>{item} C.</li><li>{item} D.</li>
               <li>{item} E.</li></ul><p>{PARA} Three.</p></div>
               <div class="box"><p>{PARA} Box one.</p><p>{PARA} Box two.</p></div>
               </div></body>"#
        );
        assert_main(&html, &["One.", "C.", "E.", "Three."], &["Box one."]);
        // The list is a paragraph of the run it stands in: the rest of the article after an ad,
        // half of it a list, is one run of paragraphs, and joins.
        let html = format!(
            r#"<body><div class="story">
               <div class="body"><p>{PARA} One.</p><p>{PARA} Two.</p><p>{PARA} Three.</p>
               <p>{PARA} Four.</p><p>{PARA} Five.</p><p>{PARA} Six.</p></div>
               <div class="ad-slot"><script>ad()</script></div>
               <div class="rest"><p>{PARA} Seven.</p><ol><li>{item} A.</li><li>{item} B.</li></ol>
               <p>{PARA} Eight.</p></div>
               </div></body>"#
        );
        assert_main(&html, &["One.", "Seven.", "B.", "Eight."], &[]);
        // A listing's items link to their stories: they are not the article's text.
        let html = format!(
            r#"<body><div class="page">
               <div class="story"><p>{PARA} One.</p><p>{PARA} Two.</p><p>{PARA} Three.</p></div>
               <ul class="more">{}</ul></div></body>"#,
            (1..=8)
                .map(|i| format!(r#"<li><a href="/s/{i}">{item} {i}</a></li>"#))
                .collect::<String>()
        );
        assert_main(&html, &["One.", "Three."], &[item]);
    }

    #[test]
    fn paragraphs_nested_deep_in_wrappers_are_still_a_run() {
        // Regression: with each paragraph a few `div`s deep, as page builders nest them, the
        // article's block had no paragraph among its children or grandchildren, and the densest
        // cluster was a box of two teasers elsewhere: the whole article was lost.
        let deep = |i: usize| {
            format!("<div><div><div><div><p>{PARA} Paragraph {i}.</p></div></div></div></div>")
        };
        let html = format!(
            r#"<body><div class="page"><div class="story">{}</div>
               <div class="aside-box"><p>{PARA} Box one.</p><p>{PARA} Box two.</p>
               <a href="/more">Read more</a></div></div></body>"#,
            (1..=3).map(deep).collect::<String>()
        );
        assert_main(
            &html,
            &["Paragraph 1.", "Paragraph 3."],
            &["Box one.", "Read more"],
        );
    }

    #[test]
    fn a_quoted_passage_of_text_is_a_paragraph_of_the_article() {
        // A `blockquote` of text (no `p` in it) is the article's prose: the second half of an
        // article, after an ad, quoting at length is still mostly paragraphs, and joins.
        let quote = "That is less my thing, but I think if you are trying to help convince people \
                     that they want to join you, it is a valuable tactic to explain the pain.";
        let html = format!(
            r#"<body><div class="story">
               <div class="body"><p>{PARA} One.</p><p>{PARA} Two.</p><p>{PARA} Three.</p>
               <p>{PARA} Four.</p><p>{PARA} Five.</p></div>
               <div class="ad-slot"><script>ad()</script></div>
               <div class="rest"><p>{PARA} Six.</p><blockquote>{quote} First.</blockquote>
               <p>{PARA} Seven.</p><blockquote>{quote} Second.</blockquote></div>
               </div></body>"#
        );
        assert_main(&html, &["One.", "Six.", "First.", "Seven.", "Second."], &[]);
    }

    #[test]
    fn parts_of_another_kind_across_an_ad_or_a_figure_join_in_source_order() {
        // The lede in a block of its own before an ad slot, the article's second half in another
        // after a figure: both are the article's, and come in the page's order, after a
        // paragraph beside the article's wrapper that comes first.
        let html = format!(
            r#"<body><div class="story">
               <p>The dateline paragraph comes first on this page, beside the wrapper.</p>
               <h2>A heading between the first paragraph and the lede</h2>
               <div class="intro"><p>The lede says what happened, where and when. {PARA}</p></div>
               <div class="ad-slot"><iframe src="ad.html"></iframe></div>
               <div class="body"><p>{PARA} One.</p><p>{PARA} Two.</p><p>{PARA} Three.</p>
               <p>{PARA} Four.</p><p>{PARA} Five.</p><p>{PARA} Six.</p><p>{PARA} Seven.</p>
               <p>{PARA} Eight.</p></div>
               <figure><img src="a.jpg"></figure>
               <section><p>{PARA} Nine.</p><p>{PARA} Ten.</p></section>
               </div><div class="rail"><p>{PARA} Rail.</p></div></body>"#
        );
        let text = main_of(&html);
        let at = |s: &str| {
            text.find(s)
                .unwrap_or_else(|| panic!("{s:?} not in {text}"))
        };
        assert!(at("The dateline") < at("The lede says"), "{text}");
        assert!(at("The lede says") < at("One."), "{text}");
        assert!(text.trim_end().ends_with("Ten."), "{text}");
        assert!(!text.contains("Rail."), "{text}");
    }

    #[test]
    fn a_block_beside_the_article_with_nothing_between_or_a_listing_does_not_join() {
        // Next to the article with nothing between, a block of another kind is a standfirst;
        // across an ad, teaser cards (a paragraph to a card) are a listing, not the article.
        let card = |i: usize| {
            format!(
                r#"<div class="card"><p>Teaser {i} of another story, long enough to read as a paragraph of prose.</p></div>"#
            )
        };
        let html = format!(
            r#"<body><div class="story">
               <div class="standfirst"><p>A summary set above the story, long enough to be a
               paragraph of its own, with a clause or two.</p></div>
               <div class="body"><p>{PARA} One.</p><p>{PARA} Two.</p><p>{PARA} Three.</p>
               <p>{PARA} Four.</p><p>{PARA} Five.</p><p>{PARA} Six.</p><p>{PARA} Seven.</p>
               <p>{PARA} Eight.</p></div>
               <div class="ad-slot"><script>show()</script></div>
               <div class="more">{}{}{}</div>
               </div></body>"#,
            card(1),
            card(2),
            card(3)
        );
        assert_main(
            &html,
            &["One.", "Eight."],
            &["A summary set above", "Teaser 1"],
        );
        // After the article and an ad, a block that opens with a heading is a section of its own.
        let html = format!(
            r#"<body><div class="story">
               <div class="body"><p>{PARA} One.</p><p>{PARA} Two.</p><p>{PARA} Three.</p>
               <p>{PARA} Four.</p><p>{PARA} Five.</p><p>{PARA} Six.</p></div>
               <div class="ad-slot"><script>show()</script></div>
               <div class="feedback"><h3>We want to hear from you</h3><p>Enjoyed reading this
               story? Tell us what you think of it in the forum, where the authors read along.</p>
               </div></div></body>"#
        );
        assert_main(&html, &["One.", "Six."], &["Enjoyed reading"]);
    }

    #[test]
    fn a_grid_of_teaser_cards_does_not_outweigh_a_short_article() {
        // Thirty linked headlines, each with a summary: more paragraph text than the article's,
        // but a listing, not the article.
        let cards: String = (1..=30)
            .map(|i| {
                format!(
                    r#"<div class="card"><h3><a href="/stories/{i}">Headline {i}</a></h3><p>The
                       summary of story {i}, long enough to read as a paragraph of its own, with
                       a clause or two.</p></div>"#
                )
            })
            .collect();
        let html = format!(
            r#"<body><div class="story"><p>{PARA} One.</p><p>{PARA} Two.</p></div>
               <div class="grid">{cards}</div></body>"#
        );
        assert_main(
            &html,
            &["One.", "Two."],
            &["Headline", "The summary of story"],
        );
        // An article with a heading that links elsewhere is more than a summary: not a card.
        let html = format!(
            r##"<body><div class="docs"><h2><a href="#usage">Usage</a></h2><p>{PARA} One.</p>
               <h2><a href="/topics/setup">Setup</a></h2><p>{PARA} Two.</p><p>{PARA} Three.</p>
               <p>{PARA} Four.</p><p>{PARA} Five.</p><p>{PARA} Six.</p></div></body>"##
        );
        assert_main(&html, &["One.", "Six."], &[]);
        // Nor is a short one of two paragraphs under such a heading: a card has one summary.
        let html = format!(
            r#"<body><div class="brief"><h2><a href="/topics/port">The port</a></h2>
               <p>{PARA} One.</p><p>{PARA} Two.</p></div></body>"#
        );
        assert_main(&html, &["One.", "Two."], &[]);
    }

    #[test]
    fn a_note_after_a_rule_does_not_join_the_article() {
        let html = format!(
            r#"<body><div class="page"><div class="text"><p>{PARA} One.</p><p>{PARA} Two.</p>
               <p>{PARA} Three.</p></div>
               <div class="text"><hr><p>About the company: a provider of services, founded long ago,
               with offices in many countries and thousands of people at work in them.</p></div>
               </div></body>"#
        );
        let text = main_of(&html);
        assert!(text.contains("Three."), "{text}");
        assert!(!text.contains("About the company"), "{text}");
    }

    #[test]
    fn quoted_posts_and_links_in_sentences_stay() {
        let html = format!(
            r#"<body><div class="story"><p>{PARA} One.</p>
               <p>The plan changes course on <a class="meta-loc" href="/t">Sudan</a> and its trade.</p>
               <div class="social-media-embed"><blockquote class="post"><p>The quoted post says
               something the article is about, at some length.</p></blockquote><script></script></div>
               <div class="item no_caption"><h2>A heading the article keeps.</h2></div>
               <p>{PARA} Two.</p><div class="share"><a href="/s">Share this story</a></div></div></body>"#
        );
        assert_main(
            &html,
            &[
                "on Sudan and its trade",
                "The quoted post says",
                "A heading the article keeps.",
            ],
            &["Share this story"],
        );
    }

    #[test]
    fn a_link_list_the_article_goes_on_after_stays() {
        // Regression: each list of shop links between a deal's paragraphs was pruned as a link list.
        let html = format!(
            r#"<body><div class="text"><p>{PARA} One.</p>
               <ul><li><a href="/a">Get it at one shop</a></li><li><a href="/b">Also at another</a></li></ul>
               <p>{PARA} Two.</p>
               <ul><li><a href="/r1">A related story at the end</a></li><li><a href="/r2">Another</a></li></ul>
               </div></body>"#
        );
        let text = main_of(&html);
        assert!(
            text.contains("Get it at one shop\nAlso at another"),
            "{text}"
        );
        assert!(!text.contains("related story"), "{text}");
    }

    #[test]
    fn a_rule_after_the_last_paragraph_ends_the_article() {
        let html = format!(
            r#"<body><div class="text"><p>{PARA} One.</p><hr><p>{PARA} Two.</p><hr>
               <div class="heading">More great stories</div>
               <ul><li>A story, <a href="/s">with a link</a></li></ul></div></body>"#
        );
        let text = main_of(&html);
        assert!(text.ends_with("Two."), "{text}");
    }

    #[test]
    fn an_ad_slots_label_goes_and_a_formula_stays() {
        let html = format!(
            r#"<body><div class="text"><p>{PARA} One.</p>
               <div><span>Advertisement</span><script>ad()</script></div>
               <span class="MathJax CtxtMenu_Attached_0"><math><mi>E</mi><mo>=</mo><mi>mc2</mi></math></span>
               <p>{PARA} Two.</p></div></body>"#
        );
        let text = main_of(&html);
        assert!(!text.contains("Advertisement"), "{text}");
        assert!(text.contains("E = mc2") || text.contains("E=mc2"), "{text}");
    }

    #[test]
    fn an_h1_after_the_articles_text_heads_a_section() {
        let html = format!(
            r#"<body><div class="text"><h1>The headline</h1><p>{PARA} One.</p>
               <section><h1>A section of the chapter</h1><p>{PARA} Two.</p></section></div></body>"#
        );
        let text = main_of(&html);
        assert!(!text.contains("The headline"), "{text}");
        assert!(text.contains("A section of the chapter"), "{text}");
    }

    #[test]
    fn a_sentence_around_its_link_stays() {
        // Regression: a sentence mostly in its link was pruned as a "read more" line.
        let html = format!(
            r#"<body><div class="text"><p>{PARA} One.</p>
               <p>The suspect was convicted and <a href="/s">sentenced to life in federal prison
               last Thursday</a>.</p>
               <p><strong>Tip:</strong> <a href="/t">Get more of the morning's meal ideas here</a>!</p>
               <p>{PARA} Two.</p>
               <p>Read more: <a href="/x">An entirely different story from last week</a></p>
               </div></body>"#
        );
        assert_main(
            &html,
            &["sentenced to life", "meal ideas here!"],
            &["Read more"],
        );
    }

    #[test]
    fn a_heading_after_the_last_paragraph_goes() {
        let html = format!(
            r#"<body><div class="text"><p>{PARA} One.</p><h2>A section of the story</h2>
               <p>{PARA} Two.</p><h3>Tell us what you think</h3><p>12 replies</p>
               <div class="thread"><a href="/u">Someone</a></div></div></body>"#
        );
        assert_main(
            &html,
            &["A section of the story"],
            &["Tell us what you think"],
        );
    }

    #[test]
    fn a_long_link_standing_alone_among_blocks_goes() {
        let html = format!(
            r#"<body><div class="text"><p>{PARA} One.</p>
               <a href="/s"><span>Also on the site</span> <span>Another story's headline, long
               enough to read as a teaser of its own</span></a>
               <p>{PARA} Two, <a href="/t">with a link inside the sentence that runs on</a>.</p>
               <a href="/h"><h5>A card's title</h5></a>
               <a href="/m">Learn more</a><p>{PARA} Three.</p></div></body>"#
        );
        assert_main(
            &html,
            &["with a link inside the sentence", "Learn more", "Three."],
            &["Also on the site", "A card's title"],
        );
    }

    #[test]
    fn a_card_of_links_over_a_name_goes() {
        let html = format!(
            r#"<body><div class="text"><p>{PARA} One.</p>
               <p>Governor <span class="people"><a href="/p">Ada Quill</a><span class="card"><img
               src="p.jpg"><a href="/p">Ada Mae Quill</a><a href="/1">One of her stories, with a
               headline</a> <a href="/2">Another story of hers</a> <a href="/p">MORE</a></span></span>
               defended the campaign on Monday, saying it was working.</p>
               <p>{PARA} Two.</p></div></body>"#
        );
        assert_main(
            &html,
            &["Governor Ada Quill defended the campaign"],
            &["One of her stories"],
        );
    }

    #[test]
    fn a_box_of_an_image_and_a_label_goes_as_a_figure() {
        let html = format!(
            r#"<body><div class="text"><p>{PARA} One.</p>
               <div class="center"><div><img src="k.jpg"></div><br>
               <span class="small">Inverted keys on the new keyboard</span></div>
               <div class="step"><span>Step 2</span><img src="s.jpg"><p>Insert the plant.</p></div>
               <p>{PARA} Two.</p></div></body>"#
        );
        assert_main(&html, &["Step 2", "Insert the plant."], &["Inverted keys"]);
    }

    #[test]
    fn a_no_script_fallback_a_print_header_and_a_date_stamp_go() {
        let html = format!(
            r#"<body><div class="text"><div class="print-header"><img src="logo.png">
               <span>https://example.com/news/article/the-story-of-the-day-12345.php</span></div>
               <span class="data" itemprop="datePublished">Friday, 22
               October 2010</span><p>{PARA} One.</p>
               <p class="slideshow-noscript robots-nocontent">This slideshow requires JavaScript.</p>
               <p>{PARA} Two.</p></div></body>"#
        );
        assert_main(
            &html,
            &["Two."],
            &["example.com", "22 October", "requires JavaScript"],
        );
    }

    #[test]
    fn a_quoted_post_with_a_sentence_among_its_links_stays() {
        let html = format!(
            r#"<body><div class="text"><p>{PARA} One.</p>
               <blockquote><p><a href="/a">@SomeoneLong</a> <a href="/b">.@AnotherOne</a>
               <a href="/c">@ThirdPerson</a> <a href="/d">@FourthPerson</a> Wow, you guys are veering
               right into crazy conspiracy theory territory. <a href="/h">#SomeLongHashtag</a></p>
               </blockquote><p>{PARA} Two.</p></div></body>"#
        );
        assert_main(&html, &["veering right into crazy conspiracy theory"], &[]);
    }

    #[test]
    fn an_italic_note_listing_where_to_follow_goes() {
        let html = format!(
            r#"<body><div class="text"><p>{PARA} One.</p><p>{PARA} Two.</p>
               <p>Be sure to visit the shop on <a href="/f">Facebook</a>, <a href="/t">Twitter</a>,
               and <a href="/i">Instagram</a>.</p>
               <p><em>Follow the section on </em><a href="/f"><em>Facebook</em></a><em>, </em>
               <a href="/t"><em>Twitter (@section)</em></a><em> and </em>
               <a href="/i"><em>Instagram</em></a><em>.</em></p></div></body>"#
        );
        assert_main(
            &html,
            &["Be sure to visit the shop"],
            &["Follow the section"],
        );
    }

    #[test]
    fn a_link_list_before_a_list_item_of_prose_stays() {
        // Regression: a changelog's linked items were pruned when the text after them was in
        // list items, not paragraphs.
        let html = format!(
            r#"<body><div class="text"><p>{PARA} One.</p><p>{PARA} Two.</p>
               <h4>Performance</h4>
               <ul><li>Gijs <a href="/1">made the toolbar load later in the window</a></li>
               <li><a href="/2">Bug 2 - a fix of the flicker</a></li></ul>
               <h4>Picture-in-Picture</h4>
               <ul><li>We have the green light for another round of students next semester.</li></ul>
               <ul><li><a href="/r1">A related story at the end</a></li><li><a href="/r2">Another</a></li></ul>
               </div></body>"#
        );
        assert_main(
            &html,
            &["made the toolbar load", "Bug 2", "the green light"],
            &["related story"],
        );
    }
}
