//! Small pieces every pane and overlay draws with: cells cut to a width, boxes, lists, prompts, hints.

use super::theme::Theme;
use crate::domain::category::DataCategory;
use crate::domain::sanitize::sanitize_line;
use crate::tui::action::Action;
use crate::tui::i18n::{t, Lang, Msg};
use crate::tui::keymap::Context;
use crate::tui::layout;
use crate::tui::state::App;
use crate::tui::text::{self, Mark};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Clear, Widget};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `s` cut to `width` columns (with "…" when cut) and padded to exactly `width`.
pub fn fit(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    let total = s.width();
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if total > width && w + cw + 1 > width {
            out.push('…');
            w += 1;
            break;
        }
        if w + cw > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// A cell with the characters at `hl` positions styled as matches, cut and padded.
pub(super) fn cell(
    s: &str,
    width: usize,
    base: Style,
    hl: &[usize],
    hl_style: Style,
) -> Vec<Span<'static>> {
    if hl.is_empty() {
        return vec![Span::styled(fit(s, width), base)];
    }
    let fitted = fit(s, width);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut cur = String::new();
    let mut cur_hl = false;
    for (i, c) in fitted.chars().enumerate() {
        let is_hl = hl.binary_search(&i).is_ok() && c != '…';
        if is_hl != cur_hl && !cur.is_empty() {
            let st = if cur_hl { base.patch(hl_style) } else { base };
            spans.push(Span::styled(std::mem::take(&mut cur), st));
        }
        cur_hl = is_hl;
        cur.push(c);
    }
    if !cur.is_empty() {
        let st = if cur_hl { base.patch(hl_style) } else { base };
        spans.push(Span::styled(cur, st));
    }
    spans
}

pub(super) fn overlay_box(title: &str, area: Rect, w: u16, h: u16, buf: &mut Buffer) -> Rect {
    let r = layout::centered(area, w, h);
    Clear.render(r, buf);
    let block = Block::bordered().title(format!(" {title} "));
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}

/// "keys word · keys word", the keys as bound in `ctx`.
pub(super) fn hints(app: &App, ctx: Context, items: &[(Action, Msg)]) -> String {
    items
        .iter()
        .filter_map(|(a, m)| {
            let keys = app.keymap.keys_for(ctx, a);
            (!keys.is_empty()).then(|| format!("{} {}", keys.join("/"), t(app.lang, *m)))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Plain text wrapped to `width` columns.
pub(super) fn wrap_plain(s: &str, width: usize) -> Vec<String> {
    text::wrap(&[(s.to_string(), Mark::Plain)], width.max(1))
        .into_iter()
        .map(|l| l.into_iter().map(|(s, _)| s).collect())
        .collect()
}

/// Untrusted multi-line text, each line sanitised, line breaks kept.
pub(super) fn sanitize_lines(s: &str) -> String {
    s.split('\n')
        .map(|l| sanitize_line(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn category_name(lang: Lang, c: DataCategory) -> &'static str {
    match lang {
        Lang::En => c.name_en(),
        Lang::Da => c.name_da(),
    }
}

/// A list drawn in `area` with the selected row kept in view; `rows` are (text, style).
pub(super) fn draw_list(
    rows: &[(String, Style)],
    selected: usize,
    area: Rect,
    buf: &mut Buffer,
    th: Theme,
) {
    let h = area.height as usize;
    if h == 0 {
        return;
    }
    let top = selected.saturating_sub(h.saturating_sub(1));
    for (i, (y, (s, st))) in (area.y..area.y + area.height)
        .zip(rows.iter().skip(top))
        .enumerate()
    {
        let pos = top + i;
        let style = if pos == selected {
            st.patch(th.selected())
        } else {
            *st
        };
        buf.set_stringn(
            area.x,
            y,
            fit(s, area.width as usize),
            area.width as usize,
            style,
        );
    }
}

/// A text field's line with a cursor after the text.
pub(super) fn draw_prompt(
    prefix: &str,
    input: &str,
    area: Rect,
    y: u16,
    buf: &mut Buffer,
    th: Theme,
) {
    let shown = format!("{prefix}{}", sanitize_line(input));
    let w = area.width as usize;
    // The end of a long input stays in view.
    let skip = shown.width().saturating_sub(w.saturating_sub(1));
    let visible: String = shown.chars().skip(skip).collect();
    buf.set_stringn(area.x, y, &visible, w, th.bold());
    let cx = area.x + (visible.width() as u16).min(area.width.saturating_sub(1));
    buf.set_style(Rect::new(cx, y, 1, 1), th.selected());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_with_an_ellipsis_and_pads() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("æøå", 3), "æøå");
        assert_eq!(fit("日本語", 4), "日… ");
    }
}
