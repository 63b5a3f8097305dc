//! Report formats checked by their consumers: SARIF against the official SARIF 2.1.0 JSON schema
//! (from the `@microsoft/sarif-multitool-linux` npm package, fetched by `.ci/run` into
//! `target/ci/`), JUnit XML read by `junitparser`, GitHub annotations on the draft's lines, and
//! `factcheck figures` on the article.

mod skip;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_factcheck");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const ARTICLE: &str = "../shared/seed/deepseek-r1-article.txt";

fn shared_present() -> bool {
    let present = Path::new(ROOT).join(ARTICLE).is_file();
    if !present {
        skip::skip("../shared is not present");
    }
    present
}

fn factcheck(args: &[&str]) -> Output {
    let cache = tempfile::tempdir().expect("tempdir");
    let mut all: Vec<&str> = args.to_vec();
    let cache_dir = cache.path().to_str().expect("utf-8").to_string();
    all.extend(["--offline", "--cache", &cache_dir]);
    Command::new(BIN)
        .args(&all)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .output()
        .expect("run factcheck")
}

/// Runs a Python snippet with `args`; `None` when Python or the module is missing.
fn python(module: &str, code: &str, args: &[&Path]) -> Option<Output> {
    let probe = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        skip::skip(&format!(
            "the {module} check: python3 with {module} is not installed (.ci/run installs it)"
        ));
        return None;
    }
    Some(
        Command::new("python3")
            .arg("-c")
            .arg(code)
            .args(args)
            .output()
            .expect("python3 runs"),
    )
}

fn write_temp(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    if !shared_present() {
        return;
    }
    let out = factcheck(&["check", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(0));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let doubled = results
        .iter()
        .find(|r| r["partialFingerprints"]["claim"] == "deepseek-r1::nvidia-doubled")
        .expect("the doubled claim");
    assert_eq!(doubled["level"], "error");
    let loc = &doubled["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], ARTICLE);
    assert_eq!(loc["region"]["startLine"], 33);
    assert!(
        doubled["message"]["text"]
            .as_str()
            .expect("text")
            .contains("600.3%")
    );

    let schema = Path::new(ROOT).join("target/ci/sarif-2.1.0.json");
    if !schema.is_file() {
        skip::skip(&format!(
            "schema validation: {} is missing (.ci/run fetches it)",
            schema.display()
        ));
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let check = write_temp(dir.path(), "check.sarif", &out.stdout);
    let figures = factcheck(&["figures", ARTICLE, "--format", "sarif"]);
    let figures = write_temp(dir.path(), "figures.sarif", &figures.stdout);
    let code = "import json, sys, jsonschema\n\
                schema = json.load(open(sys.argv[1]))\n\
                for path in sys.argv[2:]:\n    \
                    jsonschema.validate(json.load(open(path)), schema, format_checker=jsonschema.FormatChecker())\n\
                print('valid')";
    if let Some(v) = python("jsonschema", code, &[&schema, &check, &figures]) {
        assert!(
            v.status.success(),
            "SARIF does not validate: {}",
            String::from_utf8_lossy(&v.stderr)
        );
    }
}

#[test]
fn junit_is_read_by_a_junit_consumer() {
    if !shared_present() {
        return;
    }
    let out = factcheck(&["check", "--format", "junit"]);
    assert_eq!(out.status.code(), Some(0));
    let dir = tempfile::tempdir().expect("tempdir");
    let xml = write_temp(dir.path(), "report.xml", &out.stdout);
    // A failing claim too, to see a failure with its reason.
    let failing = dir.path().join("failing.toml");
    std::fs::write(
        &failing,
        "[[claim]]\nid = \"gpl\"\nstatement = \"R1 is under the GPL <v3> & more.\"\n\
         source = \"https://raw.githubusercontent.com/deepseek-ai/DeepSeek-R1/ed4409d2a9ff2620d88914f3ba2ca5600bceb749/LICENSE\"\n\
         check.contains = \"GNU General Public License\"\n",
    )
    .expect("write");
    let out = factcheck(&[
        "check",
        "--format",
        "junit",
        failing.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let failed = write_temp(dir.path(), "failed.xml", &out.stdout);
    let code = "import sys\nfrom junitparser import JUnitXml, Failure, Skipped\n\
                for path in sys.argv[1:]:\n    \
                    xml = JUnitXml.fromfile(path)\n    \
                    cases = [c for s in xml for c in s]\n    \
                    failures = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]\n    \
                    skipped = [c for c in cases if any(isinstance(r, Skipped) for r in c.result)]\n    \
                    print(len(cases), len(failures), len(skipped), *[f.result[0].message for f in failures])";
    if let Some(v) = python("junitparser", code, &[&xml, &failed]) {
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
        let lines: Vec<String> = String::from_utf8_lossy(&v.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        assert_eq!(lines[0], "21 0 3", "{lines:?}");
        assert!(
            lines[1].starts_with("1 1 0 not_found (expected supported)"),
            "{lines:?}"
        );
    }
}

#[test]
fn github_annotations_land_on_the_articles_lines() {
    if !shared_present() {
        return;
    }
    let out = factcheck(&["check", "--format", "github", "--document", ARTICLE]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("::error ")).collect();
    assert_eq!(errors.len(), 5, "{text}");
    assert!(
        text.contains("::error file=../shared/seed/deepseek-r1-article.txt,line=33,col=167,endLine=33,endColumn=214,title=disputed%3A deepseek-r1%3A%3Anvidia-doubled::"),
        "{text}"
    );
    assert!(
        text.lines().filter(|l| l.starts_with("::notice ")).count() == 3,
        "{text}"
    );
    assert!(
        !text.contains("supported%3A"),
        "supported claims are not annotated"
    );
}

#[test]
fn figures_lists_the_articles_figures_and_their_claims() {
    if !shared_present() {
        return;
    }
    let out = factcheck(&["figures", ARTICLE, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let figures = report["figures"].as_array().expect("figures");
    let texts: Vec<&str> = figures
        .iter()
        .map(|f| f["text"].as_str().expect("text"))
        .collect();
    assert_eq!(
        texts,
        [
            "$5.6 million",
            "nearly 2 million",
            "more than $65 billion",
            "as much as 12%"
        ]
    );
    assert_eq!(
        figures[0]["claims"][0]["claim"],
        "deepseek-r1::training-cost"
    );
    assert_eq!(figures[0]["claims"][0]["verdict"], "supported");
    assert_eq!(figures[0]["start"]["line"], 5);
    assert_eq!(report["summary"]["uncovered"], 0);

    // A draft with a figure no claim covers.
    let dir = tempfile::tempdir().expect("tempdir");
    let draft = write_temp(
        dir.path(),
        "draft.md",
        "Revenue rose **12%** to €3bn on Jan. 27, 2025.\n".as_bytes(),
    );
    let out = factcheck(&["figures", draft.to_str().expect("utf-8")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("draft.md:1:16: note: figure \"12%\" (12%) is covered by no claim"),
        "{text}"
    );
    assert!(text.contains("3 figures and dates"), "{text}");
}
