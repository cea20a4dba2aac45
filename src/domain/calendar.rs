//! (stub until the calendar lands)
use super::policy::Policy;
#[derive(Debug, Clone, Default)]
pub struct Calendar;
impl Calendar {
    pub fn from_policy(_p: &Policy) -> Calendar {
        Calendar
    }
}
