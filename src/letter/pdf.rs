//! A letter set on A4 pages with DejaVu Sans: letterhead, page numbers, text that reads back.

use super::blocks::{blocks, Block};
use ab_glyph::{Font as _, FontRef};
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use krilla::Document;

/// The bundled font: free, and it has every Danish letter (æ, ø, å and their capitals).
const FONT: &[u8] = include_bytes!("../../data/fonts/DejaVuSans.ttf");

/// A4 in PostScript points.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 64.0;
const RIGHT: f32 = 56.0;
const TOP: f32 = 56.0;
/// The last baseline of body text; the page number sits below it.
const BOTTOM: f32 = PAGE_H - 72.0;
const BODY: f32 = 10.0;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the bundled font cannot be read")]
    Font,
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// One line of text placed on a page.
struct Placed {
    x: f32,
    y: f32,
    size: f32,
    text: String,
}

/// Lays out lines top to bottom and starts a new page when one is full.
struct Layout<'f> {
    metrics: FontRef<'f>,
    pages: Vec<Vec<Placed>>,
    y: f32,
}

impl Layout<'_> {
    /// The advance of `text` at `size` points per em, as the PDF sets it. (ab_glyph's
    /// `as_scaled` takes the ascent-to-descent height, not the em: lines measured that way
    /// were 16 % too long and ran off the page.)
    fn width(&self, text: &str, size: f32) -> f32 {
        let per_unit = size / self.metrics.units_per_em().unwrap_or(2048.0);
        text.chars()
            .map(|c| self.metrics.h_advance_unscaled(self.metrics.glyph_id(c)))
            .sum::<f32>()
            * per_unit
    }

    /// Greedy word wrap; a word wider than the line is cut by characters.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut cur = String::new();
        for word in text.split_whitespace() {
            let candidate = if cur.is_empty() {
                word.to_string()
            } else {
                format!("{cur} {word}")
            };
            if self.width(&candidate, size) <= width {
                cur = candidate;
                continue;
            }
            if !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
            }
            let mut piece = String::new();
            for ch in word.chars() {
                piece.push(ch);
                if self.width(&piece, size) > width && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(ch);
                }
            }
            cur = piece;
        }
        if !cur.is_empty() || lines.is_empty() {
            lines.push(cur);
        }
        lines
    }

    fn space(&mut self, points: f32) {
        if self.y > TOP {
            self.y += points;
        }
    }

    /// Keeps `points` of height together on one page (a heading with its first line).
    fn keep(&mut self, points: f32) {
        if self.y + points > BOTTOM {
            self.new_page();
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    fn text(&mut self, text: &str, size: f32, indent: f32, prefix: Option<&str>) {
        let leading = size * 1.4;
        let width = PAGE_W - LEFT - RIGHT - indent;
        for (i, l) in self.wrap(text, size, width).into_iter().enumerate() {
            if self.y + leading > BOTTOM {
                self.new_page();
            }
            self.y += leading;
            if i == 0 {
                if let Some(p) = prefix {
                    self.place(LEFT + indent - 10.0, size, p);
                }
            }
            self.place(LEFT + indent, size, &l);
        }
    }

    fn place(&mut self, x: f32, size: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        let y = self.y;
        if let Some(page) = self.pages.last_mut() {
            page.push(Placed {
                x,
                y,
                size,
                text: text.to_string(),
            });
        }
    }
}

/// The letter as a PDF: A4, DejaVu Sans embedded (subset), the letterhead on the first page,
/// "Page n of m" at the foot of every page. `page_of` has `{page}` and `{pages}`.
pub fn letter_pdf(
    markdown: &str,
    title: &str,
    language: &str,
    page_of: &str,
) -> Result<Vec<u8>, PdfError> {
    let metrics = FontRef::try_from_slice(FONT).map_err(|_| PdfError::Font)?;
    let mut lay = Layout {
        metrics,
        pages: vec![Vec::new()],
        y: TOP,
    };
    for b in blocks(markdown) {
        match b {
            Block::Letterhead(lines) => {
                for (i, l) in lines.iter().enumerate() {
                    lay.text(l, if i == 0 { 13.0 } else { 9.0 }, 0.0, None);
                }
                lay.space(22.0);
            }
            Block::Title(t) => {
                lay.space(6.0);
                lay.keep(60.0);
                lay.text(&t, 15.0, 0.0, None);
                lay.space(8.0);
            }
            Block::Heading(t) => {
                lay.space(10.0);
                lay.keep(50.0);
                lay.text(&t, 12.5, 0.0, None);
                lay.space(4.0);
            }
            Block::Subheading(t) => {
                lay.space(6.0);
                lay.keep(40.0);
                lay.text(&t, 11.0, 0.0, None);
                lay.space(2.0);
            }
            Block::Paragraph(lines) => {
                for l in &lines {
                    lay.text(l, BODY, 0.0, None);
                }
                lay.space(5.0);
            }
            Block::Bullet(t) => {
                lay.text(&t, BODY, 14.0, Some("•"));
                lay.space(2.0);
            }
            Block::Quote(t) => {
                if t.is_empty() {
                    lay.space(BODY * 1.4);
                } else {
                    lay.text(&t, BODY, 14.0, None);
                }
            }
        }
    }
    render(lay.pages, title, language, page_of)
}

fn render(
    pages: Vec<Vec<Placed>>,
    title: &str,
    language: &str,
    page_of: &str,
) -> Result<Vec<u8>, PdfError> {
    let font = Font::new(FONT.into(), 0).ok_or(PdfError::Font)?;
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(title.to_string())
            .language(language.to_string())
            .creator("triage".to_string()),
    );
    let total = pages.len();
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or(PdfError::Font)?;
    for (n, placed) in pages.into_iter().enumerate() {
        let mut page = doc.start_page_with(settings.clone());
        let mut surface = page.surface();
        for p in &placed {
            surface.draw_text(
                Point::from_xy(p.x, p.y),
                font.clone(),
                p.size,
                &p.text,
                false,
                TextDirection::Auto,
            );
        }
        let footer = page_of
            .replace("{page}", &(n + 1).to_string())
            .replace("{pages}", &total.to_string());
        surface.draw_text(
            Point::from_xy(LEFT, PAGE_H - 40.0),
            font.clone(),
            8.5,
            &footer,
            false,
            TextDirection::Auto,
        );
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| PdfError::Write(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_within_the_line_and_breaks_pages() {
        let metrics = FontRef::try_from_slice(FONT).unwrap();
        let lay = Layout {
            metrics,
            pages: vec![Vec::new()],
            y: TOP,
        };
        let width = PAGE_W - LEFT - RIGHT;
        let text = "Æbleøen på Ålborgvej ".repeat(40);
        let lines = lay.wrap(&text, BODY, width);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| lay.width(l, BODY) <= width));
        assert_eq!(
            lines.join(" ").split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
        let long = "x".repeat(400);
        assert!(lay
            .wrap(&long, BODY, width)
            .iter()
            .all(|l| lay.width(l, BODY) <= width));
    }

    #[test]
    fn widths_are_measured_in_points_per_em() {
        let lay = Layout {
            metrics: FontRef::try_from_slice(FONT).unwrap(),
            pages: vec![Vec::new()],
            y: TOP,
        };
        // DejaVu Sans has 2048 units to the em; "a" advances 1255 of them and "M" 1767
        // (its hmtx table), so at 10 pt "a" is 6.13 pt wide, and "aM" at 12 pt 17.71 pt.
        assert!((lay.width("a", 10.0) - 10.0 * 1255.0 / 2048.0).abs() < 0.01);
        assert!((lay.width("aM", 12.0) - 12.0 * (1255.0 + 1767.0) / 2048.0).abs() < 0.01);
    }

    #[test]
    fn every_placed_line_ends_inside_the_right_margin() {
        let mut lay = Layout {
            metrics: FontRef::try_from_slice(FONT).unwrap(),
            pages: vec![Vec::new()],
            y: TOP,
        };
        let text = "Behandlingen af dine oplysninger stammer fra den henvendelse, du sendte os, og vi behandler om dig de oplysninger, der står nedenfor. ".repeat(12);
        lay.text(&text, BODY, 0.0, None);
        lay.text(&text, BODY, 14.0, Some("•"));
        let placed: Vec<&Placed> = lay.pages.iter().flatten().collect();
        assert!(placed.len() > 20);
        for p in placed {
            let right = p.x + lay.width(&p.text, p.size);
            assert!(right <= PAGE_W - RIGHT + 0.01, "{right} pt: {}", p.text);
        }
    }
}
