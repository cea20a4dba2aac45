//! (stub until the clocks land)
use super::calendar::Calendar;
use super::case::Case;
use super::policy::Policy;
use chrono::NaiveDate;
pub fn first_deadline(_case: &Case, _policy: &Policy, _cal: &Calendar) -> Option<NaiveDate> {
    None
}
pub enum Countdown {
    DueToday,
}
impl Countdown {
    pub fn short(&self) -> String {
        "today".into()
    }
    pub fn sort_key(&self) -> i64 {
        0
    }
}
pub struct AnswerClock {
    pub due: NaiveDate,
    pub countdown: Countdown,
}
pub fn answer_clock(
    _case: &Case,
    _policy: &Policy,
    _cal: &Calendar,
    _today: NaiveDate,
) -> Option<AnswerClock> {
    None
}
