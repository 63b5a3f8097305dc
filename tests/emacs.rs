//! The language server with Emacs: headless Emacs (Debian's `emacs-nox`, with eglot from
//! `elpa-eglot`: Emacs 28 does not ship it; both installed by `.ci/run`) opens the article, eglot
//! attaches `factcheck lsp`, and flymake's diagnostics are written out.

mod common;
mod skip;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_factcheck");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

const INIT: &str = r#";; Headless Emacs: eglot attaches `factcheck lsp` to the article, flymake collects the diagnostics.
(require 'eglot)
(require 'flymake)
(setq eglot-sync-connect 20 eglot-connect-timeout 30)
(let* ((root (file-name-as-directory (getenv "FACTCHECK_ROOT")))
       (out (getenv "FACTCHECK_EMACS_OUT")))
  ;; The project is the repository (factcheck.toml and assertions/), wherever the draft is.
  (add-hook 'project-find-functions (lambda (_dir) (cons 'transient root)))
  (find-file (getenv "FACTCHECK_ARTICLE"))
  (text-mode)
  (eglot '(text-mode) (project-current) 'eglot-lsp-server
         (list (getenv "FACTCHECK_BIN") "lsp") "plaintext")
  (flymake-start)
  (with-timeout (30 nil)
    (while (null (flymake-diagnostics))
      (accept-process-output nil 0.05)
      (flymake-start)))
  (let ((lines
         (mapcar (lambda (d)
                   (let ((beg (flymake-diagnostic-beg d)))
                     (format "%d:%d:%s:%s"
                             (line-number-at-pos beg)
                             (save-excursion (goto-char beg) (current-column))
                             (flymake-diagnostic-type d)
                             (replace-regexp-in-string
                              "\n" " " (flymake-diagnostic-text d)))))
                 (flymake-diagnostics))))
    (with-temp-file out
      (insert (mapconcat #'identity lines "\n") "\n")))
  (kill-emacs 0))
"#;

#[test]
fn emacs_eglot_shows_the_articles_diagnostics() {
    let article = Path::new(ROOT).join("../shared/seed/deepseek-r1-article.txt");
    if !article.is_file() {
        skip::skip("../shared is not present");
        return;
    }
    // `-q` (no init file) keeps Debian's site start-up, which puts elpa-eglot on the load path.
    let probe = Command::new("emacs")
        .args(["--batch", "-q", "--eval", "(require 'eglot)"])
        .output();
    match probe {
        Err(_) => {
            skip::skip(
                "Emacs is not installed (`apt-get install emacs-nox elpa-eglot`; .ci/run does it)",
            );
            return;
        }
        Ok(o) if !o.status.success() => {
            skip::skip("Emacs has no eglot (`apt-get install elpa-eglot`; .ci/run does it)");
            return;
        }
        Ok(_) => {}
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let init = dir.path().join("init.el");
    std::fs::write(&init, INIT).expect("init.el");
    let out = dir.path().join("diagnostics.txt");
    let mut child = Command::new("emacs")
        .args(["--batch", "-q", "-l"])
        .arg(&init)
        .current_dir(ROOT)
        .env("FACTCHECK_BIN", BIN)
        .env(
            "FACTCHECK_ROOT",
            Path::new(ROOT).canonicalize().expect("root"),
        )
        .env(
            "FACTCHECK_ARTICLE",
            article.canonicalize().expect("article"),
        )
        .env("FACTCHECK_EMACS_OUT", &out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("emacs starts");
    common::project::wait_within(&mut child, Duration::from_secs(60), "Emacs");
    let got = std::fs::read_to_string(&out).expect("Emacs wrote the diagnostics");
    let lines: Vec<&str> = got.lines().collect();
    // line (1-based):column (0-based):flymake type:message
    let count = |kind: &str| {
        lines
            .iter()
            .filter(|l| l.split(':').nth(2) == Some(kind))
            .count()
    };
    assert_eq!(count("eglot-error"), 5, "{got}");
    assert_eq!(count("eglot-note"), 3, "{got}");
    assert!(
        lines.iter().any(|l| l.starts_with(
            "33:166:eglot-error:factcheck [deepseek-r1::nvidia-doubled]: disputed: Nvidia's shares doubled"
        )),
        "{got}"
    );
}
