//! Drawing: reads the state and writes cells; never changes state, never touches the store.
//! One file per pane (queue, case, bars) and per layer over them (overlays, dialogs, route).

mod bars;
mod case;
mod dialogs;
mod overlays;
mod parts;
mod queue;
mod route;
mod theme;

pub use crate::tui::details::{side_lines, SideKind};
pub use parts::fit;
pub use queue::deadline_text;

use crate::tui::i18n::{t, tf, Msg};
use crate::tui::layout;
use crate::tui::state::{App, Overlay};
use crate::tui::text::{self, Mark};
use bars::{draw_status, draw_tabs};
use case::draw_case;
use dialogs::{draw_classify, draw_command, draw_purpose};
use overlays::{draw_confirm, draw_conflict, draw_help, draw_palette};
use queue::draw_queue;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::Frame;
use route::draw_route;
use theme::Theme;
use unicode_width::UnicodeWidthStr;

/// Draws the whole interface.
pub fn view(app: &App, f: &mut Frame) {
    let area = f.area();
    render(app, area, f.buffer_mut());
}

/// Draws into a buffer (what `view` does, without a frame).
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let th = Theme { color: app.color };
    if layout::too_small((area.width, area.height)) {
        too_small(app, area, buf, th);
        return;
    }
    let (tabs, main, status) = layout::frame(area);
    draw_tabs(app, tabs, buf, th);
    match &app.case {
        Some(c) => draw_case(app, c, main, buf, th),
        None => draw_queue(app, main, buf, th),
    }
    draw_status(app, status, buf, th);
    match &app.overlay {
        Some(Overlay::Help { input, scroll }) => draw_help(app, input, *scroll, area, buf, th),
        Some(Overlay::Palette { input, selected }) => {
            draw_palette(app, input, *selected, area, buf, th)
        }
        Some(Overlay::Confirm { prompt, .. }) => draw_confirm(app, prompt, area, buf, th),
        Some(Overlay::Classify(d)) => draw_classify(app, d, area, buf, th),
        Some(Overlay::Purpose(p)) => draw_purpose(app, p, area, buf, th),
        Some(Overlay::Route(w)) => draw_route(app, w, area, buf, th),
        Some(Overlay::Command(d)) => draw_command(app, d, area, buf, th),
        Some(Overlay::Conflict { message, .. }) => draw_conflict(app, message, area, buf, th),
        Some(Overlay::Filter { .. }) | None => {}
    }
}

fn too_small(app: &App, area: Rect, buf: &mut Buffer, th: Theme) {
    let hint = tf(
        app.lang,
        Msg::TooSmallHint,
        &[
            &layout::MIN_WIDTH.to_string(),
            &layout::MIN_HEIGHT.to_string(),
        ],
    );
    let mut lines: Vec<(String, Style)> = vec![(t(app.lang, Msg::TooSmall).to_string(), th.bold())];
    for l in text::wrap(&[(hint, Mark::Plain)], area.width as usize) {
        lines.push((l.into_iter().map(|(s, _)| s).collect(), Style::new()));
    }
    lines.push((format!("{}×{}", area.width, area.height), th.dim()));
    let top = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    for (y, (text, style)) in (top..area.y + area.height).zip(lines.iter()) {
        let w = text.width().min(area.width as usize);
        let x = area.x + (area.width - w as u16) / 2;
        buf.set_stringn(x, y, text, area.width as usize, *style);
    }
}
