//! The language server with a real editor: headless Neovim (Debian's package, installed by
//! `.ci/run`) opens the article, attaches `factcheck lsp`, and reports the diagnostics it got.

mod common;
mod skip;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_factcheck");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

const INIT: &str = r#"
local client = vim.lsp.start_client({
  name = "factcheck",
  cmd = { os.getenv("FACTCHECK_BIN"), "lsp" },
  root_dir = os.getenv("FACTCHECK_ROOT"),
})
vim.lsp.buf_attach_client(0, client)
vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(lines, string.format("%d:%d:%d:%s", d.lnum, d.col, d.severity, d.message:gsub("\n", " ")))
end
vim.fn.writefile(lines, os.getenv("FACTCHECK_NVIM_OUT"))
vim.cmd("qa!")
"#;

#[test]
fn neovim_shows_the_articles_diagnostics() {
    let article = Path::new(ROOT).join("../shared/seed/deepseek-r1-article.txt");
    if !article.is_file() {
        skip::skip("../shared is not present");
        return;
    }
    if Command::new("nvim").arg("--version").output().is_err() {
        skip::skip("Neovim is not installed (`apt-get install neovim`; .ci/run does it)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let init = dir.path().join("init.lua");
    std::fs::write(&init, INIT).expect("init.lua");
    let out = dir.path().join("diagnostics.txt");
    let mut child = Command::new("nvim")
        .args(["--headless", "-n", "-i", "NONE", "-u", "NONE", "-c"])
        .arg(format!("luafile {}", init.display()))
        .arg(article.canonicalize().expect("article"))
        .current_dir(ROOT)
        .env("FACTCHECK_BIN", BIN)
        .env(
            "FACTCHECK_ROOT",
            Path::new(ROOT).canonicalize().expect("root"),
        )
        .env("FACTCHECK_NVIM_OUT", &out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nvim starts");
    common::project::wait_within(&mut child, Duration::from_secs(60), "Neovim");
    let got = std::fs::read_to_string(&out).expect("Neovim wrote the diagnostics");
    let lines: Vec<&str> = got.lines().collect();
    let errors: Vec<&&str> = lines
        .iter()
        .filter(|l| l.split(':').nth(2) == Some("1"))
        .collect();
    let hints = lines
        .iter()
        .filter(|l| l.split(':').nth(2) == Some("4"))
        .count();
    assert_eq!(errors.len(), 5, "{got}");
    assert_eq!(hints, 3, "{got}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("32:166:1:disputed: Nvidia's shares doubled")),
        "{got}"
    );
}
