//! Where users run factcheck: the composite GitHub Action (`action.yml`) and the pre-commit
//! hooks (`.pre-commit-hooks.yaml`). The files are parsed by the YAML parser of Python's PyYAML,
//! the hooks validated by pre-commit itself (`pre-commit validate-manifest`), and the commands
//! their steps run are run here, as the runner would, in a throwaway project (the build step's
//! `cargo install` is checked against `cargo install --help`, not run: it takes minutes).

mod skip;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_factcheck");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A YAML file as JSON, read by PyYAML; `None` (a skip, or a failure under CI=true) without it.
fn yaml(path: &Path) -> Option<Value> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        ])
        .arg(path)
        .output();
    match out {
        Ok(o) if o.status.success() => Some(serde_json::from_slice(&o.stdout).expect("json")),
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("No module named 'yaml'") => {
            skip::skip("python3 with PyYAML is not installed (.ci/run installs it)");
            None
        }
        Ok(o) => panic!(
            "{} does not parse as YAML: {}",
            path.display(),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(_) => {
            skip::skip("python3 is not installed");
            None
        }
    }
}

/// A project with one passing claim (unsourced, as expected) and one draft.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("factcheck.toml", "offline = true\n");
    write(
        "assertions/a.toml",
        "[document]\npath = \"../draft.md\"\n\n[[claim]]\nid = \"chips\"\n\
         statement = \"Chips are small.\"\nquote = \"chips are small\"\nexpect = \"unsourced\"\n",
    );
    write("draft.md", "We know chips are small.\n");
    dir
}

#[test]
fn the_action_parses_and_its_steps_run() {
    let Some(action) = yaml(&Path::new(ROOT).join("action.yml")) else {
        return;
    };
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_object().expect("inputs");
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let ids: Vec<&str> = steps.iter().filter_map(|s| s["id"].as_str()).collect();
    let text = std::fs::read_to_string(Path::new(ROOT).join("action.yml")).expect("read");
    // Every `${{ inputs.X }}` and `${{ steps.Y... }}` names something defined.
    for expr in text.split("${{").skip(1) {
        let expr = expr.split("}}").next().expect("closed").trim();
        if let Some(name) = expr.strip_prefix("inputs.") {
            assert!(inputs.contains_key(name), "undefined input {name}");
        }
        if let Some(rest) = expr.strip_prefix("steps.") {
            let id = rest.split('.').next().expect("an id");
            assert!(ids.contains(&id), "undefined step {id}");
        }
    }
    for cond in steps.iter().filter_map(|s| s["if"].as_str()) {
        if let Some(rest) = cond.split("inputs.").nth(1) {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-')
                .collect();
            assert!(inputs.contains_key(&name), "undefined input {name} in `if`");
        }
    }

    let dir = project();
    let temp = dir.path().join("runner-temp");
    std::fs::create_dir_all(&temp).expect("mkdir");
    let (output, path_file) = (temp.join("output"), temp.join("path"));
    let bin_dir = Path::new(BIN).parent().expect("bin dir");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = Vec::new();
    for step in steps {
        if let Some(uses) = step["uses"].as_str() {
            let (name, version) = uses.split_once('@').expect("a pinned version");
            assert!(name.contains('/') && version.starts_with('v'), "{uses}");
            continue;
        }
        let script = step["run"].as_str().expect("a step runs or uses");
        assert_eq!(
            step["shell"], "bash",
            "composite run steps name their shell"
        );
        if script.contains("cargo install") {
            let help = Command::new("cargo")
                .args(["install", "--help"])
                .output()
                .expect("cargo");
            let help = String::from_utf8_lossy(&help.stdout);
            for flag in ["--locked", "--path", "--root"] {
                assert!(script.contains(flag) && help.contains(flag), "{flag}");
            }
            continue;
        }
        let script = script
            .replace("${{ inputs.args }}", "--offline")
            .replace("${{ inputs.paths }}", "")
            .replace("${{ steps.key.outputs.root }}", &temp.display().to_string());
        assert!(!script.contains("${{"), "an expression left in {script}");
        let out = Command::new("bash")
            .args(["-eo", "pipefail", "-c", &script])
            .current_dir(dir.path())
            .env("GITHUB_ACTION_PATH", ROOT)
            .env("RUNNER_TEMP", &temp)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_PATH", &path_file)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .expect("bash");
        assert!(
            out.status.success(),
            "step `{}` failed: {}{}",
            step["name"],
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran.push(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let outputs = std::fs::read_to_string(&output).expect("GITHUB_OUTPUT");
    assert!(outputs.contains("key=factcheck-Linux-X64-"), "{outputs}");
    assert!(
        std::fs::read_to_string(&path_file)
            .expect("GITHUB_PATH")
            .contains("runner-temp/bin")
    );
    assert!(
        ran.iter()
            .any(|o| o.starts_with("::notice file=draft.md,line=1,col=9")),
        "{ran:?}"
    );
    let sarif: Value = serde_json::from_slice(
        &std::fs::read(temp.join("factcheck.sarif")).expect("the SARIF file"),
    )
    .expect("json");
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn the_pre_commit_hooks_validate_and_run() {
    let manifest = Path::new(ROOT).join(".pre-commit-hooks.yaml");
    let Some(hooks) = yaml(&manifest) else {
        return;
    };
    match Command::new("pre-commit")
        .arg("validate-manifest")
        .arg(&manifest)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => skip::skip("pre-commit is not installed (.ci/run installs it)"),
    }
    let hooks = hooks.as_array().expect("a list of hooks");
    let hook = |id: &str| {
        hooks
            .iter()
            .find(|h| h["id"] == id)
            .unwrap_or_else(|| panic!("no hook {id}"))
    };
    let files =
        |id: &str| regex::Regex::new(hook(id)["files"].as_str().expect("files")).expect("a regex");
    let assertions = files("factcheck");
    assert!(assertions.is_match("assertions/deepseek-r1.toml"));
    assert!(assertions.is_match("docs/assertions/sub/x.toml"));
    assert!(!assertions.is_match("factcheck.toml"));
    assert!(!assertions.is_match("src/main.rs"));
    let drafts = files("factcheck-drafts");
    assert!(drafts.is_match("drafts/deepseek-r1.md") && drafts.is_match("article.txt"));
    assert!(!drafts.is_match("assertions/a.toml"));

    // Each hook's entry, with the file names pre-commit would pass.
    let dir = project();
    for (id, args) in [
        ("factcheck", vec!["assertions/a.toml"]),
        ("factcheck-drafts", vec![]),
    ] {
        let h = hook(id);
        assert_eq!(h["language"], "rust");
        assert_eq!(h["pass_filenames"], !args.is_empty());
        let entry: Vec<&str> = h["entry"].as_str().expect("entry").split(' ').collect();
        assert_eq!(entry[0], "factcheck");
        let out = Command::new(BIN)
            .args(&entry[1..])
            .args(&args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("factcheck");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("1 claim: 1 passed"));
    }
}
