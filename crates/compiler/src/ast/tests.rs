//! Round trips: source to CPython-shaped tree to source text that compiles.

use super::*;

fn round_trip(src: &str) -> String {
    let tree = parse_to_ast(src, "<t>", AstMode::Exec).expect("parses");
    let text = unparse(&tree);
    crate::compile(&text, "<t>", crate::Mode::Exec).unwrap_or_else(|e| panic!("{text}\n{e:?}"));
    text
}

#[test]
fn statements_round_trip() {
    for src in [
        "x = 1 + 2 * -y",
        "@d\ndef f(a, /, b=1, *c, d, e=2, **k) -> int:\n    return a\n",
        "class C(B, metaclass=M):\n    'doc'\n    x: int = 1\n",
        "for a, *b in c:\n    break\nelse:\n    pass\n",
        "try:\n    pass\nexcept* E as e:\n    raise X from e\n",
        "match p:\n    case [1, *r] | {'k': [*r]} if r: pass\n    case C(-1, a=b) as z: pass\n    case None: pass\n",
        "x[1:2, ::3] = f(*a, k=1, **d)",
        "y = f'{a!r:>{w}} and {b=}' 'c'",
        "async def g():\n    async with a as b:\n        await c\n    return [x async for x in y if x]\n",
        "lambda a, *, b=2: (yield)",
        "from .. import (a as b, c)\nimport d.e as f\nglobal q",
    ] {
        round_trip(src);
    }
}

#[test]
fn statements_keep_their_lines() {
    let text = round_trip("a = 1\n\n\nb = 2\nif a:\n\n    c = 3\n");
    assert_eq!(text.lines().nth(3), Some("b = (2)"));
    assert_eq!(text.lines().nth(6), Some("    c = (3)"));
}

#[test]
fn decorated_def_starts_at_def() {
    let tree = parse_to_ast("@d\n\n# c\nasync def f(): pass", "<t>", AstMode::Exec).unwrap();
    let AstValue::List(body) = tree.get("body") else {
        panic!()
    };
    let AstValue::Node(f) = &body[0] else {
        panic!()
    };
    assert_eq!(f.class, "AsyncFunctionDef");
    assert_eq!(f.pos.map(|p| (p.lineno, p.col_offset)), Some((4, 0)));
}
