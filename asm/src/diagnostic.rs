//! Assembler diagnostics: what went wrong, where (file, line, column), rendered with the source
//! line and a caret under the column.

use std::fmt;

/// The kind of an assembly error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A symbol used but never defined.
    UndefinedSymbol,
    /// A value does not fit: branch distance, zero-page operand, byte > 255, word > 65535,
    /// address beyond $FFFF.
    OutOfRange,
    /// The mnemonic has no such addressing mode.
    BadAddressingMode,
    /// Not a mnemonic nor a macro.
    UnknownMnemonic,
    /// Not a known directive.
    UnknownDirective,
    /// A label, constant or macro defined twice.
    DuplicateLabel,
    /// A file includes itself, directly or through others.
    IncludeLoop,
    /// An included file cannot be read.
    MissingInclude,
    /// `.macro` without `.endmacro`.
    UnterminatedMacro,
    /// `.if` without `.endif`.
    UnterminatedIf,
    /// An `.assert` whose condition is false.
    AssertFailed,
    /// Anything the parser does not understand, including misplaced `.else`/`.endif`.
    Syntax,
    /// Two pieces of code assembled to the same address.
    Overlap,
    /// An expression that cannot be evaluated (division by zero), or that must be known at
    /// that point (`.org`, `.res`, `.if`) but uses a later definition.
    BadExpression,
    /// The source file given to the assembler cannot be read.
    Io,
    /// Constants whose definitions depend on each other in a loop (`a = b + 1`, `b = a - 1`).
    Circular,
}

/// One error, with its position and the source line it refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// What went wrong, in kind.
    pub kind: ErrorKind,
    /// The message.
    pub message: String,
    /// The file name as given (include paths joined to the including file's directory).
    pub file: String,
    /// 1-based line number (0 when the error is not about a line).
    pub line: usize,
    /// 1-based column in characters (0 when not about a column).
    pub col: usize,
    /// The source line's text.
    pub source_line: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            self.file, self.line, self.col, self.message
        )?;
        if self.line == 0 {
            return Ok(());
        }
        let number = self.line.to_string();
        let pad = " ".repeat(number.len());
        write!(f, "\n {number} | {}", self.source_line)?;
        if self.col > 0 {
            // Keep tabs so the caret lines up with the text above it.
            let lead: String = self
                .source_line
                .chars()
                .take(self.col - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n {pad} | {lead}^")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Renders several diagnostics, one after another, with a count at the end.
pub fn render_all(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    out.push_str(&format!(
        "{} error{}\n",
        diagnostics.len(),
        if diagnostics.len() == 1 { "" } else { "s" }
    ));
    out
}
