//! Who may see which case through the server: the read rule beside the command rule.
//!
//! Commands are already decided by `Command::permitted` (lifting a hold or a restriction,
//! erasure and the retention assessment are the DPO's; handover also the administrator's).
//! Reads add one rule. A case restricted under Art. 23 — typically because it was disclosed
//! to the police, PET or FE — is need-to-know inside the authority too: only the DPO, an
//! administrator, the case's assignee, and the person who restricted it may list it, read
//! it, act on it or hear that it changed. Everyone else on the queue never sees it. Every
//! other case is open to all staff, as the shared queue needs. Tombstones of erased cases
//! hold no personal data and are visible to all staff.

use crate::domain::case::{Case, CaseRecord};
use crate::domain::command::Refusal;
use crate::domain::policy::Role;
use crate::store::Actor;

/// What the rule looks at in a case: whether it is restricted, and who holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visibility {
    pub restricted: bool,
    pub assignee: Option<String>,
    /// Who set the restriction (they know of the case already).
    pub restricted_by: Option<String>,
}

impl Visibility {
    pub fn of_case(case: &Case) -> Visibility {
        Visibility {
            restricted: case.restriction.is_some(),
            assignee: case.assignee.clone(),
            restricted_by: case.restriction.as_ref().map(|f| f.set.by.clone()),
        }
    }

    /// A tombstone is visible to all staff: None.
    pub fn of_record(rec: &CaseRecord) -> Option<Visibility> {
        match rec {
            CaseRecord::Live(c) => Some(Visibility::of_case(c)),
            CaseRecord::Erased(_) => None,
        }
    }
}

/// May `actor` see a case with this visibility?
pub fn may_read(actor: &Actor, v: &Visibility) -> bool {
    if !v.restricted {
        return true;
    }
    if actor
        .roles
        .iter()
        .any(|r| matches!(r, Role::Dpo | Role::Admin))
    {
        return true;
    }
    v.assignee.as_deref() == Some(actor.login.as_str())
        || v.restricted_by.as_deref() == Some(actor.login.as_str())
}

/// May `actor` see this record?
pub fn may_read_record(actor: &Actor, rec: &CaseRecord) -> bool {
    Visibility::of_record(rec).is_none_or(|v| may_read(actor, &v))
}

/// Whole-store operations and the roles they need: one rule for the embedded store and the
/// server alike (case commands have theirs in `Command::permitted`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// A copy of every case leaves the store.
    Backup,
    Check,
    InstallPolicy,
    /// The audit chain and the log of reads (who looked at what).
    ReadAudit,
    /// Make an archival version (every packaged case leaves the store) or record its approval.
    Archive,
}

impl Operation {
    pub fn action(self) -> &'static str {
        match self {
            Operation::Backup => "backup",
            Operation::Check => "check",
            Operation::InstallPolicy => "install-policy",
            Operation::ReadAudit => "audit",
            Operation::Archive => "archive",
        }
    }

    fn needs(self) -> (&'static [Role], &'static str) {
        match self {
            Operation::Backup | Operation::Check | Operation::InstallPolicy => {
                (&[Role::Admin], "admin")
            }
            Operation::ReadAudit | Operation::Archive => {
                (&[Role::Dpo, Role::Admin], "dpo or admin")
            }
        }
    }
}

/// May `actor` carry out `op`? The refusal names the role it needs.
pub fn permit(actor: &Actor, op: Operation) -> Result<(), Refusal> {
    let (roles, needs) = op.needs();
    if actor.roles.iter().any(|r| roles.contains(r)) {
        return Ok(());
    }
    Err(Refusal::NotPermitted {
        action: op.action(),
        needs,
        have: actor
            .roles
            .iter()
            .map(|r| r.as_id())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(login: &str, roles: &[Role]) -> Actor {
        Actor {
            login: login.into(),
            roles: roles.to_vec(),
        }
    }

    fn restricted(assignee: Option<&str>, by: &str) -> Visibility {
        Visibility {
            restricted: true,
            assignee: assignee.map(String::from),
            restricted_by: Some(by.into()),
        }
    }

    #[test]
    fn an_unrestricted_case_is_open_to_all_staff() {
        let open = Visibility {
            restricted: false,
            assignee: Some("bo".into()),
            restricted_by: None,
        };
        for a in [
            actor("anne", &[Role::Caseworker]),
            actor("dora", &[Role::Dpo]),
            actor("adam", &[Role::Admin]),
        ] {
            assert!(may_read(&a, &open), "{}", a.login);
        }
    }

    #[test]
    fn a_restricted_case_is_hidden_from_other_caseworkers() {
        let v = restricted(Some("bo"), "carl");
        assert!(!may_read(&actor("anne", &[Role::Caseworker]), &v));
        assert!(!may_read(&actor("anne", &[]), &v));
    }

    #[test]
    fn a_restricted_case_is_open_to_dpo_admin_assignee_and_restricter() {
        let v = restricted(Some("bo"), "carl");
        assert!(may_read(&actor("dora", &[Role::Dpo]), &v));
        assert!(may_read(&actor("adam", &[Role::Admin]), &v));
        assert!(may_read(&actor("bo", &[Role::Caseworker]), &v));
        assert!(may_read(&actor("carl", &[Role::Caseworker]), &v));
        assert!(may_read(
            &actor("dora", &[Role::Caseworker, Role::Dpo]),
            &restricted(None, "x")
        ));
    }

    #[test]
    fn an_unassigned_restricted_case_is_not_open_to_a_caseworker_by_accident() {
        // `None == None` must not count as "the assignee".
        let v = Visibility {
            restricted: true,
            assignee: None,
            restricted_by: None,
        };
        assert!(!may_read(&actor("", &[Role::Caseworker]), &v));
    }

    #[test]
    fn tombstones_are_visible_to_all_staff() {
        use crate::domain::case::Stamp;
        use crate::domain::case::Tombstone;
        use crate::domain::enquiry::Reference;
        let t = Tombstone {
            reference: Reference::new(2026, 1),
            purpose: None,
            received: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            closed: None,
            handed_over: None,
            ground: "retention ended".into(),
            erased: Stamp {
                by: "dora".into(),
                at: chrono::Utc::now(),
            },
            version: 3,
        };
        assert!(may_read_record(
            &actor("anne", &[Role::Caseworker]),
            &CaseRecord::Erased(t)
        ));
    }

    #[test]
    fn whole_store_operations_need_their_roles_and_the_refusal_survives_the_wire() {
        let anne = actor("anne", &[Role::Caseworker]);
        let dora = actor("dora", &[Role::Dpo]);
        let olaf = actor("olaf", &[Role::Admin]);
        for op in [
            Operation::Backup,
            Operation::Check,
            Operation::InstallPolicy,
        ] {
            assert!(permit(&anne, op).is_err(), "{op:?}");
            assert!(permit(&dora, op).is_err(), "{op:?}");
            assert!(permit(&olaf, op).is_ok(), "{op:?}");
        }
        assert!(permit(&anne, Operation::ReadAudit).is_err());
        assert!(permit(&dora, Operation::ReadAudit).is_ok());
        assert!(permit(&olaf, Operation::ReadAudit).is_ok());
        let refusal =
            crate::store::StoreError::Refused(permit(&dora, Operation::Backup).unwrap_err());
        assert_eq!(
            refusal.to_string(),
            "backup needs the role admin; you have dpo"
        );
        let back: crate::store::StoreError =
            crate::server::protocol::WireError::from(&refusal).into();
        assert!(matches!(
            back,
            crate::store::StoreError::Refused(Refusal::NotPermitted {
                action: "backup",
                needs: "admin",
                ..
            })
        ));
    }
}
