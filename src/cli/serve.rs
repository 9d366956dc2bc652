//! `superboard serve`: a small static file server for the web page.
//!
//! Serves the built page — `dist/` by default, which `./build.sh dist` writes with only what the
//! page needs — on 127.0.0.1 with the MIME types a module page needs (`application/wasm` above
//! all — browsers refuse to stream-compile wasm served as anything else). It refuses to serve a
//! source tree (a directory holding `Cargo.toml` or `.git`), and never serves a hidden file or
//! directory (a path part starting with `.`). Only GET and HEAD; one thread per connection;
//! `Connection: close`. Paths are percent-decoded and resolved against the directory; anything
//! that would leave it (`..`, absolute paths, symlinks pointing outside) is refused with 403.
//! Uses `std::net` only.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;

use clap::Args;

/// Arguments of `superboard serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one and prints it).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Directory to serve: the built page (`./build.sh dist` writes `dist/`).
    #[arg(long, default_value = "dist")]
    pub dir: PathBuf,
}

/// Files whose presence marks a source tree, which is never served (it would hand out the
/// sources, `.git` included).
const SOURCE_TREE_MARKERS: [&str; 2] = ["Cargo.toml", ".git"];

/// Largest request head accepted, in bytes.
const MAX_REQUEST_HEAD_BYTES: usize = 16 * 1024;

/// Runs the server until the process is killed; returns the exit status on a startup error.
pub fn run(args: ServeArgs) -> i32 {
    let root = match fs::canonicalize(&args.dir) {
        Ok(root) if root.is_dir() => root,
        Ok(root) => {
            eprintln!("superboard serve: {} is not a directory", root.display());
            return 1;
        }
        Err(error) => {
            eprintln!(
                "superboard serve: {}: {error} (build the page first: ./build.sh dist)",
                args.dir.display()
            );
            return 1;
        }
    };
    if let Some(marker) = SOURCE_TREE_MARKERS.iter().find(|m| root.join(m).exists()) {
        eprintln!(
            "superboard serve: {} holds {marker}: it is a source tree, not a built page. Run \
             ./build.sh dist and serve dist/ (the default)",
            root.display()
        );
        return 1;
    }
    let listener = match TcpListener::bind(("127.0.0.1", args.port)) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!(
                "superboard serve: cannot listen on 127.0.0.1:{}: {error}",
                args.port
            );
            return 1;
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(args.port);
    println!("serving {} on http://127.0.0.1:{port}/", root.display());
    for stream in listener.incoming().flatten() {
        let root = root.clone();
        thread::spawn(move || {
            // A client that hangs up mid-answer is not the server's problem.
            let _ = handle(stream, &root);
        });
    }
    0
}

/// The MIME type for a file name's extension.
pub fn mime_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("ico") => "image/x-icon",
        Some("wav") => "audio/wav",
        Some("txt" | "bas" | "md" | "asm") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Resolve a request target (`/www/main.js?x=1`) to a file under `root`, or `None` when it
/// would leave `root` or is malformed.
pub fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let decoded = percent_decode(path)?;
    let mut resolved = root.to_path_buf();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            // Hidden files and folders (.git, .env, editor droppings) are never served.
            part if part.starts_with('.') => return None,
            part if part.contains('\\') || part.contains('\0') => return None,
            part => resolved.push(part),
        }
    }
    if decoded.ends_with('/') || resolved.is_dir() {
        resolved.push("index.html");
    }
    // Symlinks may point anywhere: check the real path too.
    match fs::canonicalize(&resolved) {
        Ok(real) if real.starts_with(root) => Some(real),
        Ok(_) => None,
        Err(_) => Some(resolved),
    }
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn handle(stream: TcpStream, root: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut head = String::new();
    // Read the request line and headers (which are ignored) up to the blank line.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        head.push_str(&line);
        if head.len() > MAX_REQUEST_HEAD_BYTES {
            return respond(stream, 431, "text/plain", b"request head too large\n", true);
        }
    }
    let mut words = head.lines().next().unwrap_or("").split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let send_body = match method {
        "GET" => true,
        "HEAD" => false,
        _ => return respond(stream, 405, "text/plain", b"only GET and HEAD\n", true),
    };
    let Some(path) = resolve(root, target) else {
        return respond(stream, 403, "text/plain", b"forbidden\n", send_body);
    };
    match fs::read(&path) {
        Ok(body) => respond(stream, 200, mime_type(&path), &body, send_body),
        Err(_) => respond(stream, 404, "text/plain", b"not found\n", send_body),
    }
}

fn respond(
    mut stream: TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    send_body: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Request Header Fields Too Large",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if send_body {
        stream.write_all(body)?;
    }
    stream.flush()
}
