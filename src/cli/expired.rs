//! `factcheck check --expired`: the expectations whose `until` has passed or ends within
//! [`EXPIRING_WITHIN_DAYS`] days, listed without checking anything; and today's date for
//! `check` (`--today`, else `FACTCHECK_TODAY`, else the UTC date).

use std::path::Path;

use jiff::civil::Date;
use serde::Serialize;

use crate::config::Config;
use crate::expiry::{self, EXPIRING_WITHIN_DAYS, Standing};
use crate::run::{Filter, ShardBy};
use crate::spec::AssertionFile;

use super::check::CheckArgs;
use super::{CliError, EXIT_FAILED, EXIT_OK, FormatArg};

/// Today: `--today`, else `FACTCHECK_TODAY`, else the system clock's date in UTC.
pub fn today(flag: Option<&str>) -> Result<Date, CliError> {
    match flag {
        Some(s) => expiry::parse_date(s).ok_or_else(|| {
            CliError::Invalid(
                expiry::DateError {
                    what: "--today".to_owned(),
                    value: s.to_owned(),
                }
                .to_string(),
            )
        }),
        None => expiry::today().map_err(|e| CliError::Invalid(e.to_string())),
    }
}

/// How many of a file's expectations end within [`EXPIRING_WITHIN_DAYS`] days (not expired).
pub fn expiring(file: &AssertionFile, today: Date) -> usize {
    file.claims
        .iter()
        .filter_map(|c| c.until)
        .filter(|u| matches!(expiry::standing(u.date, today), Standing::Expiring { .. }))
        .count()
}

/// One expectation that is due, as `--expired --format json` lists it.
#[derive(Debug, Serialize)]
struct Due {
    file: String,
    line: usize,
    column: usize,
    claim: String,
    until: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<String>,
    /// `expired` or `expiring`.
    status: &'static str,
    /// Days since `until` (expired) or left until it (expiring).
    days: i64,
    #[serde(skip)]
    text: String,
}

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    today: String,
    expired: usize,
    expiring: usize,
    expectations: &'a [Due],
}

/// Runs `check --expired`: exit 1 when an expectation has expired, else 0.
pub fn run(args: &CheckArgs, config: &Config, cwd: &Path, today: Date) -> Result<u8, CliError> {
    if !matches!(args.format, FormatArg::Human | FormatArg::Json) {
        return Err(CliError::Invalid(
            "--expired lists expectations as human lines or JSON (--format human|json)".to_owned(),
        ));
    }
    let filter = Filter {
        text: args.filter.clone(),
        partition: args.partition,
        shard_by: ShardBy::Page,
    };
    let mut due = Vec::new();
    crate::spec::each_file(&super::suite_paths(&args.paths, config, cwd), |f| {
        for claim in &f.claims {
            let Some(until) = claim.until else { continue };
            if !filter.selects(&f, claim) {
                continue;
            }
            let standing = expiry::standing(until.date, today);
            let (status, days) = match standing {
                Standing::Expired { days_ago } => ("expired", days_ago),
                Standing::Expiring { days_left } => ("expiring", days_left),
                Standing::Open => continue,
            };
            due.push(Due {
                file: f.path.display().to_string(),
                line: until.pos.line,
                column: until.pos.column,
                claim: format!("{}::{}", f.stem(), claim.id),
                until: until.date.to_string(),
                why: claim.why.clone(),
                status,
                days,
                text: expiry::describe(until.date, standing),
            });
        }
    })
    .map_err(super::diagnostics)?;
    let expired = due.iter().filter(|d| d.status == "expired").count();
    let expiring = due.len() - expired;
    let text = match args.format {
        FormatArg::Json => {
            let report = Report {
                version: 1,
                today: today.to_string(),
                expired,
                expiring,
                expectations: &due,
            };
            let mut s = serde_json::to_string_pretty(&report).map_err(|e| CliError::failed(&e))?;
            s.push('\n');
            s
        }
        _ => human(&due, expired, expiring, today),
    };
    super::emit(args.output.as_ref(), &text)?;
    Ok(if expired > 0 { EXIT_FAILED } else { EXIT_OK })
}

/// Compiler-style lines (`error` for an expired expectation, `warning` for one expiring), then
/// a summary.
fn human(due: &[Due], expired: usize, expiring: usize, today: Date) -> String {
    let mut s = String::new();
    for d in due {
        let level = if d.status == "expired" {
            "error"
        } else {
            "warning"
        };
        s.push_str(&format!(
            "{}:{}:{}: {level}: {}: {}",
            d.file, d.line, d.column, d.claim, d.text
        ));
        if let Some(why) = &d.why {
            s.push_str(&format!(" — {why}"));
        }
        s.push('\n');
    }
    if due.is_empty() {
        s.push_str(&format!(
            "no expectation has expired or ends within {EXPIRING_WITHIN_DAYS} days (today is {today}, UTC)\n"
        ));
    } else {
        s.push_str(&format!(
            "\n{expired} expired, {expiring} ending within {EXPIRING_WITHIN_DAYS} days (today is {today}, UTC)\n"
        ));
    }
    s
}
