//! How a failed command ends: one message, each cause said once, and an exit code by kind.
//!
//! Exit codes: 0 done, 1 refused (the rules or a role said no, a conflict, a case not there),
//! 2 bad input or usage (a file, an argument, a query), 3 a store or server problem.

use crate::domain::sanitize::sanitize_text;
use crate::import::ImportError;
use crate::store::api_error::ApiError;
use crate::store::StoreError;
use crate::usecase::access_report::ReportError;

pub const REFUSED: u8 = 1;
pub const BAD_INPUT: u8 = 2;
pub const STORE: u8 = 3;

/// Input the command could not use as a whole (every file of an import refused, say), when
/// the details were already said one by one: exit code 2.
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// Safe for a terminal (an argument or a file's content may be quoted), CPR numbers masked
/// (a mistaken argument may be one).
fn safe(text: &str) -> String {
    sanitize_text(&crate::domain::cpr::mask_cprs(text)).into_owned()
}

/// The message for a person: the error and its causes, a cause left out where the text
/// before already says it (thiserror messages often quote their source), made safe for a
/// terminal (an argument or a file's content may be quoted in it).
pub fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if text.is_empty() || out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    safe(&out)
}

/// As [`message`], with what the store refused said in `lang` through the catalogue (a
/// role, a status, a restriction, a conflict); other causes as [`message`] says them.
pub fn message_in(lang: crate::tui::i18n::Lang, e: &anyhow::Error) -> String {
    if lang == crate::tui::i18n::Lang::Da {
        for cause in e.chain() {
            let refusal = cause.downcast_ref::<ApiError>().cloned().or_else(|| {
                if let Some(ReportError::Api(a)) = cause.downcast_ref::<ReportError>() {
                    return Some(a.clone());
                }
                Some(match cause.downcast_ref::<StoreError>()? {
                    StoreError::Refused(r) => ApiError::Refused(r.clone()),
                    StoreError::Hidden(r) => ApiError::Hidden(*r),
                    StoreError::NotFound(r) => ApiError::NotFound(*r),
                    StoreError::Erased(r) => ApiError::Erased(*r),
                    StoreError::Conflict {
                        reference,
                        expected,
                        actual,
                        by,
                        at,
                    } => ApiError::Conflict {
                        reference: *reference,
                        expected: *expected,
                        actual: *actual,
                        by: by.clone(),
                        at: *at,
                    },
                    _ => return None,
                })
            });
            if let Some(a) = refusal.filter(ApiError::is_refusal) {
                return safe(&crate::tui::i18n::api_error(lang, &a));
            }
        }
        return said_in(lang, e);
    }
    message(e)
}

/// As [`message`], each cause the catalogue knows (the CLI's own refusals, a bad
/// reference) said in `lang`. A cause is left out where the English before quotes it.
fn said_in(lang: crate::tui::i18n::Lang, e: &anyhow::Error) -> String {
    use crate::tui::i18n_cli::{bad_reference, CliError};
    let mut english = String::new();
    let mut out = String::new();
    // The outermost cause may be a context (`with_context`), found only through `e` itself.
    let outer = e.downcast_ref::<CliError>();
    for (i, cause) in e.chain().enumerate() {
        let text = cause.to_string();
        if text.is_empty() || english.contains(&text) {
            continue;
        }
        english.push_str(&text);
        let known = cause
            .downcast_ref::<CliError>()
            .or(outer.filter(|_| i == 0))
            .map(|c| c.text(lang))
            .or_else(|| {
                cause
                    .downcast_ref::<crate::domain::enquiry::BadReference>()
                    .map(|b| bad_reference(lang, b))
            })
            .or_else(|| {
                cause
                    .downcast_ref::<ReportError>()
                    .map(|r| crate::tui::i18n_cli::report_error(lang, r))
            })
            .or_else(|| {
                cause
                    .downcast_ref::<StoreError>()
                    .and_then(|s| crate::tui::i18n_cli::store_not_open(lang, s))
            });
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&known.unwrap_or(text));
    }
    safe(&out)
}

fn cli_code(c: &crate::tui::i18n_cli::CliError) -> u8 {
    if c.is_bad_input() {
        BAD_INPUT
    } else if c.is_store_problem() {
        STORE
    } else {
        REFUSED
    }
}

/// The exit code for an error, from the first cause whose kind is known.
pub fn code(e: &anyhow::Error) -> u8 {
    // A context is found only through `e` itself, not among its causes.
    if let Some(c) = e.downcast_ref::<crate::tui::i18n_cli::CliError>() {
        return cli_code(c);
    }
    for cause in e.chain() {
        let a = cause.downcast_ref::<ApiError>().or_else(|| {
            match cause.downcast_ref::<ReportError>() {
                Some(ReportError::Api(a)) => Some(a),
                _ => None,
            }
        });
        if let Some(a) = a {
            return match a {
                _ if a.is_refusal() => REFUSED,
                ApiError::BadInput(_) => BAD_INPUT,
                _ => STORE,
            };
        }
        if let Some(s) = cause.downcast_ref::<StoreError>() {
            return match s {
                StoreError::Refused(_)
                | StoreError::Hidden(_)
                | StoreError::Conflict { .. }
                | StoreError::NotFound(_)
                | StoreError::Erased(_) => REFUSED,
                _ => STORE,
            };
        }
        if let Some(c) = cause.downcast_ref::<crate::tui::i18n_cli::CliError>() {
            return cli_code(c);
        }
        if cause.downcast_ref::<ImportError>().is_some()
            || cause.downcast_ref::<BadInput>().is_some()
            || cause
                .downcast_ref::<crate::domain::policy::PolicyError>()
                .is_some()
            || cause
                .downcast_ref::<crate::domain::enquiry::BadReference>()
                .is_some()
        {
            return BAD_INPUT;
        }
    }
    REFUSED
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn a_cause_the_message_already_quotes_is_said_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        let e = anyhow::Error::new(ImportError::Io {
            file: PathBuf::from("in.jsonl"),
            source: io,
        });
        let m = message(&e);
        assert_eq!(m.matches("No such file").count(), 1, "{m}");
        assert!(m.starts_with("in.jsonl"), "{m}");
        assert_eq!(code(&e), BAD_INPUT);
        let wrapped = e.context("cannot import");
        assert_eq!(message(&wrapped), format!("cannot import: {m}"));
    }

    #[test]
    fn a_hostile_argument_in_a_message_is_defused() {
        let e = anyhow::anyhow!("unknown status `\u{1b}]0;pwned\u{7}\u{202e}`");
        let m = message(&e);
        assert!(
            !m.contains('\u{1b}') && !m.contains('\u{7}') && !m.contains('\u{202e}'),
            "{m:?}"
        );
    }

    #[test]
    fn kinds_give_their_codes() {
        let refused = anyhow::Error::new(StoreError::NotFound(
            crate::domain::enquiry::Reference::new(2026, 1),
        ));
        assert_eq!(code(&refused), REFUSED);
        let store = anyhow::Error::new(StoreError::Server("gone".into()));
        assert_eq!(code(&store), STORE);
        // Through the `Api` the same kinds give the same codes.
        let conflict = anyhow::Error::new(ApiError::from(StoreError::NotFound(
            crate::domain::enquiry::Reference::new(2026, 1),
        )));
        assert_eq!(code(&conflict), REFUSED);
        let damaged = anyhow::Error::new(ApiError::Damaged("broken".into()));
        assert_eq!(code(&damaged), STORE);
        let bad = anyhow::Error::new(ApiError::BadInput("no such query".into()));
        assert_eq!(code(&bad), BAD_INPUT);
    }

    #[test]
    fn the_clis_own_refusals_are_said_in_danish_even_under_a_context() {
        use crate::tui::i18n::Lang;
        use crate::tui::i18n_cli::CliError;
        let e = anyhow::Error::new(CliError::NeedsReason { what: "close" });
        assert_eq!(message_in(Lang::En, &e), message(&e));
        assert_eq!(
            message_in(Lang::Da, &e),
            "close: angiv begrundelsen med --why \"…\""
        );
        let io = std::io::Error::other("disk full");
        let e = anyhow::Error::new(io).context(CliError::NothingImported);
        assert_eq!(message_in(Lang::Da, &e), "intet blev importeret: disk full");
        assert_eq!(code(&e), BAD_INPUT);
        let bad = "x"
            .parse::<crate::domain::enquiry::Reference>()
            .unwrap_err();
        let e = anyhow::Error::new(bad).context("show");
        assert!(message_in(Lang::Da, &e).starts_with("show: `x` er ikke et sagsnummer"));
    }

    #[test]
    fn the_clis_own_errors_exit_by_their_kind() {
        use crate::tui::i18n_cli::CliError;
        let of = |c: CliError| code(&anyhow::Error::new(c));
        assert_eq!(of(CliError::NeedsReason { what: "close" }), BAD_INPUT);
        assert_eq!(of(CliError::UnknownStatus("x".into())), BAD_INPUT);
        assert_eq!(of(CliError::NoServerToWatch), STORE);
        assert_eq!(of(CliError::ErasingNeedsDpo), REFUSED);
        assert_eq!(
            of(CliError::NotStaff {
                login: "eve".into()
            }),
            REFUSED
        );
    }
}
