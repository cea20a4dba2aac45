//! Puts frames on the terminal in few bytes: only the cells that changed, short escape
//! sequences, and rows that only moved are moved by the terminal (a scroll region).
//!
//! Over an SSH link every byte of a frame is latency. ratatui's own flush is correct but
//! spends bytes: a 12-byte colour sequence for a 5-byte one, a reset and a cursor hide on
//! every frame, and when the queue scrolls by one row its diff rewrites every row. The
//! painter keeps what the screen shows, renders the next frame with ratatui, and writes the
//! difference itself, through the crossterm backend, wrapped in synchronized output.

use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use std::io::{self, Write};

/// Draws frames onto a terminal, remembering what it shows.
pub struct Painter<W: Write> {
    backend: CrosstermBackend<W>,
    /// A fixed size (benchmarks, tests); None follows the terminal's size.
    fixed: Option<(u16, u16)>,
    /// The frame being drawn.
    next: Buffer,
    /// What the screen shows.
    shown: Buffer,
    /// Whether `shown` is known to be on the screen: false until a frame has cleared it.
    known: bool,
    next_hashes: Vec<u64>,
    shown_hashes: Vec<u64>,
    blank_hash: u64,
    out: Emitter,
    /// The locale is not UTF-8: borders and markers go out as ASCII.
    ascii: bool,
}

impl<W: Write> Painter<W> {
    /// A painter that follows the terminal's size.
    pub fn new(backend: CrosstermBackend<W>) -> Self {
        Painter {
            backend,
            fixed: None,
            next: Buffer::empty(Rect::ZERO),
            shown: Buffer::empty(Rect::ZERO),
            known: false,
            next_hashes: Vec::new(),
            shown_hashes: Vec::new(),
            blank_hash: 0,
            out: Emitter::default(),
            ascii: false,
        }
    }

    /// Draws borders and markers in ASCII. Set before the first frame: what the screen
    /// already shows is not redrawn.
    pub fn set_ascii(&mut self, on: bool) {
        self.ascii = on;
    }

    /// A painter for a terminal whose screen was just cleared (entering the interface does
    /// it): the first frame draws on the blank instead of clearing it again.
    pub fn on_blank_screen(backend: CrosstermBackend<W>) -> io::Result<Self> {
        let mut p = Painter::new(backend);
        let (width, height) = p.size()?;
        p.blank(Rect::new(0, 0, width, height));
        Ok(p)
    }

    /// A painter for a screen of a fixed size, whatever the terminal says (benchmarks, tests).
    pub fn fixed(backend: CrosstermBackend<W>, width: u16, height: u16) -> Self {
        let mut p = Painter::new(backend);
        p.fixed = Some((width, height));
        p
    }

    /// Changes the fixed size; the next frame clears the screen and draws everything.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.fixed = Some((width, height));
    }

    /// Forgets what the screen shows: the next frame clears it and draws everything.
    pub fn invalidate(&mut self) {
        self.known = false;
    }

    /// The size frames are drawn at.
    pub fn size(&self) -> io::Result<(u16, u16)> {
        match self.fixed {
            Some(s) => Ok(s),
            None => {
                let s = self.backend.size()?;
                Ok((s.width, s.height))
            }
        }
    }

    pub fn backend(&self) -> &CrosstermBackend<W> {
        &self.backend
    }

    pub fn backend_mut(&mut self) -> &mut CrosstermBackend<W> {
        &mut self.backend
    }

    /// What the screen shows after the last frame.
    pub fn shown(&self) -> &Buffer {
        &self.shown
    }

    /// Renders a frame with `render` and writes what changed, as one synchronized update.
    /// A frame that changes nothing writes nothing.
    pub fn draw(&mut self, render: impl FnOnce(Rect, &mut Buffer)) -> io::Result<()> {
        let (width, height) = self.size()?;
        let area = Rect::new(0, 0, width, height);
        self.out.bytes.clear();
        crossterm::queue!(self.out.bytes, BeginSynchronizedUpdate)?;
        let begun = self.out.bytes.len();
        if !self.known || self.shown.area != area {
            // A new size (or an unknown screen): clear it, and draw everything on the blank.
            self.out.default_pen();
            self.out.bytes.extend_from_slice(b"\x1b[2J");
            self.out.cursor = None;
            self.blank(area);
        }
        let out = &mut self.out;
        self.next.reset();
        render(area, &mut self.next);
        if self.ascii {
            for c in &mut self.next.content {
                if let Some(a) = super::caps::ascii_symbol(c.symbol()) {
                    c.set_symbol(a);
                }
            }
        }
        hash_lines(&self.next, &mut self.next_hashes);

        if let Some(s) = find_scroll(&self.shown_hashes, &self.next_hashes, self.blank_hash) {
            out.scroll(s);
            shift(&mut self.shown, &mut self.shown_hashes, s, self.blank_hash);
        }
        let w = usize::from(width);
        for y in 0..usize::from(height) {
            let line = y * w..(y + 1) * w;
            let (old, new) = (&self.shown.content[line.clone()], &self.next.content[line]);
            if self.next_hashes[y] == self.shown_hashes[y] && old == new {
                continue;
            }
            out.line(y as u16, old, new);
        }
        out.default_pen();

        std::mem::swap(&mut self.shown, &mut self.next);
        std::mem::swap(&mut self.shown_hashes, &mut self.next_hashes);
        if out.bytes.len() == begun {
            return Ok(());
        }
        crossterm::queue!(out.bytes, EndSynchronizedUpdate)?;
        self.backend.write_all(&out.bytes)?;
        Write::flush(&mut self.backend)
    }
}

impl<W: Write> Painter<W> {
    /// Takes the screen to be blank at `area`'s size (the cursor wherever it is).
    fn blank(&mut self, area: Rect) {
        self.shown.resize(area);
        self.shown.reset();
        self.next.resize(area);
        self.blank_hash = line_hash(&self.shown.content[..usize::from(area.width)]);
        self.shown_hashes.clear();
        self.shown_hashes
            .resize(usize::from(area.height), self.blank_hash);
        self.known = true;
    }
}

/// Rows `top..=bottom` moved up (`by` > 0) or down (`by` < 0) by `by.abs()` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scroll {
    top: usize,
    bottom: usize,
    by: isize,
}

/// Finds the band of rows that moved between two frames, when moving it saves rows. Rows are
/// compared by hash: a wrong match only costs bytes, never correctness, because the diff
/// afterwards compares the cells themselves.
fn find_scroll(old: &[u64], new: &[u64], blank: u64) -> Option<Scroll> {
    let h = old.len();
    if h != new.len() || h < 2 {
        return None;
    }
    let mut best: Option<(isize, Scroll)> = None;
    let mut consider = |gain: isize, s: Scroll| {
        if best.is_none_or(|(g, _)| gain > g) {
            best = Some((gain, s));
        }
    };
    // Rows already right that the scroll would blank; a blank row stays right.
    let kept = |range: std::ops::Range<usize>| {
        range
            .filter(|&i| new[i] == old[i] && new[i] != blank)
            .count() as isize
    };
    let changed =
        |range: std::ops::Range<usize>| range.filter(|&i| new[i] != old[i]).count() as isize;
    for k in 1..h {
        // Up: new row y was old row y + k.
        let mut y = 0;
        while y + k < h {
            if new[y] != old[y + k] {
                y += 1;
                continue;
            }
            let a = y;
            while y + k < h && new[y] == old[y + k] {
                y += 1;
            }
            // Rows a..y move up from a+k..y+k; rows y..y+k come in blank.
            let gain = changed(a..y) - kept(y..y + k);
            consider(
                gain,
                Scroll {
                    top: a,
                    bottom: y + k - 1,
                    by: k as isize,
                },
            );
        }
        // Down: new row y was old row y - k.
        let mut y = k;
        while y < h {
            if new[y] != old[y - k] {
                y += 1;
                continue;
            }
            let a = y;
            while y < h && new[y] == old[y - k] {
                y += 1;
            }
            let gain = changed(a..y) - kept(a - k..a);
            consider(
                gain,
                Scroll {
                    top: a - k,
                    bottom: y - 1,
                    by: -(k as isize),
                },
            );
        }
    }
    best.filter(|(gain, _)| *gain >= 2).map(|(_, s)| s)
}

/// Moves the rows of `buf` as the terminal moved them, blanking the rows that came in.
fn shift(buf: &mut Buffer, hashes: &mut [u64], s: Scroll, blank: u64) {
    let w = usize::from(buf.area.width);
    let k = s.by.unsigned_abs();
    let cells = &mut buf.content[s.top * w..(s.bottom + 1) * w];
    let rows = &mut hashes[s.top..=s.bottom];
    let n = cells.len();
    if s.by > 0 {
        cells.rotate_left(k * w);
        cells[n - k * w..].fill(Cell::EMPTY);
        rows.rotate_left(k);
        let m = rows.len();
        rows[m - k..].fill(blank);
    } else {
        cells.rotate_right(k * w);
        cells[..k * w].fill(Cell::EMPTY);
        rows.rotate_right(k);
        rows[..k].fill(blank);
    }
}

fn mix(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95)
}

fn color_key(c: Color) -> u64 {
    match c {
        Color::Reset => 0,
        Color::Black => 1,
        Color::Red => 2,
        Color::Green => 3,
        Color::Yellow => 4,
        Color::Blue => 5,
        Color::Magenta => 6,
        Color::Cyan => 7,
        Color::Gray => 8,
        Color::DarkGray => 9,
        Color::LightRed => 10,
        Color::LightGreen => 11,
        Color::LightYellow => 12,
        Color::LightBlue => 13,
        Color::LightMagenta => 14,
        Color::LightCyan => 15,
        Color::White => 16,
        Color::Indexed(i) => 0x100 | u64::from(i),
        Color::Rgb(r, g, b) => 0x100_0000 | u64::from(r) << 16 | u64::from(g) << 8 | u64::from(b),
    }
}

fn line_hash(cells: &[Cell]) -> u64 {
    let mut h = 0;
    for c in cells {
        let s = c.symbol().as_bytes();
        if s.len() <= 8 {
            let mut v = 0u64;
            for &b in s {
                v = v << 8 | u64::from(b);
            }
            h = mix(h, v);
        } else {
            for chunk in s.chunks(8) {
                h = mix(h, chunk.iter().fold(0, |v, &b| v << 8 | u64::from(b)));
            }
        }
        let style = color_key(c.fg)
            | color_key(c.bg) << 25
            | u64::from(c.modifier.bits()) << 50
            | u64::from(c.diff_option != CellDiffOption::None) << 63;
        h = mix(h, style);
        if c.underline_color != Color::Reset {
            h = mix(h, color_key(c.underline_color));
        }
    }
    h
}

fn hash_lines(buf: &Buffer, hashes: &mut Vec<u64>) {
    hashes.clear();
    let w = usize::from(buf.area.width).max(1);
    hashes.extend(buf.content.chunks(w).map(line_hash));
    hashes.resize(usize::from(buf.area.height), 0);
}

/// The attributes cells are written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

impl Pen {
    const DEFAULT: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        underline: Color::Reset,
        modifier: Modifier::empty(),
    };

    fn of(c: &Cell) -> Pen {
        Pen {
            fg: c.fg,
            bg: c.bg,
            underline: c.underline_color,
            modifier: c.modifier,
        }
    }
}

fn width(c: &Cell) -> usize {
    match c.diff_option {
        CellDiffOption::ForcedWidth(w) => usize::from(w.get()),
        _ => usize::from(c.symbol().cell_width()),
    }
}

fn is_blank(c: &Cell) -> bool {
    c.symbol() == " " && Pen::of(c) == Pen::DEFAULT && c.diff_option == CellDiffOption::None
}

/// Writes escape sequences, tracking the pen and the cursor to keep them short.
#[derive(Default)]
struct Emitter {
    bytes: Vec<u8>,
    /// The pen the terminal writes with; None until set.
    pen: Option<Pen>,
    /// Where the cursor is; None when unknown (after the last column, or a wide character,
    /// where terminals differ).
    cursor: Option<(usize, u16)>,
    a: Vec<u8>,
    b: Vec<u8>,
}

fn number(out: &mut Vec<u8>, n: usize) {
    // Writing to a Vec cannot fail.
    let _ = write!(out, "{n}");
}

fn param(out: &mut Vec<u8>, n: usize) {
    if !out.is_empty() {
        out.push(b';');
    }
    number(out, n);
}

fn color(out: &mut Vec<u8>, c: Color, base: usize) {
    let named = |out: &mut Vec<u8>, n| param(out, base + n);
    match c {
        Color::Reset => named(out, 9),
        Color::Black => named(out, 0),
        Color::Red => named(out, 1),
        Color::Green => named(out, 2),
        Color::Yellow => named(out, 3),
        Color::Blue => named(out, 4),
        Color::Magenta => named(out, 5),
        Color::Cyan => named(out, 6),
        Color::Gray => named(out, 7),
        Color::DarkGray => named(out, 60),
        Color::LightRed => named(out, 61),
        Color::LightGreen => named(out, 62),
        Color::LightYellow => named(out, 63),
        Color::LightBlue => named(out, 64),
        Color::LightMagenta => named(out, 65),
        Color::LightCyan => named(out, 66),
        Color::White => named(out, 67),
        Color::Indexed(i) => {
            param(out, base + 8);
            param(out, 5);
            param(out, usize::from(i));
        }
        Color::Rgb(r, g, b) => {
            param(out, base + 8);
            param(out, 2);
            for v in [r, g, b] {
                param(out, usize::from(v));
            }
        }
    }
}

const MODIFIERS: [(Modifier, usize); 9] = [
    (Modifier::BOLD, 1),
    (Modifier::DIM, 2),
    (Modifier::ITALIC, 3),
    (Modifier::UNDERLINED, 4),
    (Modifier::SLOW_BLINK, 5),
    (Modifier::RAPID_BLINK, 6),
    (Modifier::REVERSED, 7),
    (Modifier::HIDDEN, 8),
    (Modifier::CROSSED_OUT, 9),
];

fn add_modifiers(out: &mut Vec<u8>, m: Modifier) {
    for (bit, code) in MODIFIERS {
        if m.contains(bit) {
            param(out, code);
        }
    }
}

impl Emitter {
    fn csi(&mut self, n: usize, omit: usize, end: u8) {
        self.bytes.extend_from_slice(b"\x1b[");
        if n != omit {
            number(&mut self.bytes, n);
        }
        self.bytes.push(end);
    }

    /// Back to the terminal's default attributes (before a clear, a scroll, at a frame's end).
    fn default_pen(&mut self) {
        if self.pen != Some(Pen::DEFAULT) {
            self.bytes.extend_from_slice(b"\x1b[m");
            self.pen = Some(Pen::DEFAULT);
        }
    }

    /// One SGR sequence from the current pen to `to`: what changed, or a reset and what is
    /// set, whichever is shorter.
    fn set_pen(&mut self, to: Pen) {
        let from = match self.pen {
            Some(p) if p == to => return,
            Some(p) => Some(p),
            None => None,
        };
        let (mut a, mut b) = (std::mem::take(&mut self.a), std::mem::take(&mut self.b));
        a.clear();
        b.clear();
        param(&mut b, 0);
        add_modifiers(&mut b, to.modifier);
        if to.fg != Color::Reset {
            color(&mut b, to.fg, 30);
        }
        if to.bg != Color::Reset {
            color(&mut b, to.bg, 40);
        }
        // Whether the whole pen is set afresh (a reset first) rather than changed.
        let mut fresh = true;
        if let Some(from) = from {
            let removed = from.modifier - to.modifier;
            let mut added = to.modifier - from.modifier;
            if removed.intersects(Modifier::BOLD | Modifier::DIM) {
                // 22 ends both bold and faint.
                param(&mut a, 22);
                added |= to.modifier & (Modifier::BOLD | Modifier::DIM);
            }
            if removed.intersects(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK) {
                param(&mut a, 25);
                added |= to.modifier & (Modifier::SLOW_BLINK | Modifier::RAPID_BLINK);
            }
            for (bit, code) in [
                (Modifier::ITALIC, 23),
                (Modifier::UNDERLINED, 24),
                (Modifier::REVERSED, 27),
                (Modifier::HIDDEN, 28),
                (Modifier::CROSSED_OUT, 29),
            ] {
                if removed.contains(bit) {
                    param(&mut a, code);
                }
            }
            add_modifiers(&mut a, added);
            if from.fg != to.fg {
                color(&mut a, to.fg, 30);
            }
            if from.bg != to.bg {
                color(&mut a, to.bg, 40);
            }
            fresh = a.len() >= b.len();
        }
        let (chosen, underline) = match from {
            Some(f) if !fresh => (&a, f.underline != to.underline),
            _ => (&b, to.underline != Color::Reset),
        };
        if !chosen.is_empty() {
            self.bytes.extend_from_slice(b"\x1b[");
            // A lone 0 is the default parameter: leave it out.
            if chosen.as_slice() != b"0" {
                self.bytes.extend_from_slice(chosen);
            }
            self.bytes.push(b'm');
        }
        if underline {
            // Its own sequence, with colons, so a terminal that does not know it skips it
            // whole instead of reading its numbers as other attributes.
            match to.underline {
                Color::Reset => self.bytes.extend_from_slice(b"\x1b[59m"),
                Color::Rgb(r, g, bl) => {
                    let _ = write!(self.bytes, "\x1b[58:2::{r}:{g}:{bl}m");
                }
                c => {
                    let i = match c {
                        Color::Indexed(i) => i,
                        // The named colours are the first sixteen of the palette.
                        c => (color_key(c) - 1) as u8,
                    };
                    let _ = write!(self.bytes, "\x1b[58:5:{i}m");
                }
            }
        }
        self.a = a;
        self.b = b;
        self.pen = Some(to);
    }

    /// Moves the cursor to column `x` of row `y` in the fewest bytes; `line` is the row as it
    /// will be, so a short gap can be written over instead of jumped.
    fn move_to(&mut self, x: usize, y: u16, line: &[Cell]) {
        let Some((cx, cy)) = self.cursor else {
            return self.goto(x, y);
        };
        if (cx, cy) == (x, y) {
            return;
        }
        if cy == y && cx < x {
            // A short gap is written over rather than jumped when its cells share one pen:
            // the current one, or the one the next cell needs anyway.
            let gap = &line[cx..x];
            let bytes: usize = gap.iter().map(|c| c.symbol().len()).sum();
            let jump = 3 + if x - cx > 1 { digits(x - cx) } else { 0 };
            let pen = Pen::of(&gap[0]);
            let even = gap.iter().all(|c| {
                c.diff_option == CellDiffOption::None && width(c) == 1 && Pen::of(c) == pen
            });
            if bytes <= jump && even && (Some(pen) == self.pen || pen == Pen::of(&line[x])) {
                self.set_pen(pen);
                for c in gap {
                    self.bytes.extend_from_slice(c.symbol().as_bytes());
                }
            } else {
                self.csi(x - cx, 1, b'C');
            }
        } else if x == 0 && usize::from(y) == usize::from(cy) + 1 {
            self.bytes.extend_from_slice(b"\r\n");
        } else if x == 0 && y == cy {
            self.bytes.push(b'\r');
        } else {
            return self.goto(x, y);
        }
        self.cursor = Some((x, y));
    }

    fn goto(&mut self, x: usize, y: u16) {
        self.bytes.extend_from_slice(b"\x1b[");
        if y > 0 || x > 0 {
            number(&mut self.bytes, usize::from(y) + 1);
        }
        if x > 0 {
            self.bytes.push(b';');
            number(&mut self.bytes, x + 1);
        }
        self.bytes.push(b'H');
        self.cursor = Some((x, y));
    }

    fn put(&mut self, c: &Cell, x: usize, y: u16, line_width: usize) {
        self.set_pen(Pen::of(c));
        self.bytes.extend_from_slice(c.symbol().as_bytes());
        self.cursor = (width(c) == 1 && x + 1 < line_width).then_some((x + 1, y));
    }

    /// Erases from the cursor to the end of the row.
    fn erase_rest(&mut self, x: usize, y: u16, line: &[Cell]) {
        self.move_to(x, y, line);
        self.default_pen();
        self.bytes.extend_from_slice(b"\x1b[K");
    }

    /// Writes row `y` from `old` (on screen) to `new`.
    fn line(&mut self, y: u16, old: &[Cell], new: &[Cell]) {
        let w = new.len();
        // From here on the new row is blank: one erase can end it.
        let blank_from = new.iter().rposition(|c| !is_blank(c)).map_or(0, |i| i + 1);
        let uneven = new.iter().chain(old).any(|c| width(c) != 1);
        if uneven {
            // Wide (or zero-width) characters: write the whole row from its start, placing
            // the cursor after each such character, so no half of a wide one is left over.
            let mut x = 0;
            while x < w {
                if x >= blank_from && w - x > 3 {
                    return self.erase_rest(x, y, new);
                }
                let c = &new[x];
                let cw = width(c).max(1);
                if c.diff_option != CellDiffOption::Skip {
                    self.move_to(x, y, new);
                    self.put(c, x, y, w);
                } else {
                    self.cursor = None;
                }
                x += cw;
            }
            return;
        }
        for x in 0..w {
            let c = &new[x];
            let same = c == &old[x] && c.diff_option != CellDiffOption::AlwaysUpdate;
            if same || c.diff_option == CellDiffOption::Skip {
                continue;
            }
            if x >= blank_from && (x..w).filter(|&i| new[i] != old[i]).count() > 3 {
                return self.erase_rest(x, y, new);
            }
            self.move_to(x, y, new);
            self.put(c, x, y, w);
        }
    }

    fn scroll(&mut self, s: Scroll) {
        // Rows that come in are blanked with the current background: the default one.
        self.default_pen();
        let _ = write!(self.bytes, "\x1b[{};{}r", s.top + 1, s.bottom + 1);
        self.goto(0, s.top as u16);
        // Delete lines at the region's top (the rest moves up), or insert them (down).
        self.csi(s.by.unsigned_abs(), 1, if s.by > 0 { b'M' } else { b'L' });
        // Resetting the region puts the cursor home.
        self.bytes.extend_from_slice(b"\x1b[r");
        self.cursor = Some((0, 0));
    }
}

fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Style;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A writer the test reads back.
    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn take(&self) -> Vec<u8> {
            std::mem::take(&mut self.0.borrow_mut())
        }
    }

    fn vt_color(c: Color) -> vt100::Color {
        match c {
            Color::Reset => vt100::Color::Default,
            Color::Indexed(i) => vt100::Color::Idx(i),
            Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
            c => vt100::Color::Idx((color_key(c) - 1) as u8),
        }
    }

    /// Where the emulated screen differs from the buffer, if anywhere.
    fn mismatch(screen: &vt100::Screen, buf: &Buffer) -> Option<String> {
        for y in 0..buf.area.height {
            let mut x = 0;
            while x < buf.area.width {
                let want = &buf[(x, y)];
                let got = screen.cell(y, x).expect("a cell");
                let text = if got.contents().is_empty() {
                    " "
                } else {
                    got.contents()
                };
                let m = want.modifier;
                let ok = text == want.symbol()
                    && got.fgcolor() == vt_color(want.fg)
                    && got.bgcolor() == vt_color(want.bg)
                    && got.bold() == m.contains(Modifier::BOLD)
                    && got.italic() == m.contains(Modifier::ITALIC)
                    && got.underline() == m.contains(Modifier::UNDERLINED)
                    && got.inverse() == m.contains(Modifier::REVERSED);
                if !ok {
                    return Some(format!("({x},{y}): want {want:?}, got {got:?}"));
                }
                x += width(want).max(1) as u16;
            }
        }
        None
    }

    /// A small deterministic generator.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const STYLES: [Style; 8] = [
        Style::new(),
        Style::new().add_modifier(Modifier::REVERSED),
        Style::new().add_modifier(Modifier::BOLD),
        Style::new().fg(Color::DarkGray),
        Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Style::new().fg(Color::Indexed(200)).bg(Color::Blue),
        Style::new()
            .fg(Color::Rgb(1, 2, 3))
            .add_modifier(Modifier::UNDERLINED.union(Modifier::ITALIC)),
        Style::new().bg(Color::Yellow),
    ];
    const WORDS: [&str; 9] = [
        "case",
        "2026-000049",
        "Kjærgaard",
        "漢字",
        "…",
        "  ",
        "overdue 13wd",
        "Ørsted",
        "x",
    ];

    fn random_line(rng: &mut Rng, buf: &mut Buffer, y: u16) {
        let w = buf.area.width;
        let mut x = 0;
        while x < w {
            let word = WORDS[rng.below(WORDS.len())];
            let style = STYLES[rng.below(STYLES.len())];
            let (nx, _) = buf.set_stringn(x, y, word, usize::from(w - x), style);
            x = nx + 1;
            if rng.below(4) == 0 {
                break;
            }
        }
    }

    /// Frames that scroll, change a few rows, restyle, resize and blank, drawn over an
    /// emulated terminal: after every frame the screen is exactly the frame.
    #[test]
    fn the_screen_always_equals_the_frame() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let out = Shared::default();
        let (mut w, mut h) = (40u16, 12u16);
        let mut painter = Painter::fixed(CrosstermBackend::new(out.clone()), w, h);
        let mut parser = vt100::Parser::new(h, w, 0);
        let mut prev = Buffer::empty(Rect::new(0, 0, w, h));
        let mut scrolled = 0;
        for step in 0..3000 {
            let area = Rect::new(0, 0, w, h);
            let mut next = Buffer::empty(area);
            match rng.below(8) {
                // Scroll a band of the previous frame up or down, new rows where it opened.
                0..=2 => {
                    let top = rng.below(usize::from(h));
                    let bottom = top + rng.below(usize::from(h) - top);
                    let k = 1 + rng.below(3);
                    let up = rng.below(2) == 0;
                    next = prev.clone();
                    for y in top..=bottom {
                        let from = if up { y + k } else { y.wrapping_sub(k) };
                        if (top..=bottom).contains(&from) {
                            for x in 0..w {
                                next[(x, y as u16)] = prev[(x, from as u16)].clone();
                            }
                        } else {
                            for x in 0..w {
                                next[(x, y as u16)] = Cell::EMPTY;
                            }
                            random_line(&mut rng, &mut next, y as u16);
                        }
                    }
                }
                // A few rows change, or change style (a selection moving).
                3..=5 => {
                    next = prev.clone();
                    for _ in 0..1 + rng.below(3) {
                        let y = rng.below(usize::from(h)) as u16;
                        if rng.below(2) == 0 {
                            next.set_style(Rect::new(0, y, w, 1), STYLES[rng.below(8)]);
                        } else {
                            for x in 0..w {
                                next[(x, y)] = Cell::EMPTY;
                            }
                            random_line(&mut rng, &mut next, y);
                        }
                    }
                }
                // A new size.
                6 if step % 5 == 0 => {
                    (w, h) = (10 + rng.below(50) as u16, 2 + rng.below(20) as u16);
                    painter.resize(w, h);
                    parser.screen_mut().set_size(h, w);
                    next = Buffer::empty(Rect::new(0, 0, w, h));
                    for y in 0..h {
                        random_line(&mut rng, &mut next, y);
                    }
                }
                // Everything new, or blank.
                _ => {
                    if rng.below(3) > 0 {
                        for y in 0..h {
                            random_line(&mut rng, &mut next, y);
                        }
                    }
                }
            }
            painter
                .draw(|a, buf| {
                    assert_eq!(a, next.area);
                    buf.content.clone_from(&next.content);
                })
                .unwrap();
            let bytes = out.take();
            parser.process(&bytes);
            if let Some(m) = mismatch(parser.screen(), &next) {
                panic!(
                    "step {step}: {m}\nframe bytes: {:?}",
                    String::from_utf8_lossy(&bytes)
                );
            }
            assert!(
                bytes.is_empty() || bytes.ends_with(b"\x1b[?2026l"),
                "a frame is one synchronized update"
            );
            scrolled += usize::from(bytes.windows(3).any(|w| w == b"\x1b[r"));
            prev = next;
        }
        assert!(scrolled > 300, "only {scrolled} frames scrolled");
    }

    #[test]
    fn an_unchanged_frame_writes_nothing() {
        let out = Shared::default();
        let mut painter = Painter::fixed(CrosstermBackend::new(out.clone()), 20, 5);
        let draw = |a: Rect, buf: &mut Buffer| {
            buf.set_string(0, 0, "hello", Style::new().fg(Color::Red));
            let _ = a;
        };
        painter.draw(draw).unwrap();
        assert!(!out.take().is_empty());
        painter.draw(draw).unwrap();
        assert!(out.take().is_empty());
    }

    #[test]
    fn a_band_that_moved_is_scrolled_by_the_terminal() {
        let out = Shared::default();
        let mut painter = Painter::fixed(CrosstermBackend::new(out.clone()), 30, 10);
        let frame = |first: usize| {
            move |_: Rect, buf: &mut Buffer| {
                buf.set_string(0, 0, "header", Style::new());
                for y in 1..9u16 {
                    let row = format!("row {} of the queue", first + usize::from(y));
                    buf.set_string(0, y, row, Style::new());
                }
                buf.set_string(0, 9, "status", Style::new());
            }
        };
        painter.draw(frame(0)).unwrap();
        out.take();
        painter.draw(frame(1)).unwrap();
        let b = String::from_utf8(out.take()).unwrap();
        // Rows 2..=9 (1-based) move up one; only the new last row is written.
        assert!(b.contains("\x1b[2;9r\x1b[2H\x1b[M\x1b[r"), "{b:?}");
        assert!(b.contains("row 9 of the queue"), "{b:?}");
        assert!(!b.contains("row 8"), "{b:?}");
        painter.draw(frame(0)).unwrap();
        let b = String::from_utf8(out.take()).unwrap();
        assert!(b.contains("\x1b[2;9r\x1b[2H\x1b[L\x1b[r"), "{b:?}");
        assert!(
            b.contains("row 1 of the queue") && !b.contains("row 2"),
            "{b:?}"
        );
    }

    #[test]
    fn pens_change_in_short_sequences() {
        let mut e = Emitter {
            pen: Some(Pen::DEFAULT),
            ..Emitter::default()
        };
        let pen = |s: Style| Pen {
            fg: s.fg.unwrap_or(Color::Reset),
            bg: s.bg.unwrap_or(Color::Reset),
            underline: Color::Reset,
            modifier: s.add_modifier,
        };
        let seq = |e: &mut Emitter, s: Style| {
            e.bytes.clear();
            e.set_pen(pen(s));
            String::from_utf8(e.bytes.clone()).unwrap()
        };
        assert_eq!(seq(&mut e, Style::new().fg(Color::DarkGray)), "\x1b[90m");
        assert_eq!(
            seq(
                &mut e,
                Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
            ),
            "\x1b[1;31m"
        );
        assert_eq!(seq(&mut e, Style::new().fg(Color::Red)), "\x1b[22m");
        assert_eq!(seq(&mut e, Style::new()), "\x1b[m");
        assert_eq!(
            seq(&mut e, Style::new().add_modifier(Modifier::REVERSED)),
            "\x1b[7m"
        );
        assert_eq!(
            seq(&mut e, Style::new().fg(Color::Indexed(8))),
            "\x1b[0;38;5;8m"
        );
    }
}
