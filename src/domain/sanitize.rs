//! (stub until sanitising lands)
use std::borrow::Cow;
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}
pub fn sanitize_text(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}
pub fn from_untrusted_bytes(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
