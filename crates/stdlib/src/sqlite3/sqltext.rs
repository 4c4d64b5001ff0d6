//! Reading SQL text without SQLite: `complete_statement`'s tokenizer (the
//! state machine of `sqlite3_complete`), where the first statement ends,
//! and the blanks and comments CPython skips.

/// `sql` without its leading blanks and comments (CPython's `lstrip_sql`;
/// an unterminated block comment runs to the end).
pub fn lstrip_sql(sql: &str) -> &str {
    let b = sql.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' => i += 1,
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => match sql[i + 2..].find("*/") {
                Some(e) => i += e + 4,
                None => return "",
            },
            _ => return &sql[i..],
        }
    }
    ""
}

/// Nothing to run: blanks, comments and semicolons only.
pub fn is_blank(sql: &str) -> bool {
    let mut s = sql;
    loop {
        let t = lstrip_sql(s);
        match t.strip_prefix(';') {
            Some(rest) => s = rest,
            None => return t.is_empty(),
        }
    }
}

/// SQLite's `sqlite3_complete`: does `sql` end with a complete statement?
pub fn complete(sql: &str) -> bool {
    scan(sql, false).0
}

/// The byte offset just past the semicolon that ends the first statement.
pub fn first_statement_end(sql: &str) -> Option<usize> {
    scan(sql, true).1
}

/// `sqlite3_complete`'s tokenizer and state machine: (complete, where the
/// first statement ended when `stop_at_first` asked for it).
fn scan(sql: &str, stop_at_first: bool) -> (bool, Option<usize>) {
    // Tokens: 0 ';', 1 blank, 2 other, 3 EXPLAIN, 4 CREATE, 5 TEMP, 6 TRIGGER, 7 END.
    const TRANS: [[u8; 8]; 8] = [
        [1, 0, 2, 3, 4, 2, 2, 2],
        [1, 1, 2, 3, 4, 2, 2, 2],
        [1, 2, 2, 2, 2, 2, 2, 2],
        [1, 3, 3, 2, 4, 2, 2, 2],
        [1, 4, 2, 2, 2, 4, 5, 2],
        [6, 5, 5, 5, 5, 5, 5, 5],
        [6, 6, 5, 5, 5, 5, 5, 7],
        [1, 7, 5, 5, 5, 5, 5, 5],
    ];
    let b = sql.as_bytes();
    let mut state = 0u8;
    let mut i = 0;
    let is_id = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
    while i < b.len() {
        let token = match b[i] {
            b';' => 0,
            b' ' | b'\r' | b'\t' | b'\n' | b'\x0c' => 1,
            b'/' if b.get(i + 1) == Some(&b'*') => {
                match sql[i + 2..].find("*/") {
                    Some(e) => i += e + 3,
                    None => return (false, None),
                }
                1
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                if i == b.len() {
                    return (state == 1, None);
                }
                1
            }
            b'[' => {
                match sql[i + 1..].find(']') {
                    Some(e) => i += e + 1,
                    None => return (false, None),
                }
                2
            }
            q @ (b'`' | b'"' | b'\'') => {
                match b[i + 1..].iter().position(|&c| c == q) {
                    Some(e) => i += e + 1,
                    None => return (false, None),
                }
                2
            }
            c if is_id(c) => {
                let start = i;
                while i + 1 < b.len() && is_id(b[i + 1]) {
                    i += 1;
                }
                let w = sql[start..=i].to_ascii_lowercase();
                match w.as_str() {
                    "create" => 4,
                    "trigger" => 6,
                    "temp" | "temporary" => 5,
                    "end" => 7,
                    "explain" => 3,
                    _ => 2,
                }
            }
            _ => 2,
        };
        state = TRANS[state as usize][token];
        i += 1;
        if stop_at_first && token == 0 && state == 1 {
            return (true, Some(i));
        }
    }
    (state == 1, None)
}
