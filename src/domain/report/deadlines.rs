//! Open cases by the state of their answer clock.

use super::*;

// ---------------------------------------------------------------------------------------
// Deadlines

/// Where an open case stands against its answer deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeadlineState {
    Overdue,
    DueToday,
    DueSoon,
    Later,
    NoDeadline,
}

impl DeadlineState {
    pub const ALL: [DeadlineState; 5] = [
        DeadlineState::Overdue,
        DeadlineState::DueToday,
        DeadlineState::DueSoon,
        DeadlineState::Later,
        DeadlineState::NoDeadline,
    ];

    pub fn of(due: Option<NaiveDate>, today: NaiveDate) -> DeadlineState {
        match due {
            None => DeadlineState::NoDeadline,
            Some(d) if d < today => DeadlineState::Overdue,
            Some(d) if d == today => DeadlineState::DueToday,
            Some(d) if (d - today).num_days() <= 7 => DeadlineState::DueSoon,
            Some(_) => DeadlineState::Later,
        }
    }
}

/// The answer clock of one case as the clocks module gives it.
#[derive(Debug, Clone)]
pub struct ClockReading {
    pub due: NaiveDate,
    pub countdown: String,
    /// For ordering within a state: smaller is more urgent.
    pub urgency: i64,
    /// The § 39 complaint date of a § 36 case.
    pub complaint_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineRow {
    pub reference: String,
    pub state: DeadlineState,
    pub received: NaiveDate,
    pub status: String,
    pub purpose: Option<String>,
    pub right: Option<String>,
    pub due: Option<NaiveDate>,
    /// Offentlighedsloven § 39: when the requester may complain (§ 36 cases).
    pub complaint_date: Option<NaiveDate>,
    pub countdown: Option<String>,
    pub assignee: Option<String>,
    pub paused: bool,
    pub extended: bool,
    pub duplicate_of: Option<String>,
    #[serde(skip)]
    urgency: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineGroup {
    pub state: DeadlineState,
    pub heading: String,
    pub cases: Vec<DeadlineRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlinesReport {
    pub language: &'static str,
    pub title: String,
    pub date: NaiveDate,
    pub groups: Vec<DeadlineGroup>,
}

/// Open cases grouped by the state of their answer clock, most urgent first.
pub fn deadlines(
    cases: &[(Case, Option<ClockReading>)],
    lang: Language,
    today: NaiveDate,
) -> DeadlinesReport {
    let t = texts(lang);
    let mut rows: Vec<DeadlineRow> = cases
        .iter()
        .filter(|(c, _)| c.status.is_open())
        .map(|(c, clock)| DeadlineRow {
            reference: c.reference.to_string(),
            state: DeadlineState::of(clock.as_ref().map(|k| k.due), today),
            received: c.enquiry.received.danish_day(),
            status: c.status.as_id().into(),
            purpose: c.purpose.clone(),
            right: c.right.map(|r| r.as_id().to_string()),
            due: clock.as_ref().map(|k| k.due),
            complaint_date: clock.as_ref().and_then(|k| k.complaint_date),
            countdown: clock.as_ref().map(|k| k.countdown.clone()),
            assignee: c.assignee.clone(),
            paused: c.clock.pauses.iter().any(|p| p.until.is_none()),
            extended: c.clock.extension.is_some(),
            duplicate_of: c.duplicate_of.map(|r| r.to_string()),
            urgency: clock.as_ref().map(|k| k.urgency).unwrap_or(i64::MAX),
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.state, a.urgency, &a.reference).cmp(&(b.state, b.urgency, &b.reference))
    });
    let groups = DeadlineState::ALL
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let cases: Vec<DeadlineRow> = rows.iter().filter(|r| r.state == *s).cloned().collect();
            (!cases.is_empty()).then(|| DeadlineGroup {
                state: *s,
                heading: t.deadline_states[i].into(),
                cases,
            })
        })
        .collect();
    DeadlinesReport {
        language: lang_id(lang),
        title: t.deadlines_title.into(),
        date: today,
        groups,
    }
}

pub fn deadlines_markdown(r: &DeadlinesReport) -> String {
    let t = if r.language == "da" { &DA } else { &EN };
    let mut o = format!(
        "# {}\n\n{}: {}\n\n",
        r.title,
        t.date_label,
        long_date(r.date, t)
    );
    if r.groups.is_empty() {
        o.push_str(&format!("{}\n", t.none));
        return o;
    }
    for g in &r.groups {
        o.push_str(&format!(
            "## {} ({})\n\n| {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|\n",
            g.heading,
            g.cases.len(),
            t.col_case,
            t.col_received,
            t.purpose,
            t.col_due,
            t.col_countdown,
            t.col_assignee,
            t.col_notes
        ));
        for x in &g.cases {
            let mut notes = Vec::new();
            if x.paused {
                notes.push(t.note_paused.to_string());
            }
            if x.extended {
                notes.push(t.note_extended.to_string());
            }
            if let Some(d) = x.complaint_date {
                notes.push(fill(t.note_complaint, &[("date", &d.to_string())]));
            }
            if let Some(d) = &x.duplicate_of {
                notes.push(fill(t.note_duplicate, &[("reference", d)]));
            }
            let purpose = match (&x.purpose, &x.right) {
                (Some(p), Some(r)) => format!("{p} ({r})"),
                (Some(p), None) => p.clone(),
                (None, _) => "-".into(),
            };
            o.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                x.reference,
                x.received,
                md_escape_cell(&purpose),
                x.due.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                x.countdown.as_deref().unwrap_or("-"),
                md_escape_cell(x.assignee.as_deref().unwrap_or("-")),
                notes.join("; ")
            ));
        }
        o.push('\n');
    }
    o.truncate(o.trim_end().len());
    o.push('\n');
    o
}
