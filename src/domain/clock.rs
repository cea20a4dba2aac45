//! (stub until the clocks land)
use super::calendar::Calendar;
use super::case::Case;
use super::policy::Policy;
pub fn first_deadline(
    _case: &Case,
    _policy: &Policy,
    _cal: &Calendar,
) -> Option<chrono::NaiveDate> {
    None
}
