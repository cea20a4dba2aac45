//! Context documentation as the order wants it: text set on A4 pages at 300 dpi, written as TIFF.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use std::io::{Seek, Write};
use tiff::encoder::{colortype::Gray8, Compression, Rational, TiffEncoder};
use tiff::tags::ResolutionUnit;

/// DejaVu Sans (free licence, see data/fonts/): it has every Danish letter.
const FONT: &[u8] = include_bytes!("../../data/fonts/DejaVuSans.ttf");

/// A4 at 300 dpi.
pub const WIDTH: u32 = 2480;
pub const HEIGHT: u32 = 3508;
const DPI: u32 = 300;
/// 2 cm margins.
const MARGIN: f32 = 236.0;

/// One paragraph of a document.
#[derive(Debug, Clone)]
pub enum Block {
    Title(String),
    Heading(String),
    Text(String),
    /// Indented, for list items and column descriptions.
    Item(String),
}

/// Points to pixels at 300 dpi.
fn pt(points: f32) -> f32 {
    points * DPI as f32 / 72.0
}

struct Typesetter<'f> {
    font: FontRef<'f>,
    pages: Vec<Vec<u8>>,
    y: f32,
}

impl<'f> Typesetter<'f> {
    fn page(&mut self) -> &mut Vec<u8> {
        if self.pages.is_empty() {
            self.new_page();
        }
        self.pages.last_mut().expect("a page")
    }

    fn new_page(&mut self) {
        self.pages
            .push(vec![255u8; (WIDTH as usize) * (HEIGHT as usize)]);
        self.y = MARGIN;
    }

    fn width_of(&self, text: &str, scale: PxScale) -> f32 {
        let f = self.font.as_scaled(scale);
        text.chars().map(|c| f.h_advance(f.glyph_id(c))).sum()
    }

    /// Breaks `text` into lines no wider than `width`, at spaces (a word longer than a line
    /// is broken where it must be).
    fn wrap(&self, text: &str, scale: PxScale, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split(' ') {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width_of(&candidate, scale) <= width || line.is_empty() {
                    line = candidate;
                } else {
                    lines.push(std::mem::take(&mut line));
                    line = word.to_string();
                }
                while self.width_of(&line, scale) > width && line.chars().count() > 1 {
                    let mut cut = line.chars().count() - 1;
                    while cut > 1
                        && self.width_of(&line.chars().take(cut).collect::<String>(), scale) > width
                    {
                        cut -= 1;
                    }
                    let head: String = line.chars().take(cut).collect();
                    let tail: String = line.chars().skip(cut).collect();
                    lines.push(head);
                    line = tail;
                }
            }
            lines.push(line);
        }
        lines
    }

    fn line(&mut self, text: &str, scale: PxScale, x0: f32) {
        let (height, ascent) = {
            let f = self.font.as_scaled(scale);
            (f.height() * 1.25, f.ascent())
        };
        if self.pages.is_empty() || self.y + height > HEIGHT as f32 - MARGIN {
            self.new_page();
        }
        let f = self.font.as_scaled(scale);
        let baseline = self.y + ascent;
        let mut x = x0;
        let mut glyphs = Vec::new();
        for c in text.chars() {
            let id = f.glyph_id(c);
            glyphs.push(id.with_scale_and_position(scale, ab_glyph::point(x, baseline)));
            x += f.h_advance(id);
        }
        let font = self.font.clone();
        let page = self.page();
        for g in glyphs {
            if let Some(outline) = font.outline_glyph(g) {
                let b = outline.px_bounds();
                outline.draw(|gx, gy, cov| {
                    let px = b.min.x as i64 + i64::from(gx);
                    let py = b.min.y as i64 + i64::from(gy);
                    if (0..i64::from(WIDTH)).contains(&px) && (0..i64::from(HEIGHT)).contains(&py) {
                        let i = py as usize * WIDTH as usize + px as usize;
                        let ink = (cov.clamp(0.0, 1.0) * 255.0) as u8;
                        page[i] = page[i].min(255 - ink);
                    }
                });
            }
        }
        self.y += height;
    }

    fn block(&mut self, block: &Block) {
        let (text, size, indent, space_before) = match block {
            Block::Title(t) => (t, 18.0, 0.0, 0.0),
            Block::Heading(t) => (t, 13.0, 0.0, pt(8.0)),
            Block::Text(t) => (t, 10.0, 0.0, pt(3.0)),
            Block::Item(t) => (t, 10.0, pt(14.0), 0.0),
        };
        let scale = PxScale::from(pt(size));
        let x0 = MARGIN + indent;
        let width = WIDTH as f32 - MARGIN - x0;
        self.y += space_before;
        for line in self.wrap(text, scale, width) {
            self.line(&line, scale, x0);
        }
    }
}

/// Sets `blocks` on A4 pages and writes them as one multi-page, LZW-compressed, 8-bit grey TIFF
/// at 300 dpi. Returns the number of pages. A page is encoded as soon as the text has moved on
/// from it (a page is 8.7 MB of pixels: holding a long document whole would cost far more).
pub fn write_tiff<W: Write + Seek>(blocks: &[Block], out: W) -> Result<usize, String> {
    let font = FontRef::try_from_slice(FONT).map_err(|e| format!("the bundled font: {e}"))?;
    let mut t = Typesetter {
        font,
        pages: Vec::new(),
        y: MARGIN,
    };
    let mut enc = TiffEncoder::new(out)
        .map_err(|e| e.to_string())?
        .with_compression(Compression::Lzw);
    let mut written = 0;
    let mut encode = |page: &[u8]| -> Result<(), String> {
        let mut image = enc
            .new_image::<Gray8>(WIDTH, HEIGHT)
            .map_err(|e| e.to_string())?;
        image.resolution(ResolutionUnit::Inch, Rational { n: DPI, d: 1 });
        image.write_data(page).map_err(|e| e.to_string())?;
        written += 1;
        Ok(())
    };
    for b in blocks {
        t.block(b);
        while t.pages.len() > 1 {
            let done = t.pages.remove(0);
            encode(&done)?;
        }
    }
    if t.pages.is_empty() {
        t.new_page();
    }
    for page in std::mem::take(&mut t.pages) {
        encode(&page)?;
    }
    Ok(written)
}

/// True when `bytes` start like a TIFF file (little- or big-endian).
pub fn looks_like_tiff(bytes: &[u8]) -> bool {
    bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_text_is_inked_and_the_tiff_reads_back_at_300_dpi() {
        let mut buf = std::io::Cursor::new(Vec::new());
        let blocks = vec![
            Block::Title("Systembeskrivelse".into()),
            Block::Text("Æblegrød på Ærø, Østerbro og Åbenrå.".into()),
        ];
        let pages = write_tiff(&blocks, &mut buf).unwrap();
        assert_eq!(pages, 1);
        let bytes = buf.into_inner();
        assert!(looks_like_tiff(&bytes));
        let mut dec = tiff::decoder::Decoder::new(std::io::Cursor::new(&bytes)).unwrap();
        assert_eq!(dec.dimensions().unwrap(), (WIDTH, HEIGHT));
        let img = match dec.read_image().unwrap() {
            tiff::decoder::DecodingResult::U8(v) => v,
            _ => panic!("8-bit grey expected"),
        };
        let dark = img.iter().filter(|&&p| p < 128).count();
        assert!(dark > 2_000, "{dark} dark pixels: the text was not drawn");
        // Nothing drawn inside the left margin.
        assert!((0..HEIGHT as usize).all(|y| img[y * WIDTH as usize + 10] == 255));
    }

    #[test]
    fn long_text_flows_onto_more_pages() {
        let text = "ord ".repeat(3_500);
        let mut buf = std::io::Cursor::new(Vec::new());
        let pages = write_tiff(&[Block::Text(text)], &mut buf).unwrap();
        assert!(pages >= 2, "{pages}");
    }
}
