//! `triage completions SHELL` and `triage man`: shell completions and manual pages, both
//! generated from the same command tree as `--help`, so they never go stale.

use anyhow::{Context as _, Result};
use clap::ValueEnum;
use std::io::Write;
use std::path::Path;

/// The shells completions are written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// GNU Bash
    Bash,
    /// Z shell
    Zsh,
    /// fish
    Fish,
}

/// The completion script for `shell`, for the command tree `cmd` named `name`.
pub fn completions(cmd: &mut clap::Command, shell: Shell, out: &mut dyn Write) {
    let name = cmd.get_name().to_string();
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    clap_complete::generate(shell, cmd, name, out);
}

/// The manual page of `cmd` (section 1, roff) to `out`.
pub fn man_page(cmd: clap::Command, out: &mut dyn Write) -> Result<()> {
    clap_mangen::Man::new(cmd)
        .render(out)
        .context("cannot write the manual page")
}

/// Every page into `dir`: `triage.1` and one `triage-SUB.1` per subcommand, nested ones
/// as `triage-case-route.1`, so `man triage-case-route` answers.
pub fn man_pages(cmd: clap::Command, dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    let mut cmd = cmd;
    cmd.build();
    write_tree(&cmd, cmd.get_name(), dir, &mut written)?;
    Ok(written)
}

fn write_tree(
    cmd: &clap::Command,
    name: &str,
    dir: &Path,
    written: &mut Vec<std::path::PathBuf>,
) -> Result<()> {
    let path = dir.join(format!("{name}.1"));
    let mut bytes = Vec::new();
    // clap takes a command's name as a static string; a few dozen short names for the life
    // of a process that ends right after.
    let page_name: &'static str = Box::leak(name.to_string().into_boxed_str());
    man_page(cmd.clone().name(page_name), &mut bytes)?;
    std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    written.push(path);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.get_name() == "help" {
            continue;
        }
        write_tree(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}

/// Options and positional arguments anywhere in the tree that have no description:
/// `triage case route --to`, …; empty when every one is described.
pub fn undescribed(cmd: &clap::Command) -> Vec<String> {
    let mut cmd = cmd.clone();
    cmd.build();
    let mut missing = Vec::new();
    walk(&cmd, cmd.get_name().to_string(), &mut missing);
    missing
}

fn walk(cmd: &clap::Command, path: String, missing: &mut Vec<String>) {
    if cmd.is_hide_set() {
        return;
    }
    if cmd.get_about().is_none() && cmd.get_long_about().is_none() {
        missing.push(path.clone());
    }
    for arg in cmd.get_arguments() {
        if arg.is_hide_set() || arg.get_help().is_some() || arg.get_long_help().is_some() {
            continue;
        }
        let name = match arg.get_long() {
            Some(l) => format!("--{l}"),
            None => arg.get_id().to_string(),
        };
        missing.push(format!("{path} {name}"));
    }
    for sub in cmd.get_subcommands() {
        walk(sub, format!("{path} {}", sub.get_name()), missing);
    }
}
