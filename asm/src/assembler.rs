//! The multi-pass assembler.
//!
//! Every pass walks the source from the top file, expanding `.include`s and macros and
//! evaluating `.if`s, and places bytes at the current address. Symbols keep their values
//! between passes, so a forward reference sees the previous pass's value. Passes repeat until a
//! pass changes no symbol; that last pass's bytes, listing and errors are the result.
//!
//! Instruction sizes never change after the pass that first meets an instruction: an operand
//! whose value is not known there (a forward reference) takes the absolute form, and that
//! choice is recorded and kept. `.org`, `.res` counts and `.if` conditions must be known where
//! they stand (no forward references), so every pass walks the same statements.
//!
//! `.res n` without a fill value only reserves addresses (nothing is placed there, so the image
//! keeps its fill byte and RAM variables can be declared in a ROM source); `.res n, fill`
//! places `n` copies of `fill`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::expr::{Cursor, Env, ExprError, Status, Val};
use crate::lexer::{tokenize, LexError, Tok, Token};
use crate::opcodes::{canonical_mnemonic, modes_of, opcode_for, Mode};

/// Assembler options.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The address assembly starts at before any `.org`.
    pub origin: u16,
}

/// Where source files come from.
pub trait SourceLoader {
    /// Reads a whole file.
    fn load(&mut self, path: &Path) -> std::io::Result<Vec<u8>>;
}

/// Reads sources from the file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct FileSystem;

impl SourceLoader for FileSystem {
    fn load(&mut self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }
}

/// Sources held in memory, keyed by path (for tests and tools).
#[derive(Clone, Debug, Default)]
pub struct MemoryFiles {
    files: HashMap<PathBuf, Vec<u8>>,
}

impl MemoryFiles {
    /// An empty set of files.
    pub fn new() -> MemoryFiles {
        MemoryFiles::default()
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), text.into());
    }
}

impl SourceLoader for MemoryFiles {
    fn load(&mut self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"))
    }
}

/// Assembles a file from the file system.
pub fn assemble_file(
    path: impl AsRef<Path>,
    options: &Options,
) -> Result<Assembly, Vec<Diagnostic>> {
    assemble_with(path.as_ref(), options, &mut FileSystem)
}

/// Assembles source text; `name` is used in messages and as the base for `.include` paths,
/// which are read from the file system.
pub fn assemble_source(
    name: &str,
    text: &str,
    options: &Options,
) -> Result<Assembly, Vec<Diagnostic>> {
    let mut loader = Overlay {
        name: PathBuf::from(name),
        text: text.as_bytes().to_vec(),
    };
    assemble_with(Path::new(name), options, &mut loader)
}

struct Overlay {
    name: PathBuf,
    text: Vec<u8>,
}

impl SourceLoader for Overlay {
    fn load(&mut self, path: &Path) -> std::io::Result<Vec<u8>> {
        if path == self.name {
            Ok(self.text.clone())
        } else {
            std::fs::read(path)
        }
    }
}

/// Assembles the file at `path`, reading it and its includes through `loader`.
pub fn assemble_with(
    path: &Path,
    options: &Options,
    loader: &mut dyn SourceLoader,
) -> Result<Assembly, Vec<Diagnostic>> {
    let mut asm = Asm::new(loader, options);
    let top = match asm.load(path) {
        Ok(id) => id,
        Err(message) => {
            return Err(vec![Diagnostic {
                kind: ErrorKind::Io,
                message: format!("cannot read {}: {message}", path.display()),
                file: path.display().to_string(),
                line: 0,
                col: 0,
                source_line: String::new(),
            }])
        }
    };
    let mut pass = 1;
    loop {
        asm.begin_pass(pass);
        let file = Rc::clone(&asm.files[top]);
        asm.include_stack.push(top);
        asm.run_block(&Block::File(file));
        asm.include_stack.pop();
        asm.settle_constants();
        if (pass >= 2 && !asm.changed) || asm.runaway_reported {
            break;
        }
        if pass == MAX_PASSES {
            asm.diags.push(Diagnostic {
                kind: ErrorKind::BadExpression,
                message: format!("symbol values did not settle after {MAX_PASSES} passes"),
                file: path.display().to_string(),
                line: 0,
                col: 0,
                source_line: String::new(),
            });
            break;
        }
        pass += 1;
    }
    asm.finish()
}

const MAX_PASSES: u32 = 16;
const MAX_MACRO_DEPTH: usize = 32;
const MAX_INCLUDE_DEPTH: usize = 32;
/// Statements per pass before the assembler gives up on a runaway expansion.
const MAX_STATEMENTS: usize = 250_000;
const MEMORY_SIZE: usize = 0x10000;

/// The result of a successful assembly.
#[derive(Clone, Debug)]
pub struct Assembly {
    memory: Vec<u8>,
    used: Vec<bool>,
    /// Every assembled address, ascending.
    written: Vec<u16>,
    listing: String,
    symbols: BTreeMap<String, i64>,
    files: Vec<PathBuf>,
}

/// Why an image could not be cut from an assembly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageError {
    /// `start` is above `end`.
    EmptyRange {
        /// First address asked for.
        start: u16,
        /// Last address asked for.
        end: u16,
    },
    /// Assembled bytes lie outside the range.
    Outside {
        /// The first such address.
        addr: u16,
        /// How many assembled bytes lie outside.
        count: usize,
        /// First address of the range.
        start: u16,
        /// Last address of the range.
        end: u16,
    },
}

impl std::fmt::Display for ImageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImageError::EmptyRange { start, end } => {
                write!(f, "image range ${start:04X}-${end:04X} is empty")
            }
            ImageError::Outside {
                addr,
                count,
                start,
                end,
            } => write!(
                f,
                "{count} assembled byte(s) outside the image range ${start:04X}-${end:04X}, the first at ${addr:04X}"
            ),
        }
    }
}

impl std::error::Error for ImageError {}

impl Assembly {
    /// The bytes from `start` to `end` inclusive, `fill` where nothing was assembled. An error if
    /// any assembled byte lies outside the range.
    pub fn image(&self, start: u16, end: u16, fill: u8) -> Result<Vec<u8>, ImageError> {
        if start > end {
            return Err(ImageError::EmptyRange { start, end });
        }
        let (s, e) = (usize::from(start), usize::from(end));
        let outside: Vec<u16> = self
            .written
            .iter()
            .copied()
            .filter(|&a| a < start || a > end)
            .collect();
        if let Some(&first) = outside.first() {
            return Err(ImageError::Outside {
                addr: first,
                count: outside.len(),
                start,
                end,
            });
        }
        Ok((s..=e)
            .map(|a| if self.used[a] { self.memory[a] } else { fill })
            .collect())
    }

    /// The lowest and highest assembled addresses, if anything was assembled.
    pub fn range(&self) -> Option<(u16, u16)> {
        Some((*self.written.first()?, *self.written.last()?))
    }

    /// The byte assembled at `addr`, if any.
    pub fn byte(&self, addr: u16) -> Option<u8> {
        let a = usize::from(addr);
        self.used[a].then_some(self.memory[a])
    }

    /// The listing: address, bytes and source line for every line assembled (`+` marks lines
    /// coming from a macro expansion).
    pub fn listing(&self) -> &str {
        &self.listing
    }

    /// The global symbols (labels and constants; `@local` labels are left out) and their values.
    pub fn symbol_table(&self) -> &BTreeMap<String, i64> {
        &self.symbols
    }

    /// A symbol's value.
    pub fn symbol(&self, name: &str) -> Option<i64> {
        self.symbols.get(name).copied()
    }

    /// The symbol file: `NAME = $XXXX` per line, sorted by name.
    pub fn symbols(&self) -> String {
        crate::symbols::write_symbols(&self.symbols)
    }

    /// Every source file read (the top file first), for build-script dependency tracking.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }
}

struct SourceFile {
    path: PathBuf,
    name: String,
    lines: Vec<String>,
    tokens: Vec<Result<Vec<Token>, LexError>>,
}

#[derive(Clone, Copy, Debug)]
struct LineRef {
    file: usize,
    line: usize,
}

struct Macro {
    params: Vec<String>,
    body: Vec<LineRef>,
}

enum Block {
    File(Rc<SourceFile>),
    Expansion(Vec<(LineRef, Result<Vec<Token>, LexError>)>),
}

impl Block {
    fn len(&self) -> usize {
        match self {
            Block::File(f) => f.lines.len(),
            Block::Expansion(lines) => lines.len(),
        }
    }

    fn line(&self, i: usize, file_id: usize) -> (LineRef, &Result<Vec<Token>, LexError>) {
        match self {
            Block::File(f) => (
                LineRef {
                    file: file_id,
                    line: i,
                },
                &f.tokens[i],
            ),
            Block::Expansion(lines) => (lines[i].0, &lines[i].1),
        }
    }
}

struct Sym {
    value: Option<i64>,
    pass: u32,
    current: bool,
}

struct Cond {
    parent_active: bool,
    taken: bool,
    in_else: bool,
    at: LineRef,
    col: usize,
}

impl Cond {
    fn active(&self) -> bool {
        self.parent_active && (self.taken != self.in_else)
    }
}

struct Asm<'l> {
    loader: &'l mut dyn SourceLoader,
    origin: u16,
    files: Vec<Rc<SourceFile>>,
    by_path: HashMap<PathBuf, Result<usize, String>>,
    symbols: HashMap<String, Sym>,
    zp_choice: Vec<bool>,
    // Per-pass state.
    pass: u32,
    pc: i64,
    scope: String,
    expansion_scope: Option<String>,
    macros: HashMap<String, Rc<Macro>>,
    instruction_ordinal: usize,
    expansions: usize,
    macro_depth: usize,
    /// Name and call site of each macro expansion in progress, innermost last.
    call_sites: Vec<(String, LineRef)>,
    statements: usize,
    runaway_reported: bool,
    include_stack: Vec<usize>,
    diags: Vec<Diagnostic>,
    changed: bool,
    memory: Vec<u8>,
    used: Vec<bool>,
    written: Vec<u16>,
    listing: Vec<String>,
    undefined: Vec<(String, usize)>,
    /// Constants of this pass whose value was unknown where they were defined (forward
    /// references), in definition order; worked out at the end of the pass.
    deferred: Vec<Deferred>,
}

/// A constant definition waiting for symbols defined after it, with what it takes to evaluate
/// its expression again at the end of the pass.
struct Deferred {
    key: String,
    /// The name as written (`@x` for a local).
    shown: String,
    tokens: Vec<Token>,
    end_col: usize,
    scope: String,
    expansion_scope: Option<String>,
    call_sites: Vec<(String, LineRef)>,
    pc: i64,
    at: LineRef,
}

/// Which address a statement's listing line shows.
enum Shown {
    /// The address the statement starts at.
    Start,
    /// The address after it (`.org`).
    After,
    /// None (constant definitions).
    Nothing,
}

/// What a failed statement step reports.
struct Fail {
    kind: ErrorKind,
    message: String,
    col: usize,
}

type Step<T> = Result<T, Fail>;

fn fail<T>(kind: ErrorKind, col: usize, message: impl Into<String>) -> Step<T> {
    Err(Fail {
        kind,
        message: message.into(),
        col,
    })
}

impl From<ExprError> for Fail {
    fn from(e: ExprError) -> Fail {
        let kind = if e.message == "division by zero" {
            ErrorKind::BadExpression
        } else {
            ErrorKind::Syntax
        };
        Fail {
            kind,
            message: e.message,
            col: e.col,
        }
    }
}

fn punct_is(t: Option<&Token>, p: &str) -> bool {
    matches!(t, Some(Token { tok: Tok::Punct(q), .. }) if *q == p)
}

fn ident_is(t: Option<&Token>, name: &str) -> bool {
    matches!(t, Some(Token { tok: Tok::Ident(n), .. }) if n.eq_ignore_ascii_case(name))
}

fn hex(value: i64) -> String {
    if value < 0 {
        format!("-${:X}", value.unsigned_abs())
    } else {
        format!("${value:X}")
    }
}

impl Env for Asm<'_> {
    fn lookup(&mut self, tok: &Tok, col: usize) -> Val {
        let key = self.key(tok);
        let unknown = Val {
            value: 0,
            status: Status::Unknown,
        };
        match self.symbols.get(&key) {
            Some(sym) => match sym.value {
                Some(value) => Val {
                    value,
                    status: if sym.pass == self.pass && sym.current {
                        Status::Current
                    } else {
                        Status::Provisional
                    },
                },
                None => {
                    // Defined, but its expression has no value (yet): in the final pass that
                    // means a circular or undefined definition, reported where it is used.
                    let shown = match tok {
                        Tok::Local(n) => format!("@{n}"),
                        _ => key,
                    };
                    self.undefined.push((
                        format!("symbol `{shown}` has no value: its definition is circular or uses an undefined symbol"),
                        col,
                    ));
                    unknown
                }
            },
            None => {
                let shown = match tok {
                    Tok::Local(n) => format!("@{n}"),
                    Tok::Ident(n) => n.clone(),
                    _ => String::new(),
                };
                self.undefined
                    .push((format!("undefined symbol `{shown}`"), col));
                unknown
            }
        }
    }

    fn pc(&self) -> i64 {
        self.pc
    }
}

impl<'l> Asm<'l> {
    fn new(loader: &'l mut dyn SourceLoader, options: &Options) -> Asm<'l> {
        Asm {
            loader,
            origin: options.origin,
            files: Vec::new(),
            by_path: HashMap::new(),
            symbols: HashMap::new(),
            zp_choice: Vec::new(),
            pass: 0,
            pc: 0,
            scope: String::new(),
            expansion_scope: None,
            macros: HashMap::new(),
            instruction_ordinal: 0,
            expansions: 0,
            macro_depth: 0,
            call_sites: Vec::new(),
            statements: 0,
            runaway_reported: false,
            include_stack: Vec::new(),
            diags: Vec::new(),
            changed: false,
            memory: vec![0; MEMORY_SIZE],
            used: vec![false; MEMORY_SIZE],
            written: Vec::new(),
            listing: Vec::new(),
            undefined: Vec::new(),
            deferred: Vec::new(),
        }
    }

    fn load(&mut self, path: &Path) -> Result<usize, String> {
        if let Some(r) = self.by_path.get(path) {
            return r.clone();
        }
        let result = match self.loader.load(path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let lines: Vec<String> = text
                    .split('\n')
                    .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
                    .collect();
                let tokens = lines.iter().map(|l| tokenize(l)).collect();
                self.files.push(Rc::new(SourceFile {
                    path: path.to_path_buf(),
                    name: path.display().to_string(),
                    lines,
                    tokens,
                }));
                Ok(self.files.len() - 1)
            }
            Err(e) => Err(e.to_string()),
        };
        self.by_path.insert(path.to_path_buf(), result.clone());
        result
    }

    fn begin_pass(&mut self, pass: u32) {
        self.pass = pass;
        self.pc = i64::from(self.origin);
        self.scope.clear();
        self.expansion_scope = None;
        self.macros.clear();
        self.instruction_ordinal = 0;
        self.expansions = 0;
        self.macro_depth = 0;
        self.call_sites.clear();
        self.statements = 0;
        self.runaway_reported = false;
        self.include_stack.clear();
        self.diags.clear();
        self.changed = false;
        for &a in &self.written {
            self.used[usize::from(a)] = false;
        }
        self.written.clear();
        self.listing.clear();
        self.deferred.clear();
    }

    fn finish(mut self) -> Result<Assembly, Vec<Diagnostic>> {
        if !self.diags.is_empty() {
            let mut seen = std::collections::HashSet::new();
            let diags: Vec<Diagnostic> = self
                .diags
                .drain(..)
                .filter(|d| seen.insert((d.file.clone(), d.line, d.col, d.message.clone())))
                .collect();
            return Err(diags);
        }
        let symbols = self
            .symbols
            .iter()
            .filter(|(k, s)| !k.contains('@') && s.pass == self.pass)
            .filter_map(|(k, s)| s.value.map(|v| (k.clone(), v)))
            .collect();
        self.written.sort_unstable();
        Ok(Assembly {
            memory: self.memory,
            used: self.used,
            written: self.written,
            listing: self
                .listing
                .iter()
                .flat_map(|l| [l.as_str(), "\n"])
                .collect(),
            symbols,
            files: self.files.iter().map(|f| f.path.clone()).collect(),
        })
    }

    fn key(&self, tok: &Tok) -> String {
        match tok {
            Tok::Local(name) => {
                let scope = self.expansion_scope.as_deref().unwrap_or(&self.scope);
                format!("{scope}@{name}")
            }
            Tok::Ident(name) => name.clone(),
            _ => String::new(),
        }
    }

    fn report(&mut self, at: LineRef, kind: ErrorKind, col: usize, message: impl Into<String>) {
        let mut message = message.into();
        if let Some((name, site)) = self.call_sites.last() {
            let caller = &self.files[site.file];
            message.push_str(&format!(
                " (in macro `{name}` called at {}:{})",
                caller.name,
                site.line + 1
            ));
        }
        let file = &self.files[at.file];
        self.diags.push(Diagnostic {
            kind,
            message,
            file: file.name.clone(),
            line: at.line + 1,
            col,
            source_line: file.lines.get(at.line).cloned().unwrap_or_default(),
        });
    }

    fn report_fail(&mut self, at: LineRef, f: Fail) {
        self.report(at, f.kind, f.col, f.message);
    }

    /// Evaluates an expression, noting undefined symbols it uses.
    fn eval(&mut self, cursor: &mut Cursor) -> Result<Val, ExprError> {
        self.undefined.clear();
        cursor.expr(self)
    }

    /// Reports the undefined symbols of the last evaluation.
    fn report_undefined(&mut self, at: LineRef) {
        let undefined = std::mem::take(&mut self.undefined);
        for (message, col) in undefined {
            self.report(at, ErrorKind::UndefinedSymbol, col, message);
        }
    }

    /// An expression whose value must be known here (`.org`, `.res`, `.if`).
    fn eval_now(&mut self, cursor: &mut Cursor, what: &str) -> Step<i64> {
        let col = cursor.col();
        let v = self.eval(cursor)?;
        match v.status {
            Status::Current => Ok(v.value),
            Status::Unknown if !self.undefined.is_empty() => {
                let (message, col) = self.undefined[0].clone();
                self.undefined.clear();
                fail(ErrorKind::UndefinedSymbol, col, message)
            }
            _ => fail(
                ErrorKind::BadExpression,
                col,
                format!("{what} must be known here: it uses a symbol defined later"),
            ),
        }
    }

    fn run_block(&mut self, block: &Block) {
        let file_id = self.include_stack.last().copied().unwrap_or(0);
        let in_macro = matches!(block, Block::Expansion(_));
        let mut conds: Vec<Cond> = Vec::new();
        let mut i = 0;
        while i < block.len() {
            let (at, tokens) = block.line(i, file_id);
            i += 1;
            let active = conds.last().is_none_or(Cond::active);
            let tokens = match tokens {
                Ok(t) => t,
                Err(e) => {
                    if active {
                        self.report(at, ErrorKind::Syntax, e.col, e.message.clone());
                    }
                    continue;
                }
            };
            let directive = match tokens.first() {
                Some(Token {
                    tok: Tok::Directive(d),
                    col,
                }) => Some((d.as_str(), *col)),
                _ => None,
            };
            match directive {
                Some(("if", col)) => {
                    let taken = if active {
                        let mut c = Cursor::new(&tokens[1..], self.end_col(at));
                        let r = self.eval_now(&mut c, "an .if condition").and_then(|v| {
                            if c.at_end() {
                                Ok(v)
                            } else {
                                fail(ErrorKind::Syntax, c.col(), "end of line expected")
                            }
                        });
                        match r {
                            Ok(v) => v != 0,
                            Err(f) => {
                                self.report_fail(at, f);
                                false
                            }
                        }
                    } else {
                        false
                    };
                    conds.push(Cond {
                        parent_active: active,
                        taken,
                        in_else: false,
                        at,
                        col,
                    });
                    if active {
                        self.list_plain(at, in_macro);
                    }
                }
                Some(("else", col)) => {
                    match conds.last_mut() {
                        Some(c) if !c.in_else => c.in_else = true,
                        Some(_) => {
                            self.report(at, ErrorKind::Syntax, col, "second .else for one .if")
                        }
                        None => self.report(at, ErrorKind::Syntax, col, ".else without .if"),
                    }
                    self.check_no_operands(at, tokens);
                    if conds.last().is_none_or(|c| c.parent_active) {
                        self.list_plain(at, in_macro);
                    }
                }
                Some(("endif", col)) => {
                    match conds.pop() {
                        Some(c) if c.parent_active => self.list_plain(at, in_macro),
                        Some(_) => {}
                        None => self.report(at, ErrorKind::Syntax, col, ".endif without .if"),
                    }
                    self.check_no_operands(at, tokens);
                }
                Some(("macro", col)) => {
                    // Collect the body up to the matching .endmacro.
                    let mut end = None;
                    let mut j = i;
                    while j < block.len() {
                        let (_, t) = block.line(j, file_id);
                        if let Ok(t) = t {
                            if let Some(Token {
                                tok: Tok::Directive(d),
                                col: c2,
                            }) = t.first()
                            {
                                if d == "endmacro" {
                                    end = Some(j);
                                    break;
                                }
                                if d == "macro" && active {
                                    let (at2, _) = block.line(j, file_id);
                                    self.report(
                                        at2,
                                        ErrorKind::Syntax,
                                        *c2,
                                        ".macro inside a macro definition",
                                    );
                                }
                            }
                        }
                        j += 1;
                    }
                    let Some(end) = end else {
                        if active {
                            self.report(
                                at,
                                ErrorKind::UnterminatedMacro,
                                col,
                                ".macro without .endmacro",
                            );
                        }
                        return self.close_conds(conds);
                    };
                    if active {
                        let body: Vec<LineRef> =
                            (i..end).map(|k| block.line(k, file_id).0).collect();
                        if let Err(f) = self.define_macro(&tokens[1..], body, at) {
                            self.report_fail(at, f);
                        }
                    }
                    i = end + 1;
                }
                Some(("endmacro", col)) => {
                    if active {
                        self.report(at, ErrorKind::Syntax, col, ".endmacro without .macro");
                    }
                }
                _ => {
                    if active {
                        self.statements += 1;
                        if self.statements > MAX_STATEMENTS {
                            if !self.runaway_reported {
                                self.runaway_reported = true;
                                self.report(
                                    at,
                                    ErrorKind::Syntax,
                                    0,
                                    format!("more than {MAX_STATEMENTS} statements: runaway macro expansion or include"),
                                );
                            }
                            return;
                        }
                        self.statement(at, tokens, in_macro);
                    }
                }
            }
        }
        self.close_conds(conds);
    }

    fn close_conds(&mut self, conds: Vec<Cond>) {
        for c in conds {
            self.report(c.at, ErrorKind::UnterminatedIf, c.col, ".if without .endif");
        }
    }

    fn check_no_operands(&mut self, at: LineRef, tokens: &[Token]) {
        if let Some(t) = tokens.get(1) {
            self.report(at, ErrorKind::Syntax, t.col, "end of line expected");
        }
    }

    fn end_col(&self, at: LineRef) -> usize {
        self.files[at.file]
            .lines
            .get(at.line)
            .map_or(1, |l| l.chars().count() + 1)
    }

    fn define_macro(&mut self, tokens: &[Token], body: Vec<LineRef>, at: LineRef) -> Step<()> {
        let end_col = self.end_col(at);
        let (name, name_col) = match tokens.first() {
            Some(Token {
                tok: Tok::Ident(n),
                col,
            }) => (n.clone(), *col),
            other => {
                return fail(
                    ErrorKind::Syntax,
                    other.map_or(end_col, |t| t.col),
                    "macro name expected",
                )
            }
        };
        let mut params = Vec::new();
        let mut k = 1;
        while k < tokens.len() {
            if k > 1 {
                if !punct_is(tokens.get(k), ",") {
                    return fail(
                        ErrorKind::Syntax,
                        tokens[k].col,
                        "',' expected between macro parameters",
                    );
                }
                k += 1;
            }
            match tokens.get(k) {
                Some(Token {
                    tok: Tok::Ident(p),
                    col,
                }) => {
                    if params.contains(p) {
                        return fail(
                            ErrorKind::DuplicateLabel,
                            *col,
                            format!("parameter `{p}` given twice"),
                        );
                    }
                    params.push(p.clone());
                }
                other => {
                    return fail(
                        ErrorKind::Syntax,
                        other.map_or(end_col, |t| t.col),
                        "macro parameter name expected",
                    )
                }
            }
            k += 1;
        }
        if self.macros.contains_key(&name) {
            return fail(
                ErrorKind::DuplicateLabel,
                name_col,
                format!("macro `{name}` defined twice"),
            );
        }
        self.macros.insert(name, Rc::new(Macro { params, body }));
        Ok(())
    }

    fn statement(&mut self, at: LineRef, tokens: &[Token], in_macro: bool) {
        let start_pc = self.pc;
        let mark = self.listing.len();
        let mut emitted = Vec::new();
        let shown = match self.statement_inner(at, tokens, &mut emitted) {
            Ok(Shown::Start) => Some(start_pc),
            Ok(Shown::After) => Some(self.pc),
            Ok(Shown::Nothing) => None,
            Err(f) => {
                self.report_fail(at, f);
                Some(start_pc)
            }
        };
        let shown = if tokens.is_empty() { None } else { shown };
        let lines = self.list_lines(at, shown, &emitted, in_macro);
        // A macro call's own line goes before its expansion.
        self.listing.splice(mark..mark, lines);
    }

    fn list_plain(&mut self, at: LineRef, in_macro: bool) {
        let lines = self.list_lines(at, None, &[], in_macro);
        self.listing.extend(lines);
    }

    fn list_lines(
        &self,
        at: LineRef,
        shown: Option<i64>,
        bytes: &[u8],
        in_macro: bool,
    ) -> Vec<String> {
        let mut out = Vec::new();
        let pc = shown.unwrap_or(0);
        let source = self.files[at.file]
            .lines
            .get(at.line)
            .cloned()
            .unwrap_or_default();
        let marker = if in_macro { '+' } else { ' ' };
        let addr = |a: i64| {
            if (0..=0xFFFF).contains(&a) {
                format!("{a:04X}")
            } else {
                "????".to_string()
            }
        };
        let mut chunks = bytes.chunks(4);
        let first = chunks.next().unwrap_or(&[]);
        let shown_addr = if shown.is_some() {
            addr(pc)
        } else {
            "    ".to_string()
        };
        let line = format!("{shown_addr}  {:<11} {marker}{source}", hex_bytes(first));
        out.push(line.trim_end().to_string());
        let mut a = pc + 4;
        for chunk in chunks {
            out.push(format!("{}  {}", addr(a), hex_bytes(chunk)));
            a += 4;
        }
        out
    }

    fn statement_inner(&mut self, at: LineRef, tokens: &[Token], out: &mut Vec<u8>) -> Step<Shown> {
        let end_col = self.end_col(at);
        let mut pos = 0;
        // Labels.
        while let (Some(t), true) = (tokens.get(pos), punct_is(tokens.get(pos + 1), ":")) {
            match &t.tok {
                Tok::Ident(_) | Tok::Local(_) => {
                    let value = Val {
                        value: self.pc,
                        status: Status::Current,
                    };
                    self.define(&t.tok, t.col, value, true)?;
                    pos += 2;
                }
                _ => break,
            }
        }
        let Some(head) = tokens.get(pos) else {
            return Ok(Shown::Start);
        };
        let rest = &tokens[pos + 1..];
        match &head.tok {
            Tok::Ident(_) | Tok::Local(_)
                if punct_is(rest.first(), "=") || punct_is(rest.first(), ":=") =>
            {
                let mut c = Cursor::new(&rest[1..], end_col);
                let v = self.eval(&mut c)?;
                if !c.at_end() {
                    return fail(ErrorKind::Syntax, c.col(), "end of line expected");
                }
                let forward = v.status == Status::Unknown && !self.undefined.is_empty();
                self.report_undefined(at);
                self.define(&head.tok, head.col, v, false)?;
                if forward {
                    self.defer(&head.tok, &rest[1..], end_col, at);
                }
                Ok(if pos == 0 {
                    Shown::Nothing
                } else {
                    Shown::Start
                })
            }
            Tok::Directive(d) => {
                self.directive(at, d, head.col, rest, out)?;
                Ok(if d == "org" {
                    Shown::After
                } else {
                    Shown::Start
                })
            }
            Tok::Ident(name) => {
                if let Some(m) = self.macros.get(name).cloned() {
                    self.expand(at, name, head.col, &m, rest)?;
                    Ok(Shown::Start)
                } else if let Some(mnemonic) = canonical_mnemonic(name) {
                    self.instruction(at, mnemonic, head.col, rest, out)?;
                    Ok(Shown::Start)
                } else if punct_is(rest.first(), ":") {
                    fail(ErrorKind::Syntax, head.col, "label expected")
                } else {
                    fail(
                        ErrorKind::UnknownMnemonic,
                        head.col,
                        format!("unknown mnemonic or macro `{name}`"),
                    )
                }
            }
            _ => fail(
                ErrorKind::Syntax,
                head.col,
                "label, instruction or directive expected",
            ),
        }
    }

    fn define(&mut self, tok: &Tok, col: usize, value: Val, is_label: bool) -> Step<()> {
        let key = self.key(tok);
        if is_label {
            if let Tok::Ident(name) = tok {
                self.scope = name.clone();
            }
        }
        let new_value = value.known();
        if let Some(old) = self.symbols.get(&key) {
            if old.pass == self.pass {
                let shown = match tok {
                    Tok::Local(n) => format!("@{n}"),
                    _ => key.clone(),
                };
                return fail(
                    ErrorKind::DuplicateLabel,
                    col,
                    format!("`{shown}` defined twice"),
                );
            }
            if old.value != new_value {
                self.changed = true;
            }
        } else {
            self.changed = true;
        }
        self.symbols.insert(
            key,
            Sym {
                value: new_value,
                pass: self.pass,
                current: value.status == Status::Current,
            },
        );
        Ok(())
    }

    fn emit(&mut self, bytes: &[u8], col: usize, out: &mut Vec<u8>) -> Step<()> {
        let mut result = Ok(());
        for &b in bytes {
            if !(0..MEMORY_SIZE as i64).contains(&self.pc) {
                if result.is_ok() {
                    result = fail(ErrorKind::OutOfRange, col, "code beyond $FFFF");
                }
            } else {
                let a = self.pc as usize;
                if self.used[a] && result.is_ok() {
                    result = fail(
                        ErrorKind::Overlap,
                        col,
                        format!("code overlaps earlier code at ${a:04X}"),
                    );
                }
                if !self.used[a] {
                    self.used[a] = true;
                    self.written.push(a as u16);
                }
                self.memory[a] = b;
            }
            out.push(b);
            self.pc += 1;
        }
        result
    }

    fn directive(
        &mut self,
        at: LineRef,
        name: &str,
        col: usize,
        rest: &[Token],
        out: &mut Vec<u8>,
    ) -> Step<()> {
        let end_col = self.end_col(at);
        let mut c = Cursor::new(rest, end_col);
        match name {
            "org" => {
                let v = self.eval_now(&mut c, "the .org address")?;
                self.expect_end(&c)?;
                if !(0..=0xFFFF).contains(&v) {
                    return fail(
                        ErrorKind::OutOfRange,
                        col,
                        format!(".org address {} is outside $0000-$FFFF", hex(v)),
                    );
                }
                self.pc = v;
                Ok(())
            }
            "byte" | "text" | "db" | "word" | "addr" | "dw" => {
                // Bytes take numbers and string literals; words take numbers, low byte first.
                let word = matches!(name, "word" | "addr" | "dw");
                let (fits, unit) = if word {
                    (-0x8000..=0xFFFF, "word")
                } else {
                    (-128..=255, "byte")
                };
                let mut bytes = Vec::new();
                let mut errors = Vec::new();
                loop {
                    let item_col = c.col();
                    if let (
                        false,
                        Some(Token {
                            tok: Tok::Str(s), ..
                        }),
                    ) = (word, c.peek())
                    {
                        if c.toks.get(c.pos + 1).is_none() || punct_is(c.toks.get(c.pos + 1), ",") {
                            bytes.extend_from_slice(s);
                            c.pos += 1;
                            if !c.eat_punct(",") {
                                break;
                            }
                            continue;
                        }
                    }
                    let v = self.eval(&mut c)?;
                    self.report_undefined(at);
                    if v.status != Status::Unknown && !fits.contains(&v.value) {
                        errors.push(Fail {
                            kind: ErrorKind::OutOfRange,
                            message: format!("value {} does not fit in a {unit}", hex(v.value)),
                            col: item_col,
                        });
                    }
                    if word {
                        bytes.extend_from_slice(&(v.value as u16).to_le_bytes());
                    } else {
                        bytes.push(v.value as u8);
                    }
                    if !c.eat_punct(",") {
                        break;
                    }
                }
                self.expect_end(&c)?;
                for e in errors {
                    self.report_fail(at, e);
                }
                self.emit(&bytes, col, out)
            }
            "res" => {
                let count_col = c.col();
                let n = self.eval_now(&mut c, "the .res count")?;
                if !(0..=MEMORY_SIZE as i64).contains(&n) {
                    return fail(
                        ErrorKind::OutOfRange,
                        count_col,
                        format!(".res count {} is outside 0-65536", hex(n)),
                    );
                }
                if c.eat_punct(",") {
                    let fill_col = c.col();
                    let v = self.eval(&mut c)?;
                    self.expect_end(&c)?;
                    self.report_undefined(at);
                    if v.status != Status::Unknown && !(-128..=255).contains(&v.value) {
                        return fail(
                            ErrorKind::OutOfRange,
                            fill_col,
                            format!("fill value {} does not fit in a byte", hex(v.value)),
                        );
                    }
                    let bytes = vec![v.value as u8; n as usize];
                    self.emit(&bytes, col, out)
                } else {
                    self.expect_end(&c)?;
                    self.pc += n;
                    if self.pc > MEMORY_SIZE as i64 {
                        return fail(
                            ErrorKind::OutOfRange,
                            col,
                            "reserved space goes beyond $FFFF",
                        );
                    }
                    Ok(())
                }
            }
            "include" => {
                let (file, file_col) = match c.peek() {
                    Some(Token {
                        tok: Tok::Str(s),
                        col,
                    }) => (String::from_utf8_lossy(s).into_owned(), *col),
                    _ => {
                        return fail(
                            ErrorKind::Syntax,
                            c.col(),
                            "file name in double quotes expected",
                        )
                    }
                };
                c.pos += 1;
                self.expect_end(&c)?;
                self.include(at, &file, file_col)
            }
            "assert" => {
                let v = self.eval(&mut c)?;
                let message = if c.eat_punct(",") {
                    match c.peek() {
                        Some(Token {
                            tok: Tok::Str(s), ..
                        }) => {
                            c.pos += 1;
                            String::from_utf8_lossy(s).into_owned()
                        }
                        _ => {
                            return fail(
                                ErrorKind::Syntax,
                                c.col(),
                                "message in double quotes expected",
                            )
                        }
                    }
                } else {
                    "assertion failed".to_string()
                };
                self.expect_end(&c)?;
                self.report_undefined(at);
                if v.status != Status::Unknown && v.value == 0 {
                    return fail(
                        ErrorKind::AssertFailed,
                        col,
                        format!(".assert failed: {message}"),
                    );
                }
                Ok(())
            }
            "if" | "else" | "endif" | "macro" | "endmacro" => fail(
                ErrorKind::Syntax,
                col,
                format!(".{name} must stand at the start of its line, without a label"),
            ),
            _ => fail(
                ErrorKind::UnknownDirective,
                col,
                format!("unknown directive `.{name}`"),
            ),
        }
    }

    fn expect_end(&self, c: &Cursor) -> Step<()> {
        if c.at_end() {
            Ok(())
        } else {
            fail(ErrorKind::Syntax, c.col(), "end of line expected")
        }
    }

    fn include(&mut self, at: LineRef, file: &str, col: usize) -> Step<()> {
        let base = self.files[at.file]
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let path = base.join(file);
        let id = match self.load(&path) {
            Ok(id) => id,
            Err(e) => {
                return fail(
                    ErrorKind::MissingInclude,
                    col,
                    format!("cannot read include file {}: {e}", path.display()),
                )
            }
        };
        if self.include_stack.contains(&id) {
            return fail(
                ErrorKind::IncludeLoop,
                col,
                format!("{} includes itself", path.display()),
            );
        }
        if self.include_stack.len() >= MAX_INCLUDE_DEPTH {
            return fail(ErrorKind::IncludeLoop, col, "includes nested too deeply");
        }
        let f = Rc::clone(&self.files[id]);
        self.include_stack.push(id);
        self.run_block(&Block::File(f));
        self.include_stack.pop();
        Ok(())
    }

    fn expand(
        &mut self,
        at: LineRef,
        name: &str,
        col: usize,
        m: &Macro,
        args: &[Token],
    ) -> Step<()> {
        // Split the arguments at commas outside parentheses.
        let mut split: Vec<Vec<Token>> = Vec::new();
        if !args.is_empty() {
            let mut current = Vec::new();
            let mut depth = 0usize;
            for t in args {
                match t.tok {
                    Tok::Punct("(") => depth += 1,
                    Tok::Punct(")") => depth = depth.saturating_sub(1),
                    Tok::Punct(",") if depth == 0 => {
                        split.push(std::mem::take(&mut current));
                        continue;
                    }
                    _ => {}
                }
                current.push(t.clone());
            }
            split.push(current);
        }
        if split.len() > m.params.len() {
            return fail(
                ErrorKind::Syntax,
                col,
                format!(
                    "macro `{name}` takes {} argument(s), {} given",
                    m.params.len(),
                    split.len()
                ),
            );
        }
        if self.macro_depth >= MAX_MACRO_DEPTH {
            return fail(
                ErrorKind::Syntax,
                col,
                "macros nested too deeply (recursive macro?)",
            );
        }
        let lines = m
            .body
            .iter()
            .map(|&lr| {
                let toks = match &self.files[lr.file].tokens[lr.line] {
                    Ok(toks) => {
                        let mut out = Vec::with_capacity(toks.len());
                        for t in toks {
                            let arg = match &t.tok {
                                Tok::Ident(n) => m.params.iter().position(|p| p == n),
                                _ => None,
                            };
                            match arg {
                                Some(k) => {
                                    out.extend(split.get(k).into_iter().flatten().map(|a| Token {
                                        tok: a.tok.clone(),
                                        col: t.col,
                                    }))
                                }
                                None => out.push(t.clone()),
                            }
                        }
                        Ok(out)
                    }
                    Err(e) => Err(e.clone()),
                };
                (lr, toks)
            })
            .collect();
        self.expansions += 1;
        let saved = self
            .expansion_scope
            .replace(format!(".m{}", self.expansions));
        self.macro_depth += 1;
        self.call_sites.push((name.to_string(), at));
        self.run_block(&Block::Expansion(lines));
        self.call_sites.pop();
        self.macro_depth -= 1;
        self.expansion_scope = saved;
        Ok(())
    }

    fn instruction(
        &mut self,
        at: LineRef,
        mnemonic: &'static str,
        col: usize,
        ops: &[Token],
        out: &mut Vec<u8>,
    ) -> Step<()> {
        // Every instruction gets its ordinal first, whatever happens to it below, so the
        // recorded zero-page choices line up in every pass.
        let ordinal = self.instruction_ordinal;
        self.instruction_ordinal += 1;
        let modes = modes_of(mnemonic);
        let has = |m: Mode| modes.contains(&m);
        let end_col = self.end_col(at);
        let bad_mode = |what: &str, c: usize| {
            fail::<()>(
                ErrorKind::BadAddressingMode,
                c,
                format!("{mnemonic} has no {what} addressing mode"),
            )
        };
        let operand_col = ops.first().map_or(end_col, |t| t.col);

        // No operand, or the accumulator.
        if ops.is_empty()
            || (ops.len() == 1 && ident_is(ops.first(), "a") && has(Mode::Accumulator))
        {
            let mode = if ops.is_empty() && has(Mode::Implied) {
                Mode::Implied
            } else if has(Mode::Accumulator) {
                Mode::Accumulator
            } else {
                return fail(
                    ErrorKind::BadAddressingMode,
                    operand_col,
                    format!("{mnemonic} needs an operand"),
                );
            };
            return self.emit_op(mnemonic, mode, None, col, out);
        }

        // Immediate.
        if punct_is(ops.first(), "#") {
            if !has(Mode::Immediate) {
                return bad_mode("immediate", operand_col);
            }
            let mut c = Cursor::new(&ops[1..], end_col);
            let value_col = c.col();
            let v = self.eval(&mut c)?;
            self.expect_end(&c)?;
            self.report_undefined(at);
            if v.status != Status::Unknown && !(-128..=255).contains(&v.value) {
                return fail(
                    ErrorKind::OutOfRange,
                    value_col,
                    format!("immediate value {} does not fit in a byte", hex(v.value)),
                );
            }
            return self.emit_op(
                mnemonic,
                Mode::Immediate,
                Some(v.value as u8 as u16),
                col,
                out,
            );
        }

        // Indirect forms.
        if punct_is(ops.first(), "(") {
            let mut depth = 0usize;
            let mut close = None;
            for (k, t) in ops.iter().enumerate() {
                match t.tok {
                    Tok::Punct("(") => depth += 1,
                    Tok::Punct(")") => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            close = Some(k);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            if let Some(close) = close {
                let inner = &ops[1..close];
                let after = &ops[close + 1..];
                let x_form = inner.len() >= 2
                    && ident_is(inner.last(), "x")
                    && punct_is(inner.get(inner.len() - 2), ",");
                let y_form =
                    after.len() == 2 && punct_is(after.first(), ",") && ident_is(after.get(1), "y");
                let mode = if after.is_empty() && x_form {
                    Some((Mode::IndirectX, &inner[..inner.len() - 2]))
                } else if after.is_empty() {
                    Some((Mode::Indirect, inner))
                } else if y_form {
                    Some((Mode::IndirectY, inner))
                } else {
                    None
                };
                if let Some((mode, expr_toks)) = mode {
                    let what = match mode {
                        Mode::IndirectX => "(zp,X)",
                        Mode::IndirectY => "(zp),Y",
                        _ => "(indirect)",
                    };
                    if !has(mode) {
                        return bad_mode(what, operand_col);
                    }
                    let mut c = Cursor::new(expr_toks, ops[close].col);
                    let value_col = c.col();
                    let v = self.eval(&mut c)?;
                    self.expect_end(&c)?;
                    self.report_undefined(at);
                    let limit = if mode == Mode::Indirect { 0xFFFF } else { 0xFF };
                    if v.status != Status::Unknown && !(0..=limit).contains(&v.value) {
                        let what = if limit == 0xFF {
                            "a zero-page address"
                        } else {
                            "an address $0000-$FFFF"
                        };
                        return fail(
                            ErrorKind::OutOfRange,
                            value_col,
                            format!(
                                "{mnemonic} {what_mode} needs {what}, got {}",
                                hex(v.value),
                                what_mode = what_mode(mode)
                            ),
                        );
                    }
                    return self.emit_op(mnemonic, mode, Some(v.value as u16), col, out);
                }
            }
        }

        // Plain expression with optional a:/z: prefix and ,X / ,Y index.
        let mut c = Cursor::new(ops, end_col);
        let mut force = None;
        if (ident_is(ops.first(), "a") || ident_is(ops.first(), "z")) && punct_is(ops.get(1), ":") {
            force = Some(if ident_is(ops.first(), "a") {
                Mode::Absolute
            } else {
                Mode::ZeroPage
            });
            c.pos = 2;
        }
        let value_col = c.col();
        let v = self.eval(&mut c)?;
        let index = if c.eat_punct(",") {
            if ident_is(c.peek(), "x") {
                c.pos += 1;
                Some('X')
            } else if ident_is(c.peek(), "y") {
                c.pos += 1;
                Some('Y')
            } else {
                return fail(ErrorKind::Syntax, c.col(), "X or Y expected after ','");
            }
        } else {
            None
        };
        self.expect_end(&c)?;
        self.report_undefined(at);

        if has(Mode::Relative) {
            if index.is_some() || force.is_some() {
                return fail(
                    ErrorKind::BadAddressingMode,
                    operand_col,
                    format!("{mnemonic} takes a plain target address (no index, no a: or z:)"),
                );
            }
            let offset = v.value.wrapping_sub(self.pc.wrapping_add(2));
            if v.status != Status::Unknown && !(-128..=127).contains(&offset) {
                return fail(
                    ErrorKind::OutOfRange,
                    value_col,
                    format!(
                        "branch target {} is {offset} bytes away (range -128..127)",
                        hex(v.value)
                    ),
                );
            }
            return self.emit_op(
                mnemonic,
                Mode::Relative,
                Some(offset as u8 as u16),
                col,
                out,
            );
        }

        let (zp, abs, name) = match index {
            None => (Mode::ZeroPage, Mode::Absolute, ""),
            Some('X') => (Mode::ZeroPageX, Mode::AbsoluteX, ",X"),
            _ => (Mode::ZeroPageY, Mode::AbsoluteY, ",Y"),
        };
        let fits_zp = |v: &Val| v.status != Status::Unknown && (0..=0xFF).contains(&v.value);
        let mode = match force {
            Some(Mode::Absolute) => {
                if !has(abs) {
                    return bad_mode(&format!("absolute{name}"), operand_col);
                }
                abs
            }
            Some(_) => {
                if !has(zp) {
                    return bad_mode(&format!("zero page{name}"), operand_col);
                }
                zp
            }
            None => match (has(zp), has(abs)) {
                (true, true) => {
                    let choice = match self.zp_choice.get(ordinal) {
                        Some(&z) => z,
                        None => {
                            let z = fits_zp(&v);
                            if ordinal == self.zp_choice.len() {
                                self.zp_choice.push(z);
                            }
                            z
                        }
                    };
                    if choice {
                        zp
                    } else {
                        abs
                    }
                }
                (true, false) => zp,
                (false, true) => abs,
                (false, false) => return bad_mode(&format!("address{name}"), operand_col),
            },
        };
        if v.status != Status::Unknown {
            let limit = if mode == zp { 0xFF } else { 0xFFFF };
            if !(0..=limit).contains(&v.value) {
                let message = if mode == zp {
                    let why = if has(abs) {
                        "z: forces zero page".to_string()
                    } else {
                        format!("{mnemonic} has no absolute{name} form")
                    };
                    format!("{} does not fit in zero page ({why})", hex(v.value))
                } else {
                    format!("address {} is outside $0000-$FFFF", hex(v.value))
                };
                return fail(ErrorKind::OutOfRange, value_col, message);
            }
        }
        self.emit_op(mnemonic, mode, Some(v.value as u16), col, out)
    }

    fn emit_op(
        &mut self,
        mnemonic: &str,
        mode: Mode,
        operand: Option<u16>,
        col: usize,
        out: &mut Vec<u8>,
    ) -> Step<()> {
        let Some(op) = opcode_for(mnemonic, mode) else {
            return fail(
                ErrorKind::BadAddressingMode,
                col,
                format!("{mnemonic} has no such addressing mode"),
            );
        };
        let value = operand.unwrap_or(0);
        let bytes = [op.code, value as u8, (value >> 8) as u8];
        self.emit(&bytes[..usize::from(op.len)], col, out)
    }
}

fn what_mode(mode: Mode) -> &'static str {
    match mode {
        Mode::IndirectX => "(zp,X)",
        Mode::IndirectY => "(zp),Y",
        _ => "(indirect)",
    }
}

fn hex_bytes(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One step of the walk in `settle_constants`: a deferred constant, the deferred constants it
/// uses (with columns), and how many of those the walk has followed.
type WalkStep = (usize, Vec<(usize, usize)>, usize);

/// Working out forward-referenced constants at the end of a pass.
///
/// A constant defined from symbols further down (`c0 = c1 + 1` … `c15 = 1`) has no value where
/// it is defined. Left to the passes alone, a chain of n such constants would take n passes;
/// instead, at the end of each pass every deferred constant is evaluated again in dependency
/// order (a depth-first walk from each one to the deferred constants it uses), so a chain of any
/// length is known after the first pass. The same walk finds real cycles (`a = b + 1`,
/// `b = a + 1`): each is reported once, at the definition that closes it — the member defined
/// last in the source — with the caret on its use of the next member.
impl Asm<'_> {
    fn defer(&mut self, tok: &Tok, tokens: &[Token], end_col: usize, at: LineRef) {
        let shown = match tok {
            Tok::Local(n) => format!("@{n}"),
            Tok::Ident(n) => n.clone(),
            _ => return,
        };
        self.deferred.push(Deferred {
            key: self.key(tok),
            shown,
            tokens: tokens.to_vec(),
            end_col,
            scope: self.scope.clone(),
            expansion_scope: self.expansion_scope.clone(),
            call_sites: self.call_sites.clone(),
            pc: self.pc,
            at,
        });
    }

    /// Whether the deferred constant `i` still has no value.
    fn unsettled(&self, i: usize) -> bool {
        self.symbols
            .get(&self.deferred[i].key)
            .is_some_and(|s| s.value.is_none() && s.pass == self.pass)
    }

    /// Runs `f` with the scope, macro context and `*` of deferred constant `i`.
    fn in_context_of<T>(&mut self, i: usize, f: impl FnOnce(&mut Self, &Deferred) -> T) -> T {
        let d = std::mem::replace(
            &mut self.deferred[i],
            Deferred {
                key: String::new(),
                shown: String::new(),
                tokens: Vec::new(),
                end_col: 0,
                scope: String::new(),
                expansion_scope: None,
                call_sites: Vec::new(),
                pc: 0,
                at: LineRef { file: 0, line: 0 },
            },
        );
        let saved = (
            std::mem::replace(&mut self.scope, d.scope.clone()),
            std::mem::replace(&mut self.expansion_scope, d.expansion_scope.clone()),
            std::mem::replace(&mut self.call_sites, d.call_sites.clone()),
            std::mem::replace(&mut self.pc, d.pc),
        );
        let result = f(self, &d);
        (self.scope, self.expansion_scope, self.call_sites, self.pc) = saved;
        self.deferred[i] = d;
        result
    }

    /// The deferred constants that constant `i` uses and that have no value yet, with the
    /// column of each use.
    fn unsettled_uses(&mut self, i: usize, index: &HashMap<String, usize>) -> Vec<(usize, usize)> {
        let uses = self.in_context_of(i, |asm, d| {
            d.tokens
                .iter()
                .filter(|t| matches!(t.tok, Tok::Ident(_) | Tok::Local(_)))
                .filter_map(|t| index.get(&asm.key(&t.tok)).map(|&j| (j, t.col)))
                .collect::<Vec<_>>()
        });
        uses.into_iter()
            .filter(|&(j, _)| self.unsettled(j))
            .collect()
    }

    /// Evaluates deferred constant `i` again and stores its value if it is now known.
    fn settle(&mut self, i: usize) {
        let value = self.in_context_of(i, |asm, d| {
            let mut cursor = Cursor::new(&d.tokens, d.end_col);
            let v = asm.eval(&mut cursor).ok()?;
            asm.undefined.clear();
            v.known()
        });
        if let Some(value) = value {
            if let Some(sym) = self.symbols.get_mut(&self.deferred[i].key) {
                sym.value = Some(value);
                sym.current = false;
                self.changed = true;
            }
        }
    }

    fn settle_constants(&mut self) {
        if self.deferred.is_empty() {
            return;
        }
        let index: HashMap<String, usize> = self
            .deferred
            .iter()
            .enumerate()
            .map(|(i, d)| (d.key.clone(), i))
            .collect();
        // 0: not visited, 1: on the walk's path, 2: done.
        let mut state = vec![0u8; self.deferred.len()];
        let mut cycles: Vec<Vec<usize>> = Vec::new();
        for root in 0..self.deferred.len() {
            if state[root] != 0 || !self.unsettled(root) {
                continue;
            }
            state[root] = 1;
            let uses = self.unsettled_uses(root, &index);
            // (constant, its unsettled uses, how many of them were followed)
            let mut path: Vec<WalkStep> = vec![(root, uses, 0)];
            while let Some((node, uses, next)) = path.last_mut() {
                let node = *node;
                if let Some(&(j, _)) = uses.get(*next) {
                    *next += 1;
                    match state[j] {
                        0 => {
                            state[j] = 1;
                            let uses = self.unsettled_uses(j, &index);
                            path.push((j, uses, 0));
                        }
                        1 => {
                            let from = path.iter().position(|(n, _, _)| *n == j).unwrap_or(0);
                            cycles.push(path[from..].iter().map(|(n, _, _)| *n).collect());
                        }
                        _ => {}
                    }
                } else {
                    path.pop();
                    state[node] = 2;
                    self.settle(node);
                }
            }
        }
        for cycle in cycles {
            self.report_cycle(&cycle, &index);
        }
    }

    /// Reports a cycle of deferred constants (each uses the next; the last uses the first).
    fn report_cycle(&mut self, cycle: &[usize], index: &HashMap<String, usize>) {
        // The member defined last closes the cycle.
        let Some(pos) = (0..cycle.len()).max_by_key(|&k| cycle[k]) else {
            return;
        };
        let closer = cycle[pos];
        let next = cycle[(pos + 1) % cycle.len()];
        let col = self
            .unsettled_uses(closer, index)
            .into_iter()
            .find(|&(j, _)| j == next)
            .map_or(1, |(_, col)| col);
        let names: Vec<String> = (0..=cycle.len())
            .map(|k| self.deferred[cycle[(pos + k) % cycle.len()]].shown.clone())
            .collect();
        let members: Vec<String> = cycle
            .iter()
            .map(|&m| self.deferred[m].shown.clone())
            .collect();
        // The uses of the members would each say "no value"; the cycle says why, once.
        self.diags.retain(|d| {
            !members
                .iter()
                .any(|m| d.message.starts_with(&format!("symbol `{m}` has no value")))
        });
        let at = self.deferred[closer].at;
        let saved = std::mem::replace(
            &mut self.call_sites,
            self.deferred[closer].call_sites.clone(),
        );
        self.report(
            at,
            ErrorKind::Circular,
            col,
            format!(
                "circular definition: `{}` depends on itself ({})",
                names[0],
                names.join(" -> ")
            ),
        );
        self.call_sites = saved;
    }
}
