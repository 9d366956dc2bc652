//! `superboard serve`: MIME types, index.html for directories, 404, no way out of the served
//! directory, no hidden files, and never a source tree. Starts the real binary on a free port
//! (`--port 0`).
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

struct Server {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start(name: &str) -> Server {
    let dir = std::env::temp_dir().join(format!("superboard-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("site/www/pkg")).unwrap();
    std::fs::write(
        dir.join("site/index.html"),
        "<!doctype html><title>t</title>",
    )
    .unwrap();
    std::fs::write(dir.join("site/www/main.js"), "export {};").unwrap();
    std::fs::write(dir.join("site/www/style.css"), "body{}").unwrap();
    std::fs::write(dir.join("site/www/pkg/x_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("site/my tape.bas"), "10 PRINT 1\n").unwrap();
    std::fs::create_dir_all(dir.join("site/.hidden")).unwrap();
    std::fs::write(dir.join("site/.hidden/config"), "hidden").unwrap();
    std::fs::write(dir.join("site/.env"), "hidden").unwrap();
    std::fs::write(dir.join("secret.txt"), "outside").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_superboard"))
        .args(["serve", "--port", "0", "--dir"])
        .arg(dir.join("site"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    Server { child, port, dir }
}

/// Sends a raw request; returns (status, head, body).
fn request(server: &Server, raw_target: &str, method: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(stream, "{method} {raw_target} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header/body separator");
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, response[split + 4..].to_vec())
}

fn content_type(head: &str) -> String {
    head.lines()
        .find_map(|l| l.strip_prefix("Content-Type: "))
        .unwrap_or("")
        .to_string()
}

#[test]
fn serves_files_with_their_mime_types() {
    let server = start("mime");
    let (status, head, body) = request(&server, "/", "GET");
    assert_eq!(status, 200);
    assert!(content_type(&head).starts_with("text/html"));
    assert!(body.starts_with(b"<!doctype html>"));
    let (_, head, _) = request(&server, "/www/main.js?v=2", "GET");
    assert!(content_type(&head).starts_with("text/javascript"), "{head}");
    let (_, head, _) = request(&server, "/www/style.css", "GET");
    assert!(content_type(&head).starts_with("text/css"));
    let (status, head, body) = request(&server, "/www/pkg/x_bg.wasm", "GET");
    assert_eq!(status, 200);
    assert_eq!(content_type(&head), "application/wasm");
    assert_eq!(body, b"\0asm\x01\0\0\0");
    let (status, _, body) = request(&server, "/my%20tape.bas", "GET");
    assert_eq!((status, body.as_slice()), (200, &b"10 PRINT 1\n"[..]));
}

#[test]
fn head_sends_no_body_and_other_methods_are_refused() {
    let server = start("head");
    let (status, head, body) = request(&server, "/www/main.js", "HEAD");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Length: 10"), "{head}");
    assert!(body.is_empty());
    assert_eq!(request(&server, "/", "POST").0, 405);
}

#[test]
fn missing_files_are_404_and_nothing_outside_the_directory_is_served() {
    let server = start("escape");
    assert_eq!(request(&server, "/nope.js", "GET").0, 404);
    for target in [
        "/../secret.txt",
        "/www/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/www/..\\..\\secret.txt",
    ] {
        let (status, _, body) = request(&server, target, "GET");
        assert!(status == 403 || status == 404, "{target}: {status}");
        assert!(
            !String::from_utf8_lossy(&body).contains("outside"),
            "{target}"
        );
    }
}

#[test]
fn hidden_files_and_folders_are_never_served() {
    let server = start("hidden");
    for target in ["/.env", "/.hidden/config", "/%2eenv", "/www/../.env"] {
        let (status, _, body) = request(&server, target, "GET");
        assert_eq!(status, 403, "{target}");
        assert!(
            !String::from_utf8_lossy(&body).contains("hidden"),
            "{target}"
        );
    }
}

#[test]
fn a_source_tree_is_refused_in_words() {
    let dir = std::env::temp_dir().join(format!("superboard-serve-tree-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("Cargo.toml"), "[package]\n").unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_superboard"))
        .args(["serve", "--port", "0", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(output.status.code(), Some(1));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("holds Cargo.toml"), "{message}");
    assert!(message.contains("./build.sh dist"), "{message}");

    // The default folder is dist/: missing, it says how to make it.
    let output = Command::new(env!("CARGO_BIN_EXE_superboard"))
        .args(["serve", "--port", "0"])
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("dist") && message.contains("./build.sh dist"),
        "{message}"
    );
}
