//! (stub until detection lands)
use super::case::Suggestion;
use super::enquiry::Enquiry;
use super::policy::Policy;
pub struct Detector;
impl Detector {
    pub fn from_policy(_p: &Policy) -> Detector {
        Detector
    }
    pub fn detect_enquiry(&self, _e: &Enquiry) -> Vec<Suggestion> {
        vec![]
    }
}
pub struct CprHit {
    pub start: usize,
    pub end: usize,
    pub birth_date: chrono::NaiveDate,
    pub mod11: bool,
}
pub fn parse_cpr(_s: &str) -> Option<CprHit> {
    None
}
pub fn mask_cpr(s: &str) -> String {
    s.to_string()
}
pub fn find_cprs(_text: &str) -> Vec<CprHit> {
    vec![]
}
