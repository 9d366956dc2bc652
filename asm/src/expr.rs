//! Expression evaluation over tokens, with ca65's operator precedence (loosest first):
//! `||`; `&&`; comparisons `= <> < > <= >=`; `+ - |`; `* / & ^ << >>`;
//! unary `- + ~ ! <` (low byte) `>` (high byte); primaries (numbers, symbols, `*`, parentheses).
//! Arithmetic is on 64-bit signed integers, wrapping; comparisons give 1 or 0.

use crate::lexer::{Tok, Token};

/// How trustworthy a value is during a pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    /// Every symbol was defined earlier in this pass (or is a plain number).
    Current,
    /// Some symbol's value comes from the previous pass (defined later in the source).
    Provisional,
    /// Some symbol has no value yet.
    Unknown,
}

/// A value and its status. `value` is 0 when unknown.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Val {
    pub value: i64,
    pub status: Status,
}

impl Val {
    pub fn known(&self) -> Option<i64> {
        (self.status != Status::Unknown).then_some(self.value)
    }
}

/// An error inside an expression.
#[derive(Clone, Debug)]
pub(crate) struct ExprError {
    pub message: String,
    pub col: usize,
}

/// Where symbols and `*` come from.
pub(crate) trait Env {
    /// Looks up an identifier (`Tok::Ident`) or local (`Tok::Local`) token.
    fn lookup(&mut self, tok: &Tok, col: usize) -> Val;
    /// The current address.
    fn pc(&self) -> i64;
}

/// A cursor over a token slice.
pub(crate) struct Cursor<'a> {
    pub toks: &'a [Token],
    pub pos: usize,
    /// Column reported for "end of line" errors.
    pub end_col: usize,
    depth: usize,
}

/// Deepest nesting of parentheses and unary operators accepted (keeps the recursion bounded).
const MAX_DEPTH: usize = 64;

impl<'a> Cursor<'a> {
    pub fn new(toks: &'a [Token], end_col: usize) -> Cursor<'a> {
        Cursor {
            toks,
            pos: 0,
            end_col,
            depth: 0,
        }
    }

    pub fn peek(&self) -> Option<&'a Token> {
        self.toks.get(self.pos)
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    pub fn col(&self) -> usize {
        self.peek().map_or(self.end_col, |t| t.col)
    }

    pub fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Token { tok: Tok::Punct(q), .. }) if *q == p)
    }

    pub fn eat_punct(&mut self, p: &str) -> bool {
        let hit = self.is_punct(p);
        if hit {
            self.pos += 1;
        }
        hit
    }

    pub fn error<T>(&self, message: impl Into<String>) -> Result<T, ExprError> {
        Err(ExprError {
            message: message.into(),
            col: self.col(),
        })
    }

    /// Parses and evaluates one expression.
    pub fn expr(&mut self, env: &mut dyn Env) -> Result<Val, ExprError> {
        self.binary(env, 0)
    }

    fn binary(&mut self, env: &mut dyn Env, level: usize) -> Result<Val, ExprError> {
        const LEVELS: [&[&str]; 5] = [
            &["||"],
            &["&&"],
            &["=", "<>", "<", ">", "<=", ">="],
            &["+", "-", "|"],
            &["*", "/", "&", "^", "<<", ">>"],
        ];
        let Some(ops) = LEVELS.get(level) else {
            return self.unary(env);
        };
        let mut left = self.binary(env, level + 1)?;
        loop {
            let Some(op) = ops.iter().find(|op| self.is_punct(op)) else {
                return Ok(left);
            };
            let op_col = self.col();
            self.pos += 1;
            let right = self.binary(env, level + 1)?;
            let status = left.status.max(right.status);
            let (a, b) = (left.value, right.value);
            let value = match *op {
                "||" => i64::from(a != 0 || b != 0),
                "&&" => i64::from(a != 0 && b != 0),
                "=" => i64::from(a == b),
                "<>" => i64::from(a != b),
                "<" => i64::from(a < b),
                ">" => i64::from(a > b),
                "<=" => i64::from(a <= b),
                ">=" => i64::from(a >= b),
                "+" => a.wrapping_add(b),
                "-" => a.wrapping_sub(b),
                "|" => a | b,
                "*" => a.wrapping_mul(b),
                "&" => a & b,
                "^" => a ^ b,
                "<<" => shift(a, b, true),
                ">>" => shift(a, b, false),
                _ => {
                    // "/" is the only operator left.
                    if b == 0 {
                        if status == Status::Unknown {
                            0
                        } else {
                            return Err(ExprError {
                                message: "division by zero".into(),
                                col: op_col,
                            });
                        }
                    } else {
                        a.wrapping_div(b)
                    }
                }
            };
            left = Val { value, status };
        }
    }

    fn unary(&mut self, env: &mut dyn Env) -> Result<Val, ExprError> {
        if self.depth >= MAX_DEPTH {
            return self.error("expression nested too deeply");
        }
        self.depth += 1;
        let v = self.unary_inner(env);
        self.depth -= 1;
        v
    }

    fn unary_inner(&mut self, env: &mut dyn Env) -> Result<Val, ExprError> {
        for op in ["-", "+", "~", "!", "<", ">"] {
            if self.eat_punct(op) {
                let v = self.unary(env)?;
                let value = match op {
                    "-" => v.value.wrapping_neg(),
                    "+" => v.value,
                    "~" => !v.value,
                    "!" => i64::from(v.value == 0),
                    "<" => v.value & 0xFF,
                    _ => (v.value >> 8) & 0xFF,
                };
                return Ok(Val {
                    value,
                    status: v.status,
                });
            }
        }
        self.primary(env)
    }

    fn primary(&mut self, env: &mut dyn Env) -> Result<Val, ExprError> {
        let Some(token) = self.peek() else {
            return self.error("expression expected");
        };
        match &token.tok {
            Tok::Number(n) => {
                self.pos += 1;
                Ok(Val {
                    value: *n,
                    status: Status::Current,
                })
            }
            Tok::Ident(_) | Tok::Local(_) => {
                self.pos += 1;
                Ok(env.lookup(&token.tok, token.col))
            }
            Tok::Punct("*") => {
                self.pos += 1;
                Ok(Val {
                    value: env.pc(),
                    status: Status::Current,
                })
            }
            Tok::Punct("(") => {
                self.pos += 1;
                let v = self.expr(env)?;
                if !self.eat_punct(")") {
                    return self.error("')' expected");
                }
                Ok(v)
            }
            Tok::Str(s) if s.len() == 1 => {
                self.pos += 1;
                Ok(Val {
                    value: i64::from(s[0]),
                    status: Status::Current,
                })
            }
            _ => self.error("expression expected"),
        }
    }
}

fn shift(a: i64, b: i64, left: bool) -> i64 {
    if !(0..64).contains(&b) {
        return if left || a >= 0 { 0 } else { -1 };
    }
    if left {
        a.wrapping_shl(b as u32)
    } else {
        a >> b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::tokenize;

    struct NoSymbols;
    impl Env for NoSymbols {
        fn lookup(&mut self, _: &Tok, _: usize) -> Val {
            Val {
                value: 0,
                status: Status::Unknown,
            }
        }
        fn pc(&self) -> i64 {
            0x1000
        }
    }

    fn eval(s: &str) -> i64 {
        let toks = tokenize(s).unwrap();
        let mut c = Cursor::new(&toks, s.len() + 1);
        let v = c.expr(&mut NoSymbols).unwrap();
        assert!(c.at_end(), "{s}");
        v.value
    }

    #[test]
    fn precedence_is_ca65s() {
        assert_eq!(eval("1 + 2 * 3"), 7);
        assert_eq!(eval("1 + 2 << 3"), 17);
        assert_eq!(eval("(1 + 2) << 3"), 24);
        assert_eq!(eval("<$1234"), 0x34);
        assert_eq!(eval(">$1234"), 0x12);
        assert_eq!(eval("-1 & $FF"), 0xFF);
        assert_eq!(eval("~0 & 7"), 7);
        assert_eq!(eval("3 = 3"), 1);
        assert_eq!(eval("3 <> 3"), 0);
        assert_eq!(eval("2 < 3 && 4 >= 4"), 1);
        assert_eq!(eval("* + 2"), 0x1002);
        assert_eq!(eval("**2"), 0x2000);
        assert_eq!(eval("1 << 99"), 0);
        assert_eq!(eval("$10 | 1 ^ 3"), 0x12);
    }

    #[test]
    fn division_by_zero_is_an_error() {
        let toks = tokenize("1/0").unwrap();
        assert!(Cursor::new(&toks, 4).expr(&mut NoSymbols).is_err());
    }
}
