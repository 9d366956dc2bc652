//! Splits one source line into tokens, each with its 1-based column (in characters).

/// A token kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    /// Identifier: `[A-Za-z_][A-Za-z0-9_]*`.
    Ident(String),
    /// Cheap local label `@name` (the name without the `@`).
    Local(String),
    /// Directive `.name`, lower-cased, without the dot.
    Directive(String),
    /// A number or character constant.
    Number(i64),
    /// A string literal's bytes.
    Str(Vec<u8>),
    /// Operator or punctuation, e.g. `,` `(` `<<` `<=`.
    Punct(&'static str),
}

/// A token with its column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub col: usize,
}

/// A lexing error: message and 1-based column.
#[derive(Clone, Debug)]
pub(crate) struct LexError {
    pub message: String,
    pub col: usize,
}

const PUNCTS: [&str; 24] = [
    "<<", ">>", "<=", ">=", "<>", "&&", "||", ":=", ",", ":", "(", ")", "#", "+", "-", "*", "/",
    "&", "|", "^", "~", "<", ">", "=",
];
const BANG: &str = "!";

fn escape(c: char) -> Option<u8> {
    Some(match c {
        'n' => b'\n',
        'r' => b'\r',
        't' => b'\t',
        '0' => 0,
        '\\' => b'\\',
        '"' => b'"',
        '\'' => b'\'',
        _ => return None,
    })
}

fn char_byte(c: char, col: usize) -> Result<u8, LexError> {
    u8::try_from(u32::from(c)).map_err(|_| LexError {
        message: format!("character '{c}' is not a single byte"),
        col,
    })
}

/// Tokenizes a line; a `;` outside a string starts a comment.
pub(crate) fn tokenize(line: &str) -> Result<Vec<Token>, LexError> {
    let chars: Vec<char> = line.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c == ';' {
            break;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let ident_start = |c: char| c.is_ascii_alphabetic() || c == '_';
        let ident_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
        if ident_start(c)
            || ((c == '@' || c == '.') && chars.get(i + 1).is_some_and(|&n| ident_start(n)))
        {
            let start = if ident_start(c) { i } else { i + 1 };
            let mut j = start + 1;
            while j < chars.len() && ident_char(chars[j]) {
                j += 1;
            }
            let name: String = chars[start..j].iter().collect();
            let tok = match c {
                '@' => Tok::Local(name),
                '.' => Tok::Directive(name.to_ascii_lowercase()),
                _ => Tok::Ident(name),
            };
            tokens.push(Token { tok, col });
            i = j;
            continue;
        }
        if c.is_ascii_digit()
            || ((c == '$' || c == '%')
                && chars.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric()))
        {
            let (radix, start) = match c {
                '$' => (16, i + 1),
                '%' => (2, i + 1),
                _ => (10, i),
            };
            let mut j = start;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let digits: String = chars[start..j].iter().filter(|&&d| d != '_').collect();
            let value = i64::from_str_radix(&digits, radix)
                .ok()
                .filter(|v| *v <= 0xFFFF_FFFF)
                .ok_or_else(|| LexError {
                    message: format!("bad number '{}'", chars[i..j].iter().collect::<String>()),
                    col,
                })?;
            tokens.push(Token {
                tok: Tok::Number(value),
                col,
            });
            i = j;
            continue;
        }
        if c == '"' {
            let mut bytes = Vec::new();
            let mut j = i + 1;
            loop {
                let Some(&ch) = chars.get(j) else {
                    return Err(LexError {
                        message: "unterminated string".into(),
                        col,
                    });
                };
                match ch {
                    '"' => break,
                    '\\' => {
                        let e = chars.get(j + 1).copied().and_then(escape).ok_or(LexError {
                            message: "unknown escape in string".into(),
                            col: j + 1,
                        })?;
                        bytes.push(e);
                        j += 2;
                    }
                    _ => {
                        bytes.push(char_byte(ch, j + 1)?);
                        j += 1;
                    }
                }
            }
            tokens.push(Token {
                tok: Tok::Str(bytes),
                col,
            });
            i = j + 1;
            continue;
        }
        if c == '\'' {
            let (value, len) = match (chars.get(i + 1), chars.get(i + 2), chars.get(i + 3)) {
                (Some('\\'), Some(&e), Some('\'')) => (
                    escape(e).ok_or(LexError {
                        message: "unknown escape in character constant".into(),
                        col,
                    })?,
                    4,
                ),
                (Some(&ch), Some('\''), _) if ch != '\\' => (char_byte(ch, col + 1)?, 3),
                _ => {
                    return Err(LexError {
                        message: "bad character constant".into(),
                        col,
                    })
                }
            };
            tokens.push(Token {
                tok: Tok::Number(i64::from(value)),
                col,
            });
            i += len;
            continue;
        }
        if let Some(p) = PUNCTS.iter().find(|p| {
            let pc: Vec<char> = p.chars().collect();
            chars.get(i..i + pc.len()) == Some(&pc[..])
        }) {
            tokens.push(Token {
                tok: Tok::Punct(p),
                col,
            });
            i += p.len();
            continue;
        }
        if c == '!' {
            tokens.push(Token {
                tok: Tok::Punct(BANG),
                col,
            });
            i += 1;
            continue;
        }
        return Err(LexError {
            message: format!("unexpected character '{}'", c.escape_default()),
            col,
        });
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Tok> {
        tokenize(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn numbers_and_chars() {
        assert_eq!(
            kinds("$1F %101 42 'A' '\\n'"),
            vec![
                Tok::Number(0x1F),
                Tok::Number(5),
                Tok::Number(42),
                Tok::Number(65),
                Tok::Number(10)
            ]
        );
    }

    #[test]
    fn idents_locals_directives_comment() {
        assert_eq!(
            kinds("start: @loop .BYTE \"hi\" ; comment"),
            vec![
                Tok::Ident("start".into()),
                Tok::Punct(":"),
                Tok::Local("loop".into()),
                Tok::Directive("byte".into()),
                Tok::Str(b"hi".to_vec()),
            ]
        );
        assert_eq!(
            kinds("a<<b<=c<>d"),
            vec![
                Tok::Ident("a".into()),
                Tok::Punct("<<"),
                Tok::Ident("b".into()),
                Tok::Punct("<="),
                Tok::Ident("c".into()),
                Tok::Punct("<>"),
                Tok::Ident("d".into()),
            ]
        );
    }

    #[test]
    fn semicolon_in_string_is_not_a_comment() {
        assert_eq!(kinds("\";\""), vec![Tok::Str(b";".to_vec())]);
        assert!(tokenize("\"open").is_err());
    }
}
