//! Styles with and without colour: without colour, meaning is carried by reverse video, bold, underline and the text.

use crate::tui::model::Urgency;
use crate::tui::text::Mark;
use ratatui::style::{Color, Modifier, Style};

/// Styles with and without colour. Without colour, meaning is carried by reverse video,
/// bold, underline and the text itself.
#[derive(Clone, Copy)]
pub(super) struct Theme {
    pub(super) color: bool,
}

impl Theme {
    pub(super) fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }
    pub(super) fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub(super) fn header(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub(super) fn bold(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub(super) fn dim(self) -> Style {
        self.fg(Color::DarkGray)
    }
    pub(super) fn urgency(self, u: Urgency) -> Style {
        match u {
            Urgency::Overdue => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Urgency::Today => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Urgency::Soon => self.fg(Color::Yellow),
            Urgency::Later => Style::new(),
            Urgency::None => self.dim(),
        }
    }
    pub(super) fn matched(self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub(super) fn mark(self, m: Mark) -> Style {
        match m {
            Mark::Plain => Style::new(),
            Mark::Cpr { revealed: false } => self.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Mark::Cpr { revealed: true } => self
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Mark::Term(c) if c.is_criminal() => {
                self.fg(Color::Red).add_modifier(Modifier::UNDERLINED)
            }
            Mark::Term(c) if c.is_special() => {
                self.fg(Color::Magenta).add_modifier(Modifier::UNDERLINED)
            }
            Mark::Term(_) => self.fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
        }
    }
    pub(super) fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub(super) fn bar(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
}
