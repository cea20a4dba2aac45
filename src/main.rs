//! The `triage` command line: parses arguments and dispatches; the work happens in the library.

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use triage::cli::{self, CaseAction, Global};
use triage::domain::sanitize::sanitize_text;

// sled allocates for every key it writes; with mimalloc an import runs about 40 % faster
// than with glibc's allocator (measured with `triage bench --only import`).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "triage",
    version,
    about = "Triage citizen enquiries that carry personal data: register, classify, route, watch the clocks."
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Args)]
struct GlobalArgs {
    /// The store directory (default: the XDG data directory, e.g. ~/.local/share/triage/store)
    #[arg(long, global = true, env = "TRIAGE_DB")]
    db: Option<PathBuf>,
    /// A policy file to work under instead of the one the store was set up with
    #[arg(long, global = true, env = "TRIAGE_POLICY")]
    policy: Option<PathBuf>,
    /// Connect to the triage server on this socket (default: the socket beside the store, if a server answers there)
    #[arg(long, global = true, env = "TRIAGE_SERVER")]
    server: Option<PathBuf>,
    /// Interface and report language (default: `lang` in ~/.config/triage/config.toml, else en)
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Da,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Jsonl,
    Csv,
}

#[derive(Subcommand)]
enum Cmd {
    /// Create a fresh demo store from the bundled sample data and open the interface
    Demo {
        /// Only seed the store and print a summary; do not open the interface
        #[arg(long)]
        no_ui: bool,
    },
    /// Create a new store under a policy (the only way besides `demo`; mode 0700)
    Init {
        /// Mark it as a test store, whose clock TRIAGE_NOW may fix
        #[arg(long)]
        test_clock: bool,
    },
    /// Import enquiries: JSON Lines (.jsonl), e-mails (.eml), mbox files, maildir folders
    Import {
        /// Files or maildir folders to import, each all or nothing
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Write refused messages (with the reason) to this folder and import the rest
        #[arg(long, value_name = "DIR")]
        quarantine: Option<PathBuf>,
    },
    /// List cases
    Cases {
        /// One JSON object a line instead of a table
        #[arg(long)]
        json: bool,
        /// Only cases with this status (new, triaged, routed, answered, closed, handed-over, erased)
        #[arg(long)]
        status: Option<String>,
    },
    /// Show one case
    Show {
        /// The case reference, e.g. 2026-000012
        reference: String,
        /// The case as JSON (CPR numbers masked)
        #[arg(long)]
        json: bool,
    },
    /// Give a command on a case (the same commands the interface gives)
    #[command(after_help = "Examples:
  triage case 2026-000012 classify --confirm health,cpr
  triage case 2026-000012 purpose data-subject-rights --right access
  triage case 2026-000012 route --to immigration-service --basis gdpr-6-1-e --why \"The Service decides the residence case\"
  triage case 2026-000012 decide granted
  triage case 2026-000012 close --why \"Answered by letter\"")]
    Case {
        /// The case reference, e.g. 2026-000012
        reference: String,
        /// The case version you decided on (default: the current one)
        #[arg(long = "at-version")]
        at_version: Option<u64>,
        #[command(subcommand)]
        action: CaseAction,
    },
    /// Export every case
    Export {
        /// JSON Lines (one case a line) or CSV
        #[arg(long, value_enum, default_value = "jsonl")]
        format: ExportFormat,
        /// Show CPR numbers in clear (logged as a reveal in the access log)
        #[arg(long)]
        reveal: bool,
    },
    /// The audit chain
    Audit {
        #[command(subcommand)]
        action: AuditCmd,
    },
    /// Reports: access (Art. 15), ropa (Art. 30), disclosures, deadlines, ruling
    Report {
        #[command(subcommand)]
        what: cli::report::ReportCmd,
    },
    /// Full-text search over every enquiry: "phrases", -word, subject:/body:/from:/note:/attachment:
    Search {
        /// Words, "a phrase", -word to exclude, field:word (subject, body, from, note, attachment)
        query: String,
        /// Hits as JSON
        #[arg(long)]
        json: bool,
        /// Show at most N cases, best first
        #[arg(long, default_value_t = cli::search::DEFAULT_LIMIT)]
        limit: usize,
    },
    /// Write a consistent, checksummed copy of the store to FILE
    Backup {
        /// Where to write the backup (and FILE.manifest beside it)
        file: PathBuf,
    },
    /// Restore a backup into a new store (the --db path must not hold a store)
    Restore {
        /// The backup file to restore
        file: PathBuf,
        /// Then replay the journal records written after the backup, from this journal (or
        /// store) directory, e.g. the damaged store's: every acknowledged command comes back
        #[arg(long, value_name = "DIR")]
        journal: Option<PathBuf>,
        /// With --journal: replay up to a damaged record instead of refusing
        #[arg(long, requires = "journal")]
        until_damage: bool,
    },
    /// Read every value of the store (or of a backup), check indexes and the audit chain; changes nothing
    Check {
        /// Check this backup file instead of the store
        #[arg(long)]
        backup: Option<PathBuf>,
        /// The findings as JSON
        #[arg(long)]
        json: bool,
    },
    /// Cases due for an archival version or for deletion; --apply erases what is due
    Retention {
        /// The date to judge by (default today; --apply refuses a later one)
        #[arg(long = "as-of")]
        as_of: Option<chrono::NaiveDate>,
        /// Erase what is due, after the archives approved it (needs the dpo role)
        #[arg(long)]
        apply: bool,
        /// Apply without asking for confirmation
        #[arg(long)]
        yes: bool,
        /// The list as JSON
        #[arg(long)]
        json: bool,
    },
    /// Archival versions for the State Archives (SIARD-DK): create, verify, receipt, list
    Archive {
        #[command(subcommand)]
        what: cli::archive::ArchiveCmd,
    },
    /// Generate a synthetic store of N cases (for benchmarks and demos at scale)
    Gen {
        /// How many cases to generate
        #[arg(long)]
        cases: u64,
        /// The random seed: the same seed gives the same store
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Fuzzy-filter the lines of FILE like `fzf --filter` (best match first)
    Filter {
        /// The fuzzy query
        #[arg(long)]
        query: String,
        /// The file whose lines are filtered
        file: PathBuf,
    },
    /// Measure the performance figures on a generated store and print them with their targets
    Bench {
        /// Cases to generate when the store (--db, or --keep) is empty
        #[arg(long, default_value_t = 100_000)]
        cases: u64,
        /// Keep the generated store here for the next run
        #[arg(long)]
        keep: Option<PathBuf>,
        /// Run only this part
        #[arg(long, value_enum)]
        only: Option<cli::bench::Only>,
    },
    /// Rewrite the store into fresh files so nothing erased survives in them
    Compact,
    /// Rebuild a damaged store from its journal (the old files are moved aside, not deleted)
    Recover,
    /// Apply a stream of commands, acknowledging each once durable (for the crash test)
    #[command(hide = true)]
    Stress {
        /// How many commands to apply
        #[arg(long, default_value_t = 1000)]
        ops: u64,
    },
    /// Serve the store to every interface on this machine over a Unix socket, until SIGTERM
    Serve {
        /// The socket to listen on (default: TRIAGE_SERVER if set, else beside the store, e.g. /var/lib/triage/store.sock)
        #[arg(long)]
        socket: Option<PathBuf>,
        /// Permission bits of the socket file; connecting needs write permission
        #[arg(long, default_value = "0660", value_parser = cli::parse_mode)]
        socket_mode: u32,
        /// Group given the socket file: its members may connect (with the default mode)
        #[arg(long)]
        socket_group: Option<String>,
        /// Connections served at once; more are refused with a message
        #[arg(long, default_value_t = 256)]
        max_clients: usize,
    },
    /// Print the reference of each case others change, as the server announces it
    Watch {
        /// Stop after this many seconds (default: until interrupted)
        #[arg(long)]
        seconds: Option<u64>,
    },
    /// Print a shell completion script (see the README for where to put it)
    #[command(
        after_help = "Example: triage completions bash > ~/.local/share/bash-completion/completions/triage"
    )]
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: cli::docs::Shell,
    },
    /// Print the manual page (roff), or write one page per subcommand into --dir
    #[command(after_help = "Example: triage man | man -l -")]
    Man {
        /// Write triage.1 and a triage-SUBCOMMAND.1 for every subcommand into this folder
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// The policy in force: purposes, recipients, staff
    Policy {
        /// Store this policy file in the store, for every later opener
        #[arg(long)]
        install: Option<PathBuf>,
        /// Install it even though it removes purposes or recipients cases use (recorded)
        #[arg(long, requires = "install")]
        force: bool,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Recompute the chain and every digest; names the first broken entry
    Verify {
        /// A head line written down earlier (`triage audit head`, the server's log, a backup
        /// manifest): the chain must still extend it
        #[arg(long, value_name = "LINE")]
        against: Option<String>,
    },
    /// Print the chain's head (sequence, time, hash) as one line to keep off the machine
    Head,
    /// Print the audit log
    Log {
        /// Only the entries of this case reference
        #[arg(long = "case")]
        case: Option<String>,
        /// The entries as JSON
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    // Personal data: every file the store writes is private to its owner.
    unsafe {
        libc::umask(0o077);
    }
    // A file-size limit (or a full quota) must surface as a write error we can report,
    // not kill the process half-way.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let args = match Cli::try_parse() {
        Ok(args) => args,
        // clap echoes the offending argument: it passes the one sanitiser like every
        // other byte bound for a terminal.
        Err(e) => {
            let text = e.render().to_string();
            let safe = sanitize_text(&text);
            if e.use_stderr() {
                eprint!("{safe}");
            } else {
                print!("{safe}");
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    // The server keeps SIGPIPE ignored: one client gone must not end the service.
    if !matches!(
        args.command,
        None | Some(Cmd::Demo { no_ui: false }) | Some(Cmd::Serve { .. })
    ) {
        // A CLI piped into `head` ends quietly on a closed pipe instead of panicking.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let packages = matches!(
        &args.command,
        Some(Cmd::Archive {
            what: cli::archive::ArchiveCmd::Create { .. }
        })
    ) || (matches!(
        &args.command,
        Some(Cmd::Bench {
            only: Some(cli::bench::Only::Archive),
            ..
        })
    ) && std::env::var_os(cli::bench_archive::CHILD).is_some());
    if packages {
        triage::alloc::purge_after_ms(10);
    }
    if matches!(&args.command, Some(Cmd::Import { .. })) {
        triage::alloc::keep_freed_memory();
    }
    // A policy is installed in the store, not passed: `--policy` may only dry-run reports
    // and checks, never decide a write (its roles would be the caller's own invention).
    // Generated from the command tree alone: no store, no configuration.
    match &args.command {
        Some(Cmd::Completions { shell }) => {
            cli::docs::completions(&mut Cli::command(), *shell, &mut std::io::stdout());
            return ExitCode::SUCCESS;
        }
        Some(Cmd::Man { dir }) => {
            let done = match dir {
                Some(d) => cli::docs::man_pages(Cli::command(), d).map(|_| ()),
                None => cli::docs::man_page(Cli::command(), &mut std::io::stdout()),
            };
            return match done {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("triage: {}", cli::fail::message(&e));
                    ExitCode::from(cli::fail::BAD_INPUT)
                }
            };
        }
        _ => {}
    }
    let writes = match &args.command {
        None | Some(Cmd::Import { .. }) | Some(Cmd::Case { .. }) | Some(Cmd::Serve { .. }) => true,
        Some(Cmd::Compact)
        | Some(Cmd::Stress { .. })
        | Some(Cmd::Policy {
            install: Some(_), ..
        }) => true,
        Some(Cmd::Retention { apply, .. }) => *apply,
        Some(Cmd::Demo { no_ui }) => !no_ui,
        _ => false,
    };
    if writes && args.global.policy.is_some() {
        eprintln!(
            "triage: --policy (or TRIAGE_POLICY) is for read-only commands: a dry run of reports and checks under another policy. This command changes the store, so it works under the installed policy only; install a new one with `triage policy --install FILE` (admin)."
        );
        return ExitCode::from(2);
    }
    let explicit_lang = args.global.lang.map(|l| match l {
        LangArg::En => triage::domain::enquiry::Language::En,
        LangArg::Da => triage::domain::enquiry::Language::Da,
    });
    let global = Global {
        db: args.global.db,
        policy: args.global.policy,
        da: match args.global.lang {
            Some(l) => matches!(l, LangArg::Da),
            None => {
                let (config, problem) = cli::config::load();
                if let Some(p) = problem {
                    eprintln!("triage: {}", sanitize_text(&p.to_string()));
                }
                config.lang.as_deref() == Some("da")
            }
        },
        server: args.global.server,
    };
    let result = match args.command {
        None => cli::interface(&global),
        Some(Cmd::Demo { no_ui }) => cli::demo::run(&global, !no_ui),
        Some(Cmd::Init { test_clock }) => cli::init::run(&global, test_clock),
        Some(Cmd::Import { files, quarantine }) => {
            cli::import(&global, &files, quarantine.as_deref())
        }
        Some(Cmd::Cases { json, status }) => cli::cases(&global, json, status.as_deref()),
        Some(Cmd::Show { reference, json }) => cli::show(&global, &reference, json),
        Some(Cmd::Case {
            reference,
            at_version,
            action,
        }) => cli::case(&global, &reference, at_version, action),
        Some(Cmd::Export { format, reveal }) => {
            cli::export(&global, matches!(format, ExportFormat::Csv), reveal)
        }
        Some(Cmd::Audit {
            action: AuditCmd::Verify { against },
        }) => cli::audit_verify(&global, against.as_deref()),
        Some(Cmd::Audit {
            action: AuditCmd::Head,
        }) => cli::audit_head(&global),
        Some(Cmd::Audit {
            action: AuditCmd::Log { case, json },
        }) => cli::audit_log(&global, case.as_deref(), json),
        Some(Cmd::Backup { file }) => cli::backup(&global, &file),
        Some(Cmd::Restore {
            file,
            journal,
            until_damage,
        }) => cli::restore(&global, &file, journal.as_deref(), until_damage),
        Some(Cmd::Search { query, json, limit }) => cli::search::run(&global, &query, json, limit),
        Some(Cmd::Check { backup, json }) => cli::check(&global, backup.as_deref(), json),
        Some(Cmd::Retention {
            as_of,
            apply,
            yes,
            json,
        }) => cli::retention::run(&global, as_of, apply, yes, json),
        Some(Cmd::Archive { what }) => cli::archive::run(&global, what),
        Some(Cmd::Gen { cases, seed }) => cli::gen::run(&global, cases, seed),
        Some(Cmd::Filter { query, file }) => cli::filter::run(&file, &query),
        Some(Cmd::Bench { cases, keep, only }) => cli::bench::run(&global, cases, keep, only),
        Some(Cmd::Compact) => cli::compact(&global),
        Some(Cmd::Recover) => cli::recover::run(&global),
        Some(Cmd::Stress { ops }) => cli::stress::run(&global, ops),
        Some(Cmd::Serve {
            socket,
            socket_mode,
            socket_group,
            max_clients,
        }) => cli::serve(
            &global,
            cli::ServeArgs {
                socket,
                mode: socket_mode,
                group: socket_group,
                max_clients,
            },
        ),
        Some(Cmd::Watch { seconds }) => cli::watch(&global, seconds),
        Some(Cmd::Policy { install, force }) => cli::policy(&global, install.as_deref(), force),
        Some(Cmd::Report { what }) => cli::report::run(&global, what, explicit_lang),
        Some(Cmd::Completions { .. }) | Some(Cmd::Man { .. }) => Ok(ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("triage: {}", cli::fail::message_in(global.lang(), &e));
            ExitCode::from(cli::fail::code(&e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subcommand_and_option_has_a_description() {
        Cli::command().debug_assert();
        let missing = cli::docs::undescribed(&Cli::command());
        assert!(missing.is_empty(), "no description in --help: {missing:#?}");
    }

    #[test]
    fn the_walk_finds_an_undescribed_option() {
        let cmd = clap::Command::new("t").about("a tool").subcommand(
            clap::Command::new("sub")
                .about("a sub")
                .arg(clap::Arg::new("to").long("to")),
        );
        assert_eq!(cli::docs::undescribed(&cmd), vec!["t sub --to".to_string()]);
    }
}
