//! Mail arrives without a purpose: its words suggest one, so an access request has its
//! clock from the day it was received.

mod common;

use common::TestStore;

#[test]
fn an_access_request_by_mail_has_its_clock_from_receipt() {
    let s = TestStore::new();
    let mail = s.dir.path().join("indsigt.eml");
    std::fs::write(
        &mail,
        "Received: from mx.example.dk by post.example.dk; Mon, 23 Nov 2026 09:01:00 +0100\r\nFrom: Borger Jensen <borger@example.dk>\r\nTo: post@example.dk\r\nSubject: Anmodning om indsigt\r\nDate: Mon, 23 Nov 2026 09:00:00 +0100\r\nMessage-ID: <cue-1@example.dk>\r\n\r\nJeg beder om en kopi af de oplysninger, I har om mig.\r\n",
    )
    .unwrap();
    s.ok(&["import", mail.to_str().unwrap()]);
    let case = &s.cases()[0];
    assert!(case["purpose"].is_null(), "staff still confirm it: {case}");
    // One month from 23 November 2026 (Art. 12(3)): 23 December.
    assert_eq!(case["due"], "2026-12-23", "{case}");
    let r = case["reference"].as_str().unwrap();
    let shown = s.ok(&["show", r]);
    assert!(shown.contains("on the suggested purpose"), "{shown}");
}
