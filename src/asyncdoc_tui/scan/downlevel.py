"""Rewrite Python 3.12–3.14 syntax into 3.11 syntax without moving a single byte.

`ast` positions are (line, UTF-8 byte column). Every edit here replaces characters by
ASCII of the same UTF-8 length and never adds or removes a line break, so every node the
3.11 parser finds in the result sits at the line and column a 3.14 parser gives for the
same node in the original. Python 3.11's `tokenize` cannot lex PEP 701 strings, hence the
small lexer below (comments, every string prefix, triple quotes, f-/t-strings nested to
any depth, brackets, statement starts).

- `type X[T] = V` → `0;` and blanks up to `V` (`[T]` → `( )` and `=` → `;` when there
  are type parameters, so line breaks inside them stay inside brackets): the value stays
  an expression in place, which 3.14's TypeAlias also is to the facts, and binds nothing.
- `def f[T](x)` / `class C[T](B)`: `[` → `(`, the rest of the type parameters blank, the
  original `(` blank (or `]` → `)` for a class without bases).
- `except A, B:` / `except* A, B:`: top-level commas → `|`.
- Every implicitly concatenated group holding an f- or t-string → one tuple of its
  replacement fields: first character `(`, last `)`, literal text blank, `{expr!r:spec}`
  → ` expr,` (a spec's nested fields become further elements). Calls in fields keep
  their positions. Old-style f-strings go the same way: one code path, and the fields'
  positions do not change (3.11 places them where 3.14 does).

`Marks` records what was rewritten so `grammar` can give the tree the shapes 3.14 would
(JoinedStr, exception tuples, no placeholder statements).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

Span = tuple[int, int, int, int]  # lineno, col_offset, end_lineno, end_col_offset as ast gives them

_PREFIXES = frozenset({"r", "u", "b", "br", "rb", "f", "fr", "rf", "t", "tr", "rt"})
# Where the code scanner must look, per mode: a name right before a quote (a string
# prefix, or a keyword as in `if"x"`), the keywords it rewrites, and punctuation that
# changes depth or statements, plus what ends a field's expression (`=` `!`, with the
# comparisons they start) or separates exception types (`,`). Everything in between is
# skipped in one regex step.
_CODE = r"""(?P<prefixed>[^\W\d]\w*(?=['"]))|(?P<keyword>\b(?:type|def|class|except)\b)|['"#\\\r\n()\[\]{};:"""
_NEXT = re.compile(_CODE + "]")
_NEXT_IN_FIELD = re.compile(_CODE + "=!<>]")
_NEXT_IN_EXCEPT = re.compile(_CODE + ",]")
_NAME = re.compile(r"[^\W\d]\w*")
_SPACE = re.compile(r"(?:[ \t\f]|\\(?:\r\n|\r|\n))*")
_LINE_END = re.compile(r"[\r\n]|\Z")
_NEWLINES = re.compile(r"\r\n|\r|\n")
_SPACE_CHARS = " \t\f\\\r\n"  # with backslashes: a continuation can end an element
# The rest of a plain string after its opening quote (a backslash escapes anything).
_PLAIN_END = {
    "'": re.compile(r"[^'\\\r\n]*(?:\\(?:\r\n|[\s\S])[^'\\\r\n]*)*'"),
    '"': re.compile(r'[^"\\\r\n]*(?:\\(?:\r\n|[\s\S])[^"\\\r\n]*)*"'),
    "'''": re.compile(r"[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*'''"),
    '"""': re.compile(r'[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""'),
}
# Literal text of an f-/t-string up to the next character that needs a decision.
_LITERAL_STOP = {
    "'": re.compile(r"[{}\\'\r\n]"),
    '"': re.compile(r'[{}\\"\r\n]'),
    "'''": re.compile(r"[{}\\']"),
    '"""': re.compile(r'[{}\\"]'),
}
# Modes of `_Lexer.code`: to the end of the text; to the bracket closing the one before
# the start; to the end of a replacement field's expression; to an except clause's colon.
_TOP, _CLOSE, _FIELD, _EXCEPT = range(4)


@dataclass
class Marks:
    """What was rewritten, by ast position, so the tree can be given 3.14's shapes."""

    strings: set[Span] = field(default_factory=set)  # tuples standing for an f-/t-string group
    placeholders: set[tuple[int, int]] = field(default_factory=set)  # `0` / `()` statements of type aliases
    # `except` → per exception type, its span as written, then inside each pair of
    # enclosing parentheses (ast places a parenthesised expression inside them)
    handlers: dict[tuple[int, int], list[list[Span]]] = field(default_factory=dict)
    constructs: set[str] = field(default_factory=set)  # names of the newer syntax met, for messages


class Unreadable(Exception):
    """The lexer met text no grammar accepts (an unterminated string, a stray closer)."""


class _Lexer:
    """One pass over the text: `out` holds the text as rewritten so far, one entry per
    character (a blanked `é` is the entry "  ")."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.out = list(text)
        self.marks = Marks()
        self._line_starts = [0] + [m.end() for m in _NEWLINES.finditer(text)]

    # ---- positions and edits -----------------------------------------------------
    def position(self, index: int) -> tuple[int, int]:
        """(1-based line, UTF-8 byte column) of a character index, as ast counts them."""
        line = bisect_right(self._line_starts, index)
        return line, len(self.text[self._line_starts[line - 1] : index].encode())

    def span(self, start: int, end: int) -> Span:
        return (*self.position(start), *self.position(end))

    def blank(self, start: int, end: int) -> None:
        """Spaces over text[start:end], as many as each character has bytes; line breaks stay."""
        out, text = self.out, self.text
        for k in range(start, end):
            ch = text[k]
            if ch not in "\r\n":
                out[k] = " " if ch < "\x80" else " " * len(ch.encode())

    def skip_space(self, i: int) -> int:
        return _SPACE.match(self.text, i).end()  # type: ignore[union-attr]

    def line_end(self, i: int) -> int:
        return _LINE_END.search(self.text, i).start()  # type: ignore[union-attr]

    # ---- code --------------------------------------------------------------------
    def code(self, i: int, mode: int, commas: list[int] | None = None) -> tuple[int, str]:
        """Scan code from i in one of the modes above; returns (index, terminator).

        _TOP returns (len(text), ""); _CLOSE the index after the closing bracket; _FIELD
        the index of the depth-0 `}`, `!`, `:` or `=` that ends a field's expression;
        _EXCEPT the index of the clause's colon, with its depth-0 commas added to `commas`.
        """
        text, n = self.text, len(self.text)
        search = (_NEXT_IN_FIELD if mode == _FIELD else _NEXT_IN_EXCEPT if mode == _EXCEPT else _NEXT).search
        depth = 0
        statement = i  # where the current statement began: `type` is a keyword only there
        while True:
            match = search(text, i)
            if match is None:
                if mode == _TOP:
                    return n, ""
                raise Unreadable
            start, i = match.start(), match.end()
            if match.lastgroup == "prefixed":
                is_prefix = match.group().lower() in _PREFIXES
                i = self.string_group(start if is_prefix else i, depth > 0 or mode in (_CLOSE, _FIELD))
                continue
            if match.lastgroup == "keyword":
                if depth == 0:
                    i = self.keyword(match.group(), start, i, text[statement:start].strip(" \t\f\\\r\n") == "")
                continue
            c = text[start]
            if c in "'\"":
                i = self.string_group(start, depth > 0 or mode in (_CLOSE, _FIELD))
            elif c == "#":
                i = self.line_end(i)
            elif c == "\\":
                i = self.skip_space(start)
                if i == start:
                    raise Unreadable
            elif c in "\r\n":
                if depth == 0 and mode == _TOP:
                    statement = i
            elif c in "([{":
                depth += 1
            elif c in ")]}":
                if depth:
                    depth -= 1
                elif mode == _FIELD and c == "}":
                    return start, c
                elif mode == _CLOSE:
                    return i, c
                else:
                    raise Unreadable
            elif depth:
                continue
            elif c == ";":
                statement = i
            elif c == ":":
                if mode in (_FIELD, _EXCEPT):
                    return start, c
                statement = i
            elif c == ",":
                commas.append(start)  # type: ignore[union-attr]
            elif text[i : i + 1] == "=":
                i += 1  # ==, !=, <=, >=
            elif c in "=!":
                return start, c

    def keyword(self, word: str, start: int, i: int, at_statement_start: bool) -> int:
        if word == "type":
            return self.type_alias(start, i) if at_statement_start else i
        if word == "except":
            return self.except_clause(start, i)
        return self.generic(i)

    def type_alias(self, start: int, i: int) -> int:
        """`type X[...] = ` at a statement start; anything else is `type` the name."""
        text = self.text
        name = _NAME.match(text, self.skip_space(i))
        if name is None:
            return i
        j = self.skip_space(name.end())
        params = closer = -1
        if text[j : j + 1] == "[":
            params = j
            closer, _ = self.code(j + 1, _CLOSE)
            j = self.skip_space(closer)
        if text[j : j + 1] != "=" or text[j + 1 : j + 2] == "=":
            return i
        self.blank(start, j + 1)
        self.out[start], self.out[start + 1] = "0", ";"
        self.marks.placeholders.add(self.position(start))
        if params >= 0:
            self.out[params], self.out[closer - 1], self.out[j] = "(", ")", ";"
            self.marks.placeholders.add(self.position(params))
        self.marks.constructs.add("`type` aliases (3.12)")
        return j + 1

    def generic(self, i: int) -> int:
        """`def f[...](` / `class C[...]`: the type parameters become blanks in brackets."""
        text = self.text
        name = _NAME.match(text, self.skip_space(i))
        if name is None:
            return i
        bracket = self.skip_space(name.end())
        if text[bracket : bracket + 1] != "[":
            return name.end()
        end, _ = self.code(bracket + 1, _CLOSE)
        self.blank(bracket, end)
        self.out[bracket] = "("
        self.marks.constructs.add("generic classes and functions (3.12)")
        paren = self.skip_space(end)
        if text[paren : paren + 1] != "(":
            self.out[end - 1] = ")"
            return end
        # The parameters now continue the bracket opened over `[`.
        self.out[paren] = " "
        return self.code(paren + 1, _CLOSE)[0]

    def except_clause(self, start: int, i: int) -> int:
        """`except A, B:` → `except A| B:`; the spans of A and B are noted for the tree."""
        text = self.text
        first = self.skip_space(i)
        if text[first : first + 1] == "*":
            first += 1
        commas: list[int] = []
        colon, _ = self.code(first, _EXCEPT, commas)
        if commas:
            spans = []
            for a, b in zip([first - 1, *commas], [*commas, colon]):  # each type: after a separator
                begin = self.skip_space(a + 1)
                end = begin + len(text[begin:b].rstrip(_SPACE_CHARS))
                spans.append(self.paren_spans(begin, end))
            for comma in commas:
                self.out[comma] = "|"
            self.marks.handlers[self.position(start)] = spans
            self.marks.constructs.add("`except A, B:` (3.14)")
        return colon + 1

    def paren_spans(self, begin: int, end: int) -> list[Span]:
        """Spans of text[begin:end], then of it without one, two, ... outer parentheses."""
        text, spans = self.text, [self.span(begin, end)]
        while text[begin] == "(" and text[end - 1] == ")" and end - begin > 2:
            begin = self.skip_space(begin + 1)
            end = begin + len(text[begin : end - 1].rstrip(_SPACE_CHARS))
            spans.append(self.span(begin, end))
        return spans

    # ---- strings -------------------------------------------------------------------
    def string_group(self, start: int, in_brackets: bool) -> int:
        """Lex the implicitly concatenated string tokens from start; a group holding an
        f- or t-string becomes a tuple of its fields. Returns the index after the group."""
        text = self.text
        tokens: list[tuple[int, int, bool]] = []
        i = start
        while True:
            end, formatted = self.string(i)
            tokens.append((i, end, formatted))
            i = self.gap(end, in_brackets)
            prefix = _NAME.match(text, i)
            quote = prefix.end() if prefix and prefix.group().lower() in _PREFIXES else i
            if text[quote : quote + 1] not in ("'", '"'):
                break
        if not any(formatted for _, _, formatted in tokens):
            return end
        for a, b, formatted in tokens:
            if not formatted:
                self.blank(a, b)
        self.out[start], self.out[end - 1] = "(", ")"
        self.marks.strings.add(self.span(start, end))
        return end

    def gap(self, i: int, in_brackets: bool) -> int:
        """Skip what may separate two tokens of one string group: spaces and backslash
        continuations, and inside brackets also comments and line breaks."""
        text, n = self.text, len(self.text)
        while True:
            i = self.skip_space(i)
            if i < n and in_brackets and text[i] == "#":
                i = self.line_end(i)
            elif i < n and in_brackets and text[i] in "\r\n":
                i += 1
            else:
                return i

    def string(self, start: int) -> tuple[int, bool]:
        """(index after one string token, whether it is an f- or t-string); an f-/t-string
        has its prefix, quotes and literal text blanked and its fields rewritten."""
        text = self.text
        prefix = _NAME.match(text, start)
        q = prefix.end() if prefix else start
        kind = text[start:q].lower()
        quote = text[q : q + 3] if text[q : q + 3] in ("'''", '"""') else text[q]
        body = q + len(quote)
        if "f" not in kind and "t" not in kind:
            match = _PLAIN_END[quote].match(text, body)
            if match is None:
                raise Unreadable
            return match.end(), False
        if "t" in kind:
            self.marks.constructs.add("t-strings (3.14)")
        self.blank(start, body)
        end = self.literal(body, quote, "r" in kind)
        self.blank(end - len(quote), end)
        return end, True

    def literal(self, i: int, quote: str, raw: bool) -> int:
        """Blank an f-/t-string's literal text from i and rewrite its fields; returns the
        index after the closing quote."""
        text, stop = self.text, _LITERAL_STOP[quote]
        while True:
            match = stop.search(text, i)
            if match is None:
                raise Unreadable
            j = match.start()
            self.blank(i, j)
            c = text[j]
            if c == "{" and text[j + 1 : j + 2] != "{":
                self.out[j] = " "
                i = self.field(j + 1)
                continue
            if c in "{}":  # `{{` / `}}`
                i = j + 2
            elif c == "\\":
                follow = text[j + 1 : j + 2]
                if follow == "N" and not raw and text[j + 2 : j + 3] == "{":  # \N{BULLET}
                    i = text.find("}", j) + 1 or len(text)
                elif follow in ("{", "}"):  # the brace is not escaped
                    i = j + 1
                else:
                    i = j + (3 if text[j + 1 : j + 3] == "\r\n" else 2)
            elif c in "\r\n":
                raise Unreadable  # a single-quoted string ends at the line break: unterminated
            elif text.startswith(quote, j):
                return j + len(quote)
            else:  # a lone quote character inside a triple-quoted string
                i = j + 1
            self.blank(j, i)

    def field(self, i: int) -> int:
        """Rewrite one replacement field whose `{` is at i - 1; returns the index after its `}`."""
        text = self.text
        end, stop = self.code(i, _FIELD)
        # A field that is itself a tuple with a trailing comma (`{x,}`) needs no second one.
        separator = " " if text[i:end].rstrip().endswith(",") else ","
        if stop == "=":  # self-documenting `{x=}`
            self.out[end] = " "
            end = self.gap(end + 1, True)
            stop = text[end : end + 1]
        if stop == "!":  # conversion `!r`
            name = _NAME.match(text, end + 1)
            after = self.gap(name.end() if name else end + 1, True)
            self.blank(end, after)
            end, stop = after, text[after : after + 1]
        if stop == ":":
            self.out[end] = separator
            end = self.spec(end + 1)
            self.out[end] = " "
        elif stop == "}":
            self.out[end] = separator
        else:
            raise Unreadable
        return end + 1

    def spec(self, i: int) -> int:
        """Blank a format spec from i, rewriting its nested fields; returns the index of
        the field's closing `}`."""
        text, n = self.text, len(self.text)
        while i < n:
            c = text[i]
            if c == "}":
                return i
            if c == "{":
                self.out[i] = " "
                i = self.field(i + 1)
            else:
                self.blank(i, i + 1)
                i += 1
        raise Unreadable


def downlevel(text: str) -> tuple[str, Marks] | None:
    """3.11 syntax with every byte of `text` in place, and what was rewritten; None when
    the text cannot be lexed (it is then invalid in every grammar)."""
    lexer = _Lexer(text)
    try:
        lexer.code(0, _TOP)
    except (Unreadable, IndexError):  # IndexError: the text ended inside a construct
        return None
    return "".join(lexer.out), lexer.marks
