//! The `triage` command line: parses arguments and dispatches; the work happens in the library.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use triage::cli::{self, CaseAction, Global};

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
    /// Import enquiries: JSON Lines (.jsonl), e-mails (.eml), mbox files, maildir folders
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List cases
    Cases {
        #[arg(long)]
        json: bool,
        /// Only cases with this status (new, triaged, routed, answered, closed, handed-over, erased)
        #[arg(long)]
        status: Option<String>,
    },
    /// Show one case
    Show {
        reference: String,
        #[arg(long)]
        json: bool,
    },
    /// Give a command on a case (the same commands the interface gives)
    Case {
        reference: String,
        /// The case version you decided on (default: the current one)
        #[arg(long = "at-version")]
        at_version: Option<u64>,
        #[command(subcommand)]
        action: CaseAction,
    },
    /// Export every case
    Export {
        #[arg(long, value_enum, default_value = "jsonl")]
        format: ExportFormat,
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
    /// Write a consistent, checksummed copy of the store to FILE
    Backup { file: PathBuf },
    /// Restore a backup into a new store (the --db path must not hold a store)
    Restore { file: PathBuf },
    /// Read every value of the store (or of a backup), check indexes and the audit chain; changes nothing
    Check {
        /// Check this backup file instead of the store
        #[arg(long)]
        backup: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Cases due for handover to the State Archives or for deletion; --apply carries it out
    Retention {
        /// The date to judge by (default today)
        #[arg(long = "as-of")]
        as_of: Option<chrono::NaiveDate>,
        /// Record the handovers and erase what is due (needs the dpo role)
        #[arg(long)]
        apply: bool,
        #[arg(long)]
        json: bool,
    },
    /// Generate a synthetic store of N cases (for benchmarks and demos at scale)
    Gen {
        #[arg(long)]
        cases: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Fuzzy-filter the lines of FILE like `fzf --filter` (best match first)
    Filter {
        #[arg(long)]
        query: String,
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
    /// The policy in force: purposes, recipients, staff
    Policy {
        /// Store this policy file in the store, for every later opener
        #[arg(long)]
        install: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Recompute the chain and every digest; names the first broken entry
    Verify,
    /// Print the audit log
    Log {
        #[arg(long = "case")]
        case: Option<String>,
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
    let args = Cli::parse();
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
    let global = Global {
        db: args.global.db,
        policy: args.global.policy,
        da: match args.global.lang {
            Some(l) => matches!(l, LangArg::Da),
            None => {
                let (config, problem) = cli::config::load();
                if let Some(p) = problem {
                    eprintln!("triage: {p}");
                }
                config.lang.as_deref() == Some("da")
            }
        },
        server: args.global.server,
    };
    let result = match args.command {
        None => cli::interface(&global),
        Some(Cmd::Demo { no_ui }) => cli::demo::run(&global, !no_ui),
        Some(Cmd::Import { files }) => cli::import(&global, &files),
        Some(Cmd::Cases { json, status }) => cli::cases(&global, json, status.as_deref()),
        Some(Cmd::Show { reference, json }) => cli::show(&global, &reference, json),
        Some(Cmd::Case {
            reference,
            at_version,
            action,
        }) => cli::case(&global, &reference, at_version, action),
        Some(Cmd::Export { format }) => cli::export(&global, matches!(format, ExportFormat::Csv)),
        Some(Cmd::Audit {
            action: AuditCmd::Verify,
        }) => cli::audit_verify(&global),
        Some(Cmd::Audit {
            action: AuditCmd::Log { case, json },
        }) => cli::audit_log(&global, case.as_deref(), json),
        Some(Cmd::Backup { file }) => cli::backup(&global, &file),
        Some(Cmd::Restore { file }) => cli::restore(&global, &file),
        Some(Cmd::Check { backup, json }) => cli::check(&global, backup.as_deref(), json),
        Some(Cmd::Retention { as_of, apply, json }) => {
            cli::retention::run(&global, as_of, apply, json)
        }
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
        Some(Cmd::Policy { install }) => cli::policy(&global, install.as_deref()),
        Some(Cmd::Report { what }) => cli::report::run(&global, what),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("triage: {e:#}");
            ExitCode::from(1)
        }
    }
}
