//! Where each pane sits for a terminal size; shared by `view` (to draw) and `update` (to
//! page and scroll by what is visible).

use ratatui::layout::Rect;

/// Below this the interface shows "terminal too small" instead of panes.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;
/// From this width the case text and its details stand side by side.
pub const WIDE: u16 = 100;
/// Lines above the case text: subject, sender, and the CPR/attachments line.
pub const CASE_HEADER: u16 = 3;

pub fn too_small((w, h): (u16, u16)) -> bool {
    w < MIN_WIDTH || h < MIN_HEIGHT
}

pub fn wide((w, _): (u16, u16)) -> bool {
    w >= WIDE
}

/// The tab row, the main area, the status bar.
pub fn frame(area: Rect) -> (Rect, Rect, Rect) {
    let tabs = Rect { height: 1, ..area };
    let status = Rect {
        y: area.y + area.height.saturating_sub(1),
        height: 1,
        ..area
    };
    let main = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    };
    (tabs, main, status)
}

/// Queue rows visible under the header.
pub fn queue_rows((_, h): (u16, u16)) -> usize {
    h.saturating_sub(3) as usize
}

pub fn side_width(size: (u16, u16)) -> u16 {
    if wide(size) {
        (size.0 * 2 / 5).max(36)
    } else {
        size.0
    }
}

/// Columns the case text wraps to.
pub fn case_text_width(size: (u16, u16)) -> u16 {
    if wide(size) {
        size.0 - side_width(size) - 1
    } else {
        size.0
    }
    .max(1)
}

/// Lines of case text visible under its header.
pub fn case_body_rows((_, h): (u16, u16)) -> usize {
    h.saturating_sub(2 + CASE_HEADER) as usize
}

/// Lines of details visible: the whole height beside the text when wide, under the header
/// when narrow.
pub fn side_rows(size: (u16, u16)) -> usize {
    if wide(size) {
        size.1.saturating_sub(2) as usize
    } else {
        case_body_rows(size)
    }
}

/// The case pane: (header, text, details). At narrow widths text and details share a rect
/// and the case's `side` flag decides which is drawn.
pub fn case(main: Rect) -> (Rect, Rect, Rect) {
    let size = (main.width, main.height + 2);
    if wide(size) {
        let side_w = side_width(size);
        let text_w = main.width - side_w - 1;
        let left = Rect {
            width: text_w,
            ..main
        };
        let side = Rect {
            x: main.x + text_w + 1,
            width: side_w,
            ..main
        };
        let (header, text) = split_header(left);
        (header, text, side)
    } else {
        let (header, text) = split_header(main);
        (header, text, text)
    }
}

fn split_header(r: Rect) -> (Rect, Rect) {
    let h = CASE_HEADER.min(r.height);
    (
        Rect { height: h, ..r },
        Rect {
            y: r.y + h,
            height: r.height - h,
            ..r
        },
    )
}

/// A box centred in `area`, at most `w`×`h`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
