#!/usr/bin/env python3
"""bitfield_gen.py - generate C accessors for bit-packed structures.

Usage:  bitfield_gen.py [--environment kernel|libsel4] INPUT OUTPUT

INPUT is a ``.bf`` specification, normally already run through the C
preprocessor (without ``-P``), so it may contain line markers of the form
``# 12 "path/file.bf" 1 3``.  Such markers set the file name and line number
used in error messages; every other line starting with ``#`` is ignored.

The language
------------
Comments run from ``--`` (or ``#``) to the end of the line.  Integers are
decimal, ``0x`` hex, ``0b`` binary, ``0o``/leading-zero octal, with optional
``u``/``l`` suffixes.  Every size or value is an integer expression using
``+ - * / %``, unary minus and parentheses (``/`` and ``%`` truncate like C).

``base N`` / ``base N(C, S)``
    Word size N (8, 16, 32 or 64) for everything that follows.  C is the
    number of canonical pointer bits (default N); S=1 means ``field_high``
    values are sign-extended from bit C-1 when read back.
``block NAME [(f1, f2, ...)] { ITEMS }``
    A record of one or more words.  The optional list gives the parameter
    order of the constructor and must name every field exactly once.
ITEMS (inside a block), in declaration order:
    ``field NAME SIZE``        an unsigned SIZE-bit field;
    ``field_high NAME SIZE``   stores bits C-1 .. C-SIZE of a value whose low
                               bits are zero (an aligned pointer);
    ``field_ptr[(A)] NAME SIZE`` shorthand for ``padding SIZE-C+A`` followed by
                               ``field_high NAME C-A`` (A = alignment bits);
    ``padding SIZE``           unnamed bits, written as zero by constructors.
    Inside sizes the names ``word_size`` (N) and ``canonical_size`` (C) exist.
``tagged_union U TAG [(SLICE, ...)] { tag BLOCK VALUE ... }``
    A sum type over blocks of equal size that all have the field TAG (or,
    for a sliced tag, all the SLICE fields) at the same position.  With
    slices, each tag value is a tuple ``(v1, v2, ...)`` and the combined tag
    puts slice i at bit position sum(sizes of earlier slices).

Layout rule
-----------
The first item declared takes the most significant bits of the
highest-numbered word, and items are packed downwards: the last item ends
at bit 0 of ``words[0]``.  (Offsets start at the total size and each item's
size is subtracted.)  A field may not cross a word boundary, and the total
size must be a multiple of the word size.

Output
------
For a block B: ``struct B { W words[n]; }``, ``B_t``, ``B_new``,
``B_ptr_new`` and per field ``B_get_f``/``B_set_f``/``B_ptr_get_f``/
``B_ptr_set_f``.  For a tagged union U with tag t: ``struct U``, ``U_t``,
``enum U_tag``/``U_tag_t``, ``U_get_t``/``U_ptr_get_t`` and per variant V the
same accessors as a block, prefixed ``U_V_`` (the tag is written by the
constructor and is never a parameter).  All values are passed as the full
word type W.  Debug assertions check that no bits are lost and that union
accessors are applied to the right variant.
"""

import argparse
import os
import re
import sys
from dataclasses import dataclass, field as dc_field
from typing import Dict, List, Optional, Tuple

KEYWORDS = {'base', 'block', 'field', 'field_high', 'field_ptr', 'padding',
            'tagged_union', 'tag', 'mask'}
RESERVED_NAMES = {'bf_s', 'bf_p', 'bf_v', 'bf_r'}   # locals in generated code


# --------------------------------------------------------------------------
# Errors and tokens

@dataclass(frozen=True)
class Pos:
    file: str
    line: int


class BfError(Exception):
    def __init__(self, pos: Pos, msg: str):
        super().__init__(msg)
        self.pos = pos
        self.msg = msg

    def __str__(self):
        return f"{self.pos.file}:{self.pos.line}: error: {self.msg}"


@dataclass
class Token:
    kind: str      # 'id', 'num', 'op' or 'eof'
    value: object
    pos: Pos

    def describe(self) -> str:
        if self.kind == 'eof':
            return 'end of input'
        if self.kind == 'num':
            return f"number {self.value}"
        return f"'{self.value}'"


MARKER_RE = re.compile(r'#\s*(?:line\s+)?(\d+)(?:\s+"((?:[^"\\]|\\.)*)")?')
TOKEN_RE = re.compile(r'''
    (?P<ws>\s+)
  | (?P<comment>(?:--|\#).*)
  | (?P<num>[0-9]\w*)
  | (?P<id>[A-Za-z_]\w*)
  | (?P<op>[-+*/%(){},])
''', re.X)
NUM_FORMS = [(re.compile(r'0[xX]([0-9a-fA-F]+)$'), 16),
             (re.compile(r'0[bB]([01]+)$'), 2),
             (re.compile(r'0[oO]?([0-7]+)$'), 8),
             (re.compile(r'([0-9]+)$'), 10)]


def parse_number(text: str, pos: Pos) -> int:
    digits = re.sub(r'[uUlL]+$', '', text)
    for regex, radix in NUM_FORMS:
        m = regex.match(digits)
        if m:
            return int(m.group(1), radix)
    raise BfError(pos, f"invalid number '{text}'")


def tokenize(text: str, filename: str) -> List[Token]:
    """Split the input into tokens, following preprocessor line markers."""
    toks: List[Token] = []
    cur_file, cur_line = filename, 1
    for raw in text.split('\n'):
        line_no, cur_line = cur_line, cur_line + 1
        stripped = raw.lstrip()
        if stripped.startswith('#'):
            m = MARKER_RE.match(stripped)
            if m:
                cur_line = int(m.group(1))
                if m.group(2) is not None:
                    cur_file = re.sub(r'\\(.)', r'\1', m.group(2))
            continue
        pos = Pos(cur_file, line_no)
        i = 0
        while i < len(raw):
            m = TOKEN_RE.match(raw, i)
            if not m:
                raise BfError(pos, f"unexpected character '{raw[i]}'")
            i = m.end()
            kind = m.lastgroup
            if kind == 'num':
                toks.append(Token('num', parse_number(m.group(), pos), pos))
            elif kind in ('id', 'op'):
                toks.append(Token(kind, m.group(), pos))
    last = toks[-1].pos if toks else Pos(cur_file, cur_line - 1)
    toks.append(Token('eof', None, last))
    return toks


# --------------------------------------------------------------------------
# The model

@dataclass(frozen=True)
class Base:
    bits: int           # word size N
    canonical: int      # C
    sign_extend: bool   # S


@dataclass
class Item:
    kind: str           # 'field', 'high' (field_high) or 'padding'
    name: Optional[str]
    size: int
    pos: Pos
    offset: int = 0     # bit offset of the lowest bit within the block


@dataclass
class Block:
    name: str
    base: Base
    items: List[Item]
    order: Optional[List[str]]
    pos: Pos
    union: Optional['Union'] = None

    @property
    def fields(self) -> List[Item]:
        return [i for i in self.items if i.kind != 'padding']

    @property
    def nwords(self) -> int:
        return sum(i.size for i in self.items) // self.base.bits

    def field(self, name: str) -> Optional[Item]:
        return next((f for f in self.fields if f.name == name), None)

    def params(self) -> List[Item]:
        """Constructor parameters in visible order, without tag fields."""
        names = self.order or [f.name for f in self.fields]
        skip = self.union.slices if self.union else []
        return [self.field(n) for n in names if n not in skip]


@dataclass
class Union:
    name: str
    tagname: str
    slices: List[str]             # [tagname] unless the tag is sliced
    sliced: bool
    base: Base
    pos: Pos
    tags: List[Tuple[str, Tuple[int, ...], Pos]] = dc_field(default_factory=list)
    variants: List[Tuple[Block, int]] = dc_field(default_factory=list)
    slice_fields: List[Item] = dc_field(default_factory=list)

    def slice_shifts(self) -> List[int]:
        """Bit position of each slice within the combined tag value."""
        out, acc = [], 0
        for f in self.slice_fields:
            out.append(acc)
            acc += f.size
        return out


@dataclass
class Spec:
    decls: List[object] = dc_field(default_factory=list)   # Blocks and Unions


# --------------------------------------------------------------------------
# Parser (recursive descent)

class Parser:
    def __init__(self, tokens: List[Token]):
        self.toks = tokens
        self.i = 0
        self.base: Optional[Base] = None
        self.spec = Spec()
        self.blocks: Dict[str, Block] = {}

    # -- token helpers
    def peek(self) -> Token:
        return self.toks[self.i]

    def next(self) -> Token:
        tok = self.toks[self.i]
        if tok.kind != 'eof':
            self.i += 1
        return tok

    def at(self, kind: str, value=None) -> bool:
        tok = self.peek()
        return tok.kind == kind and (value is None or tok.value == value)

    def accept(self, kind: str, value=None) -> Optional[Token]:
        return self.next() if self.at(kind, value) else None

    def expect(self, kind: str, value, what: str) -> Token:
        if not self.at(kind, value):
            tok = self.peek()
            raise BfError(tok.pos, f"expected {what}, found {tok.describe()}")
        return self.next()

    def ident(self, what: str) -> Token:
        tok = self.expect('id', None, what)
        if tok.value in KEYWORDS:
            raise BfError(tok.pos, f"expected {what}, found keyword '{tok.value}'")
        return tok

    # -- expressions
    def expr(self, names: Dict[str, int]) -> int:
        value = self.term(names)
        while self.at('op', '+') or self.at('op', '-'):
            op = self.next().value
            rhs = self.term(names)
            value = value + rhs if op == '+' else value - rhs
        return value

    def term(self, names: Dict[str, int]) -> int:
        value = self.unary(names)
        while self.at('op', '*') or self.at('op', '/') or self.at('op', '%'):
            tok = self.next()
            rhs = self.unary(names)
            if tok.value == '*':
                value *= rhs
                continue
            if rhs == 0:
                raise BfError(tok.pos, "division by zero in expression")
            quot = abs(value) // abs(rhs) * (1 if (value < 0) == (rhs < 0) else -1)
            value = quot if tok.value == '/' else value - quot * rhs
        return value

    def unary(self, names: Dict[str, int]) -> int:
        if self.accept('op', '-'):
            return -self.unary(names)
        if self.accept('op', '+'):
            return self.unary(names)
        tok = self.peek()
        if tok.kind == 'num':
            return self.next().value
        if tok.kind == 'id' and tok.value not in KEYWORDS:
            self.next()
            if tok.value not in names:
                raise BfError(tok.pos, f"unknown name '{tok.value}' in expression")
            return names[tok.value]
        if self.accept('op', '('):
            value = self.expr(names)
            self.expect('op', ')', "')'")
            return value
        raise BfError(tok.pos, f"expected an integer expression, found {tok.describe()}")

    def size_names(self) -> Dict[str, int]:
        return {'word_size': self.base.bits, 'canonical_size': self.base.canonical}

    # -- declarations
    def parse(self) -> Spec:
        while not self.at('eof'):
            tok = self.peek()
            if tok.kind == 'id' and tok.value == 'base':
                self.parse_base()
            elif tok.kind == 'id' and tok.value == 'block':
                self.parse_block()
            elif tok.kind == 'id' and tok.value == 'tagged_union':
                self.parse_union()
            else:
                raise BfError(tok.pos, "expected 'base', 'block' or 'tagged_union', "
                                       f"found {tok.describe()}")
        return self.spec

    def parse_base(self):
        self.next()
        pos = self.peek().pos
        bits = self.expr({})
        if bits not in (8, 16, 32, 64):
            raise BfError(pos, f"base must be 8, 16, 32 or 64, not {bits}")
        canonical, sign = bits, 0
        if self.accept('op', '('):
            pos = self.peek().pos
            canonical = self.expr({})
            self.expect('op', ',', "',' between canonical size and sign-extension flag")
            sign = self.expr({})
            self.expect('op', ')', "')' after base parameters")
            if not 0 < canonical <= bits:
                raise BfError(pos, f"canonical size {canonical} must be between 1 and {bits}")
            if sign not in (0, 1):
                raise BfError(pos, f"sign-extension flag must be 0 or 1, not {sign}")
        self.base = Base(bits, canonical, bool(sign))

    def name_list(self, what: str) -> List[Token]:
        names = []
        if not self.at('op', ')'):
            names.append(self.ident(what))
            while self.accept('op', ','):
                names.append(self.ident(what))
        self.expect('op', ')', f"',' or ')' in {what} list")
        return names

    def parse_block(self):
        self.next()
        name_tok = self.ident('block name')
        if self.base is None:
            raise BfError(name_tok.pos, "block declared before any 'base'")
        order = self.name_list('field name') if self.accept('op', '(') else None
        self.expect('op', '{', f"'{{' to open block '{name_tok.value}'")
        items: List[Item] = []
        while not self.accept('op', '}'):
            items.extend(self.parse_item())
        block = Block(name_tok.value, self.base, items,
                      [t.value for t in order] if order is not None else None, name_tok.pos)
        if block.name in self.blocks:
            first = self.blocks[block.name].pos
            raise BfError(name_tok.pos, f"duplicate block '{block.name}' "
                                        f"(first defined at {first.file}:{first.line})")
        layout_block(block, order)
        self.blocks[block.name] = block
        self.spec.decls.append(block)

    def parse_item(self) -> List[Item]:
        tok = self.peek()
        kw = tok.value if tok.kind == 'id' else None
        if kw not in ('field', 'field_high', 'field_ptr', 'padding'):
            raise BfError(tok.pos, "expected 'field', 'field_high', 'field_ptr', 'padding' "
                                   f"or '}}', found {tok.describe()}")
        self.next()
        names, base = self.size_names(), self.base
        if kw == 'padding':
            size = self.expr(names)
            if size < 0:
                raise BfError(tok.pos, f"padding size {size} is negative")
            return [Item('padding', None, size, tok.pos)]
        align = 0
        if kw == 'field_ptr' and self.accept('op', '('):
            align = self.expr(names)
            self.expect('op', ')', "')' after field_ptr alignment")
        name = self.ident('field name').value
        size = self.expr(names)
        if name in RESERVED_NAMES:
            raise BfError(tok.pos, f"field name '{name}' is reserved for generated code")
        if size <= 0:
            raise BfError(tok.pos, f"field '{name}' has size {size}; size must be > 0")
        if size > base.bits:
            raise BfError(tok.pos, f"field '{name}' is {size} bits, wider than the "
                                   f"{base.bits}-bit word")
        if kw == 'field':
            return [Item('field', name, size, tok.pos)]
        if kw == 'field_high':
            if size > base.canonical:
                raise BfError(tok.pos, f"field_high '{name}' is {size} bits, more than the "
                                       f"canonical size {base.canonical}")
            return [Item('high', name, size, tok.pos)]
        if not 0 <= align < base.canonical:
            raise BfError(tok.pos, f"field_ptr '{name}' alignment {align} must be between 0 "
                                   f"and {base.canonical - 1}")
        pad = size - base.canonical + align
        if pad < 0:
            raise BfError(tok.pos, f"field_ptr '{name}' of size {size} cannot hold "
                                   f"{base.canonical - align} pointer bits")
        return [Item('padding', None, pad, tok.pos),
                Item('high', name, base.canonical - align, tok.pos)]

    def parse_union(self):
        self.next()
        name_tok = self.ident('tagged_union name')
        if self.base is None:
            raise BfError(name_tok.pos, "tagged_union declared before any 'base'")
        tag_tok = self.ident('tag field name')
        slices = None
        if self.accept('op', '('):
            slices = [t.value for t in self.name_list('tag slice')]
            if not slices:
                raise BfError(tag_tok.pos, "sliced tag needs at least one slice")
        union = Union(name_tok.value, tag_tok.value, slices or [tag_tok.value],
                      slices is not None, self.base, name_tok.pos)
        self.expect('op', '{', f"'{{' to open tagged_union '{union.name}'")
        while not self.accept('op', '}'):
            tok = self.peek()
            if tok.kind == 'id' and tok.value == 'mask':
                raise BfError(tok.pos, "'mask' (variable-width tags) is not supported")
            self.expect('id', 'tag', "'tag' or '}'")
            block_tok = self.ident('block name after tag')
            if union.sliced:
                self.expect('op', '(', f"'(' before the {len(union.slices)} slice values")
                values = [self.expr({})]
                while self.accept('op', ','):
                    values.append(self.expr({}))
                self.expect('op', ')', "',' or ')' in tag value list")
                if len(values) != len(union.slices):
                    raise BfError(block_tok.pos, f"tag '{block_tok.value}' has {len(values)} "
                                                 f"values for {len(union.slices)} slices")
            else:
                values = [self.expr({})]
            union.tags.append((block_tok.value, tuple(values), block_tok.pos))
        if not union.tags:
            raise BfError(name_tok.pos, f"tagged_union '{union.name}' has no variants")
        self.spec.decls.append(union)


# --------------------------------------------------------------------------
# Layout and semantic checks

def layout_block(block: Block, order_toks: Optional[List[Token]]):
    """Assign bit offsets (first item at the top, packing downwards)."""
    n = block.base.bits
    total = sum(i.size for i in block.items)
    if total == 0:
        raise BfError(block.pos, f"block '{block.name}' is empty")
    if total % n:
        raise BfError(block.pos, f"block '{block.name}' is {total} bits, not a multiple "
                                 f"of the {n}-bit base")
    seen: Dict[str, Item] = {}
    offset = total
    for item in block.items:
        offset -= item.size
        item.offset = offset
        if item.kind == 'padding':
            continue
        if item.name in seen:
            raise BfError(item.pos, f"duplicate field '{item.name}' in block '{block.name}'")
        seen[item.name] = item
        if offset // n != (offset + item.size - 1) // n:
            raise BfError(item.pos, f"field '{item.name}' (bits {offset}..{offset + item.size - 1}"
                                    f" of '{block.name}') crosses a {n}-bit word boundary")
    if order_toks is None:
        return
    listed = set()
    for tok in order_toks:
        if tok.value not in seen:
            raise BfError(tok.pos, f"visible order of '{block.name}' names unknown field "
                                   f"'{tok.value}'")
        if tok.value in listed:
            raise BfError(tok.pos, f"field '{tok.value}' is listed twice in the visible "
                                   f"order of '{block.name}'")
        listed.add(tok.value)
    missing = [f for f in seen if f not in listed]
    if missing:
        raise BfError(block.pos, f"visible order of '{block.name}' is missing field(s) "
                                 + ", ".join(f"'{m}'" for m in missing))


def resolve(spec: Spec):
    """Attach variants to unions and check every union rule."""
    blocks = {d.name: d for d in spec.decls if isinstance(d, Block)}
    unions: Dict[str, Union] = {}
    for union in (d for d in spec.decls if isinstance(d, Union)):
        if union.name in unions or union.name in blocks:
            raise BfError(union.pos, f"name '{union.name}' is already used by another "
                                     "block or tagged_union")
        unions[union.name] = union
        by_value: Dict[int, str] = {}
        for bname, values, pos in union.tags:
            block = blocks.get(bname)
            if block is None:
                raise BfError(pos, f"unknown block '{bname}' in tagged_union '{union.name}'")
            if block.union is union:
                raise BfError(pos, f"block '{bname}' is tagged twice in '{union.name}'")
            if block.union is not None:
                raise BfError(pos, f"block '{bname}' is already a variant of tagged_union "
                                   f"'{block.union.name}'")
            check_variant(union, block, values, pos)
            if sum(f.size for f in union.slice_fields) > union.base.bits:
                raise BfError(union.pos, f"sliced tag of '{union.name}' is wider than a word")
            value = sum(v << s for v, s in zip(values, union.slice_shifts()))
            if value in by_value:
                raise BfError(pos, f"tag value {value} of '{bname}' is already used by "
                                   f"'{by_value[value]}'")
            if value > 0x7fffffff:
                raise BfError(pos, f"tag value {value} of '{bname}' does not fit a C enum")
            by_value[value] = bname
            block.union = union
            union.variants.append((block, value))


def check_variant(union: Union, block: Block, values, pos: Pos):
    if block.base.bits != union.base.bits:
        raise BfError(pos, f"variant '{block.name}' has base {block.base.bits} but "
                           f"tagged_union '{union.name}' has base {union.base.bits}")
    if union.variants:
        first = union.variants[0][0]
        if block.nwords != first.nwords:
            raise BfError(pos, f"variant '{block.name}' is {block.nwords} word(s) but "
                               f"'{first.name}' is {first.nwords}")
    for i, sname in enumerate(union.slices):
        f = block.field(sname)
        if f is None:
            raise BfError(pos, f"variant '{block.name}' has no tag field '{sname}'")
        if f.kind == 'high':
            raise BfError(f.pos, f"tag field '{sname}' must not be a field_high")
        if len(union.slice_fields) <= i:
            union.slice_fields.append(f)
        ref = union.slice_fields[i]
        if (f.offset, f.size) != (ref.offset, ref.size):
            raise BfError(f.pos, f"tag field '{sname}' of '{block.name}' is at bit {f.offset} "
                                 f"width {f.size}, but at bit {ref.offset} width {ref.size} "
                                 "in earlier variants")
        if not 0 <= values[i] < (1 << f.size):
            raise BfError(pos, f"tag value {values[i]} of '{block.name}' does not fit in the "
                               f"{f.size}-bit tag field '{sname}'")


def parse_spec(text: str, filename: str) -> Spec:
    spec = Parser(tokenize(text, filename)).parse()
    resolve(spec)
    return spec


# --------------------------------------------------------------------------
# C generation

ENVIRONMENTS = {
    'kernel': dict(includes=['<stdint.h>', '<assert.h>'], assert_='assert',
                   inline='static inline', word='uint{}_t'),
    'libsel4': dict(includes=['<sel4/simple_types.h>', '<sel4/debug_assert.h>'],
                    assert_='seL4_DebugAssert', inline='LIBSEL4_INLINE_FUNC',
                    word='seL4_Uint{}'),
}


def ones(n: int) -> int:
    return (1 << n) - 1


def paren(expr: str) -> str:
    """Parenthesise `expr` unless it is a simple operand or already wrapped."""
    if re.fullmatch(r'\w+(?:(?:\.|->)\w+)*(?:\[\d+\])?', expr):
        return expr
    depth = 0
    for i, ch in enumerate(expr):
        depth += {'(': 1, ')': -1}.get(ch, 0)
        if depth == 0:
            return expr if i == len(expr) - 1 and ch == ')' else f"({expr})"
    return f"({expr})"


def cast(ctype: str, expr: str) -> str:
    return f"({ctype}){paren(expr)}"


class Emitter:
    """Writes the header.  Accessors are generated by one method per kind of
    function; `ptr` selects the value or the pointer flavour, and `tgt`
    (a block, possibly a union variant) selects naming and tag handling."""

    def __init__(self, env: str):
        self.env = ENVIRONMENTS[env]
        self.out: List[str] = []

    # -- small helpers
    def word_type(self, base: Base) -> str:
        return self.env['word'].format(base.bits)

    @staticmethod
    def lit(value: int, base: Base) -> str:
        return f"0x{value:x}" + ('ull' if base.bits == 64 else 'u')

    def assert_(self, cond: str) -> str:
        return f"{self.env['assert_']}({cond});"

    @staticmethod
    def word(ptr: bool, i: int) -> str:
        return f"bf_p->words[{i}]" if ptr else f"bf_s.words[{i}]"

    @staticmethod
    def low_bit(base: Base, f: Item) -> int:
        """Lowest bit of the value that is stored (non-zero for field_high)."""
        return base.canonical - f.size if f.kind == 'high' else 0

    def pack(self, base: Base, f: Item, var: str) -> str:
        """Expression placing value `var` at the field's bits of its word."""
        if f.size == base.bits:
            return var
        low, shift = self.low_bit(base, f), f.offset % base.bits
        expr = f"({var} >> {low})" if low else var
        expr = f"({expr} & {self.lit(ones(f.size), base)})"
        return f"({expr} << {shift})" if shift else expr

    def unpack(self, base: Base, f: Item, word: str) -> str:
        """Expression extracting the field's value from word expression `word`."""
        if f.size == base.bits:
            return word
        low, shift = self.low_bit(base, f), f.offset % base.bits
        expr = f"({word} >> {shift})" if shift else word
        expr = f"({expr} & {self.lit(ones(f.size), base)})"
        return f"({expr} << {low})" if low else expr

    def fit_asserts(self, base: Base, f: Item, var: str) -> List[str]:
        """Assertions that storing `var` in field `f` loses no bits."""
        n, c = base.bits, base.canonical
        if f.kind == 'field':
            return [] if f.size == n else [
                self.assert_(f"({var} & ~{self.lit(ones(f.size), base)}) == 0")]
        out = []
        low = self.low_bit(base, f)
        if low:
            out.append(self.assert_(f"({var} & {self.lit(ones(low), base)}) == 0"))
        if c < n and base.sign_extend:
            high = self.lit(ones(n) ^ ones(c - 1), base)
            out.append(self.assert_(f"({var} & {high}) == 0 || ({var} & {high}) == {high}"))
        elif c < n:
            out.append(self.assert_(f"({var} & {self.lit(ones(n) ^ ones(c), base)}) == 0"))
        return out

    def func(self, attr: str, ret: str, name: str, params: List[str], body: List[str]):
        spec = self.env['inline'] + (f" {attr}" if attr else '')
        self.out.append(f"{spec} {ret} {name}({', '.join(params) or 'void'})")
        self.out.append("{")
        self.out.extend(f"    {line}" for line in body)
        self.out.extend(["}", ""])

    @staticmethod
    def self_param(struct: str, ptr: bool, const: bool = False) -> str:
        if ptr:
            return f"{'const ' if const else ''}{struct}_t *bf_p"
        return f"{struct}_t bf_s"

    # -- naming of the thing being accessed (a plain block or a union variant)
    @staticmethod
    def names(tgt: Block) -> Tuple[str, str]:
        """(struct name, function prefix)"""
        if tgt.union:
            return tgt.union.name, f"{tgt.union.name}_{tgt.name}"
        return tgt.name, tgt.name

    def tag_check(self, tgt: Block, ptr: bool) -> List[str]:
        if not tgt.union:
            return []
        u = tgt.union
        getter = f"{u.name}_{'ptr_' if ptr else ''}get_{u.tagname}"
        arg = 'bf_p' if ptr else 'bf_s'
        return [self.assert_(f"{getter}({arg}) == ({self.word_type(u.base)}){u.name}_{tgt.name}")]

    # -- the emitted function kinds
    def emit_header(self, source: str, envname: str):
        self.out += ["#pragma once", "",
                     f"/* Generated by bitfield_gen.py from {source} "
                     f"(environment: {envname}).",
                     " * Do not edit: change the .bf file and regenerate. */", ""]
        self.out += [f"#include {inc}" for inc in self.env['includes']] + [""]
        macros = [('BF_CONST', '__attribute__((__const__))'),
                  ('BF_PURE', '__attribute__((__pure__))')]
        if envname == 'libsel4':
            macros.append(('LIBSEL4_INLINE_FUNC', 'static inline'))
        for name, value in macros:
            self.out += [f"#ifndef {name}", f"#define {name} {value}", "#endif"]
        self.out.append("")

    def emit_struct(self, name: str, base: Base, nwords: int):
        self.out += [f"struct {name} {{", f"    {self.word_type(base)} words[{nwords}];",
                     "};", f"typedef struct {name} {name}_t;", ""]

    def emit_enum(self, u: Union):
        self.out.append(f"enum {u.name}_tag {{")
        self.out += [f"    {u.name}_{b.name} = {v}," for b, v in u.variants]
        self.out += ["};", f"typedef enum {u.name}_tag {u.name}_tag_t;", ""]

    def emit_tag_get(self, u: Union, ptr: bool):
        w, parts = self.word_type(u.base), []
        for f, shift in zip(u.slice_fields, u.slice_shifts()):
            part = self.unpack(u.base, f, self.word(ptr, f.offset // u.base.bits))
            parts.append(f"({part} << {shift})" if shift else part)
        self.func('BF_PURE' if ptr else 'BF_CONST', w,
                  f"{u.name}_{'ptr_' if ptr else ''}get_{u.tagname}",
                  [self.self_param(u.name, ptr, const=True)],
                  [f"return {cast(w, ' | '.join(parts))};"])

    def emit_new(self, tgt: Block, ptr: bool):
        base, w = tgt.base, self.word_type(tgt.base)
        struct, prefix = self.names(tgt)
        params = tgt.params()
        body = [] if ptr else [f"{struct}_t bf_s;"]
        for f in params:
            body += self.fit_asserts(base, f, f.name)
        placed = [(f, self.pack(base, f, f.name)) for f in params]
        if tgt.union:       # the tag: the enum constant, or the literal slice values
            u = tgt.union
            tag = dict((b.name, v) for b, v in u.variants)[tgt.name]
            for f, shift in zip(u.slice_fields, u.slice_shifts()):
                pos = f.offset % base.bits
                if u.sliced:
                    expr = self.lit(((tag >> shift) & ones(f.size)) << pos, base)
                else:
                    expr = f"({w}){u.name}_{tgt.name}" + (f" << {pos}" if pos else '')
                placed.append((f, paren(expr)))
        placed.sort(key=lambda fp: -fp[0].offset)       # most significant first
        for i in range(tgt.nwords):
            t = [expr for f, expr in placed if f.offset // base.bits == i]
            if len(t) > 1:      # one term per line
                body += [f"{self.word(ptr, i)} = ({w})({t[0]}"] + [f"    | {x}" for x in t[1:]]
                body[-1] += ");"
            else:
                body.append(f"{self.word(ptr, i)} = {cast(w, t[0]) if t else f'({w})0'};")
        if not ptr:
            body.append("return bf_s;")
        self.func('' if ptr else 'BF_CONST', 'void' if ptr else f"{struct}_t",
                  f"{prefix}_{'ptr_' if ptr else ''}new",
                  ([self.self_param(struct, True)] if ptr else [])
                  + [f"{w} {f.name}" for f in params], body)

    def emit_get(self, tgt: Block, f: Item, ptr: bool):
        base, w = tgt.base, self.word_type(tgt.base)
        struct, prefix = self.names(tgt)
        body = self.tag_check(tgt, ptr)
        value = self.unpack(base, f, self.word(ptr, f.offset // base.bits))
        if f.kind == 'high' and base.sign_extend and base.canonical < base.bits:
            sign = self.lit(1 << (base.canonical - 1), base)
            high = self.lit(ones(base.bits) ^ ones(base.canonical), base)
            body += [f"{w} bf_r = {cast(w, value)};",
                     f"if ((bf_r & {sign}) != 0) {{",
                     f"    bf_r = ({w})(bf_r | {high});", "}", "return bf_r;"]
        else:
            body.append(f"return {value if f.size == base.bits else cast(w, value)};")
        self.func('BF_PURE' if ptr else 'BF_CONST', w,
                  f"{prefix}_{'ptr_' if ptr else ''}get_{f.name}",
                  [self.self_param(struct, ptr, const=True)], body)

    def emit_set(self, tgt: Block, f: Item, ptr: bool):
        base, w = tgt.base, self.word_type(tgt.base)
        struct, prefix = self.names(tgt)
        body = self.tag_check(tgt, ptr) + self.fit_asserts(base, f, 'bf_v')
        word = self.word(ptr, f.offset // base.bits)
        if f.size == base.bits:
            body.append(f"{word} = bf_v;")
        else:
            keep = self.lit(ones(f.size) << (f.offset % base.bits), base)
            body.append(f"{word} = ({w})(({word} & ~{keep}) | {self.pack(base, f, 'bf_v')});")
        if not ptr:
            body.append("return bf_s;")
        self.func('' if ptr else 'BF_CONST', 'void' if ptr else f"{struct}_t",
                  f"{prefix}_{'ptr_' if ptr else ''}set_{f.name}",
                  [self.self_param(struct, ptr), f"{w} bf_v"], body)

    def emit_accessors(self, tgt: Block):
        self.emit_new(tgt, ptr=False)
        self.emit_new(tgt, ptr=True)
        skip = tgt.union.slices if tgt.union else []
        for f in tgt.fields:
            if f.name in skip:
                continue
            for ptr in (False, True):
                self.emit_get(tgt, f, ptr)
                self.emit_set(tgt, f, ptr)

    def emit_spec(self, spec: Spec, source: str, envname: str) -> str:
        self.emit_header(source, envname)
        for decl in spec.decls:
            if isinstance(decl, Union):
                first = decl.variants[0][0]
                self.out.append(f"/* tagged_union {decl.name} */")
                self.emit_struct(decl.name, decl.base, first.nwords)
                self.emit_enum(decl)
                self.emit_tag_get(decl, ptr=False)
                self.emit_tag_get(decl, ptr=True)
                for block, _ in decl.variants:
                    self.out.append(f"/* {decl.name} variant {block.name} */")
                    self.emit_accessors(block)
            elif decl.union is None:
                self.out.append(f"/* block {decl.name} */")
                self.emit_struct(decl.name, decl.base, decl.nwords)
                self.emit_accessors(decl)
        while self.out and self.out[-1] == "":
            self.out.pop()
        return "\n".join(self.out) + "\n"


def generate(text: str, filename: str, env: str = 'kernel', source: Optional[str] = None) -> str:
    """Parse `text` (named `filename` in errors) and return the C header."""
    spec = parse_spec(text, filename)
    return Emitter(env).emit_spec(spec, source or filename, env)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Generate C bitfield accessors from a .bf file.")
    ap.add_argument('--environment', choices=['kernel', 'sel4', 'libsel4'], default='kernel',
                    help="kernel (default; 'sel4' is an alias) or libsel4")
    ap.add_argument('input', help=".bf file (usually preprocessed), or - for stdin")
    ap.add_argument('output', help="C header to write")
    args = ap.parse_args(argv)
    env = 'kernel' if args.environment == 'sel4' else args.environment
    try:
        if args.input == '-':
            text, name = sys.stdin.read(), '<stdin>'
        else:
            with open(args.input, encoding='utf-8') as fh:
                text, name = fh.read(), args.input
    except (OSError, UnicodeDecodeError) as exc:
        print(f"bitfield_gen: error: cannot read {args.input}: {exc}", file=sys.stderr)
        return 1
    try:
        header = generate(text, name, env)
    except BfError as exc:
        print(exc, file=sys.stderr)
        return 1
    tmp = f"{args.output}.tmp{os.getpid()}"
    try:
        with open(tmp, 'w', encoding='utf-8') as fh:
            fh.write(header)
        os.replace(tmp, args.output)
    except OSError as exc:
        print(f"bitfield_gen: error: cannot write {args.output}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
