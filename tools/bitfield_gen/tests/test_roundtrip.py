"""Round-trip tests: generated C versus an independent Python model.

roundtrip/roundtrip.bf is compiled to a header; a generated C driver reads
commands (op number + hex arguments) on stdin, calls the accessors and prints
the results.  Every printed number is compared with MODEL below, which
describes the same blocks again by hand and computes layouts on one big
integer per block (bit 0 = bit 0 of words[0]), not word by word as the
generator does.

The assertion tests compile small programs that must abort on lost bits,
non-canonical or misaligned pointers and the wrong union variant.
"""

import functools
import os
import random
import subprocess

from bftest import (BfTestCase, STRICT_CFLAGS, TESTS_DIR, compile_c, compilers, make_tempdir,
                    primary_cc, run_generator)

ROUNDTRIP_BF = os.path.join(TESTS_DIR, 'roundtrip', 'roundtrip.bf')
REPS = 40          # random cases per operation


# --------------------------------------------------------------------------
# The independent model.  Item constructors:
#   F(name, size)            plain field
#   H(name, size)            field_high: keeps the top `size` of C value bits
#   PTR(name, size, align)   field_ptr(align): a size-bit slot whose low C-align
#                            bits hold value bits C-1..align
#   P(size)                  padding

def F(name, size):
    return ('f', name, size, 0)


def H(name, size):
    return ('h', name, size, 0)


def PTR(name, size, align):
    return ('ptr', name, size, align)


def P(size):
    return ('p', None, size, 0)


S48 = (64, 48, 1)
MODEL_BLOCKS = [
    # name, base (N, C, S), items, visible order
    ('rt_basic', S48, [F('a', 10), P(2), F('b', 20), F('c', 32)], ['c', 'a', 'b']),
    ('rt_multi', S48, [F('full', 64), H('hptr', 48), F('t', 16), PTR('fp', 64, 4)], None),
    ('rt_edges', S48, [F('top', 1), P(62), F('bot', 1), F('hi', 1), H('tiny', 1),
                       H('mid', 30), P(31), F('lo', 1)], None),
    ('rc_null', S48, [P(64), F('ctype', 5), P(59)], None),
    ('rc_ep', S48, [F('badge', 64), F('ctype', 5), F('grant', 1), F('recv', 1), P(9),
                    H('ptr', 48)], ['ctype', 'badge', 'grant', 'recv', 'ptr']),
    ('rc_frame', S48, [F('asid', 16), PTR('fbase', 48, 12), F('ctype', 5), F('fsize', 2), P(9),
                       PTR('mapped', 48, 0)], None),
    ('rc_untyped', S48, [F('free', 48), F('bits', 6), P(10), F('ctype', 5), P(11),
                         PTR('uptr', 48, 4)], None),
    ('rc_cnode', S48, [F('guard', 64), F('ctype', 5), F('radix', 6), F('gsize', 6),
                       PTR('cptr', 47, 1)], None),
    ('rt_pte', (64, 48, 0), [F('xn', 1), P(15), H('paddr', 36), F('attr', 10), F('valid', 2)],
     None),
    ('rt_noext', (64, 48, 0), [H('p', 20), F('x', 44)], None),
    ('rt_sv39', (64, 39, 1), [P(10), H('ppn', 27), P(17), F('flags', 10)], None),
    ('sp_table', (64, 64, 0), [H('next', 52), P(9), F('sw', 1), F('hw', 2)], None),
    ('sp_page', (64, 64, 0), [H('frame', 52), F('attr', 9), F('sw', 1), F('hw', 2)], None),
    ('sp_small', (64, 64, 0), [H('frame', 52), F('attr', 9), F('sw', 1), F('hw', 2)], None),
    ('rt_msginfo', (32, 32, 0), [F('label', 20), F('caps', 3), F('extra', 2), F('length', 7)],
     None),
    ('rt_rights', (32, 32, 0), [P(28), F('g', 1), F('gr', 1), F('r', 1), F('w', 1)], None),
    ('rt_two32', (32, 32, 0), [F('a', 32), H('p', 20), P(10), F('k', 2)], None),
    ('r32_a', (32, 32, 0), [F('x', 28), F('kind', 4), F('y', 32)], None),
    ('r32_b', (32, 32, 0), [P(28), F('kind', 4), H('z', 16), F('w', 16)], ['z', 'kind', 'w']),
    ('rt_s32', (32, 24, 1), [H('p', 16), P(16)], None),
    ('rt_h16', (16, 16, 0), [F('a', 3), P(5), H('b', 4), F('c', 4)], None),
    ('rt_h8', (8, 8, 0), [F('x', 2), H('y', 3), P(3)], None),
]
MODEL_UNIONS = {
    # union: (tag name, slice fields (lowest first), {variant: slice values})
    'rcap': ('ctype', ['ctype'], {'rc_null': (0,), 'rc_ep': (4,), 'rc_frame': (1,),
                                  'rc_untyped': (2,), 'rc_cnode': (0x1f,)}),
    'spte': ('stype', ['hw', 'sw'], {'sp_table': (3, 0), 'sp_page': (1, 0),
                                     'sp_small': (3, 1)}),
    'r32': ('kind', ['kind'], {'r32_a': (5,), 'r32_b': (10,)}),
}


def ones(n):
    return (1 << n) - 1


class MBlock:
    def __init__(self, name, base, items, order):
        self.name = name
        self.n, self.c, self.s = base
        self.total = sum(i[2] for i in items)
        self.nwords = self.total // self.n
        self.fields = {}     # name -> (bit position in struct, stored width, value low bit, high?)
        top = self.total
        for kind, fname, size, align in items:
            top -= size
            if kind == 'f':
                self.fields[fname] = (top, size, 0, False)
            elif kind == 'h':
                self.fields[fname] = (top, size, self.c - size, True)
            elif kind == 'ptr':
                self.fields[fname] = (top, self.c - align, align, True)
        self.order = order or list(self.fields)
        self.union, self.tag_values, self.tag_fields = None, (), []
        for uname, (_, slices, variants) in MODEL_UNIONS.items():
            if name in variants:
                self.union, self.tag_values, self.tag_fields = uname, variants[name], slices

    # C naming
    def struct(self):
        return self.union or self.name

    def prefix(self):
        return f"{self.union}_{self.name}" if self.union else self.name

    def params(self):
        return [f for f in self.order if f not in self.tag_fields]

    def accessible(self):
        return [f for f in self.fields if f not in self.tag_fields]

    # semantics on one integer holding the whole block
    def get(self, x, fname):
        pos, width, low, high = self.fields[fname]
        value = ((x >> pos) & ones(width)) << low
        if high and self.s and self.c < self.n and (value >> (self.c - 1)) & 1:
            value |= ones(self.n) & ~ones(self.c)
        return value

    def set(self, x, fname, value):
        pos, width, low, _ = self.fields[fname]
        x &= ~(ones(width) << pos)
        return x | (((value >> low) & ones(width)) << pos)

    def with_tag(self, x):
        for fname, v in zip(self.tag_fields, self.tag_values):
            x = self.set(x, fname, v)
        return x

    def tag(self, x):
        shift, out = 0, 0
        for fname in self.tag_fields:
            out |= self.get(x, fname) << shift
            shift += self.fields[fname][1]
        return out

    def new(self, args):
        x = 0
        for fname, v in args.items():
            x = self.set(x, fname, v)
        return self.with_tag(x)

    def words(self, x):
        return [(x >> (i * self.n)) & ones(self.n) for i in range(self.nwords)]

    def from_words(self, ws):
        return sum(w << (i * self.n) for i, w in enumerate(ws))

    # random inputs that satisfy the debug assertions
    def random_value(self, rng, fname):
        _, width, low, high = self.fields[fname]
        pick = rng.random()
        raw = 0 if pick < 0.1 else ones(width) if pick < 0.2 else rng.getrandbits(width)
        value = raw << low
        if high and self.s and self.c < self.n and (value >> (self.c - 1)) & 1:
            value |= ones(self.n) & ~ones(self.c)
        return value

    def random_struct(self, rng):
        pick = rng.random()
        x = 0 if pick < 0.05 else ones(self.total) if pick < 0.1 else rng.getrandbits(self.total)
        return self.with_tag(x)


MODEL = [MBlock(*b) for b in MODEL_BLOCKS]


# --------------------------------------------------------------------------
# Driver and expected output

def word_type(env, n):
    return f"uint{n}_t" if env == 'kernel' else f"seL4_Uint{n}"


def build_ops():
    """List of (kind, block, field or None)."""
    ops = []
    for b in MODEL:
        ops.append(('new', b, None))
        ops += [(k, b, f) for f in b.accessible() for k in ('get', 'set')]
    ops += [('tag', b, None) for b in MODEL if b.union]
    return ops


def c_case(env, op_id, kind, b, fname):
    w, s, p, n = word_type(env, b.n), b.struct(), b.prefix(), b.nwords
    read_s = [f"{s}_t s;", f"for (int i = 0; i < {n}; i++) s.words[i] = ({w})rd();"]
    pr = lambda var: f"for (int i = 0; i < {n}; i++) pr({var}.words[i]);"
    if kind == 'new':
        args = ', '.join(f"a_{f}" for f in b.params())
        body = [f"{w} a_{f} = ({w})rd();" for f in b.params()]
        body += [f"{s}_t s = {p}_new({args});", f"{s}_t t;", "memset(&t, 0xa5, sizeof t);",
                 f"{p}_ptr_new(&t{', ' if args else ''}{args});", pr('s'), pr('t')]
    elif kind == 'get':
        body = read_s + [f"pr({p}_get_{fname}(s));", f"pr({p}_ptr_get_{fname}(&s));"]
    elif kind == 'set':
        body = read_s + [f"{w} v = ({w})rd();", f"{s}_t r = {p}_set_{fname}(s, v);",
                         f"{s}_t t = s;", f"{p}_ptr_set_{fname}(&t, v);", pr('r'), pr('t')]
    else:
        tagname = MODEL_UNIONS[b.union][0]
        body = read_s + [f"pr({s}_get_{tagname}(s));", f"pr({s}_ptr_get_{tagname}(&s));"]
    return [f"    case {op_id}: {{"] + [f"        {line}" for line in body] + ["        break;",
                                                                               "    }"]


def driver_source(env, header, ops):
    lines = ['#include <stdio.h>', '#include <stdlib.h>', '#include <string.h>',
             f'#include "{header}"', '',
             'static unsigned long long rd(void)', '{', '    unsigned long long v;',
             '    if (scanf("%llx", &v) != 1) {', '        fprintf(stderr, "bad input\\n");',
             '        exit(3);', '    }', '    return v;', '}', '',
             'static void pr(unsigned long long v)', '{', '    printf(" %llx", v);', '}', '',
             'int main(void)', '{', '    unsigned long long op;',
             '    while (scanf("%llx", &op) == 1) {', '    printf("%llx", op);',
             '    switch (op) {']
    for op_id, (kind, b, fname) in enumerate(ops):
        lines += c_case(env, op_id, kind, b, fname)
    lines += ['    default:', '        fprintf(stderr, "bad op\\n");', '        return 2;',
              '    }', '    putchar(\'\\n\');', '    }', '    return 0;', '}', '']
    return '\n'.join(lines)


def make_cases(ops, rng):
    """Returns (stdin text, expected lines, descriptions)."""
    inputs, expected, desc = [], [], []
    for op_id, (kind, b, fname) in enumerate(ops):
        for _ in range(REPS):
            if kind == 'new':
                args = {f: b.random_value(rng, f) for f in b.params()}
                x = b.new(args)
                inp = [args[f] for f in b.params()]
                out = b.words(x) * 2
            else:
                x = b.random_struct(rng)
                inp = b.words(x)
                if kind == 'get':
                    out = [b.get(x, fname)] * 2
                elif kind == 'set':
                    v = b.random_value(rng, fname)
                    inp.append(v)
                    out = b.words(b.set(x, fname, v)) * 2
                else:
                    out = [b.tag(x)] * 2
            inputs.append(' '.join(f"{v:x}" for v in [op_id] + inp))
            expected.append(' '.join(f"{v:x}" for v in [op_id] + out))
            desc.append(f"{kind} {b.prefix()} {fname or ''} input={inputs[-1]}")
    return '\n'.join(inputs) + '\n', expected, desc


@functools.lru_cache(maxsize=None)
def workdir():
    return make_tempdir('bf_roundtrip_')


@functools.lru_cache(maxsize=None)
def sanitizer_flags(cc):
    """UBSan catches shifts by >= the width and similar UB, where available."""
    flags = ['-fsanitize=undefined', '-fno-sanitize-recover=all']
    src = os.path.join(workdir(), 'probe.c')
    with open(src, 'w') as fh:
        fh.write('int main(void) { return 0; }\n')
    ok, _ = compile_c(cc, [src], src + '.exe', flags, cwd=workdir())
    return tuple(flags) if ok else ()


@functools.lru_cache(maxsize=None)
def generated_header(env):
    out = os.path.join(workdir(), f'roundtrip_{env}.h')
    proc = run_generator(['--environment', env, ROUNDTRIP_BF, out])
    if proc.returncode != 0:
        raise AssertionError(f"generator failed: {proc.stderr}")
    return out


class RoundTripTests(BfTestCase):
    group = 'roundtrip'

    def run_roundtrip(self, env, cc, extra_flags):
        ops = build_ops()
        header = generated_header(env)
        tag = f"{env}_{os.path.basename(cc.split()[0])}_{'_'.join(extra_flags)}".replace('-', '')
        src = os.path.join(workdir(), f'driver_{tag}.c')
        with open(src, 'w') as fh:
            fh.write(driver_source(env, header, ops))
        exe = src[:-2] + '.exe'
        flags = STRICT_CFLAGS + ['-I', workdir()] + list(extra_flags) + list(sanitizer_flags(cc))
        ok, log = compile_c(cc, [src], exe, flags, cwd=workdir())
        self.assertTrue(ok, log)
        seed = int(os.environ.get('BF_SEED', '20240611'))
        stdin, expected, desc = make_cases(ops, random.Random(seed))
        self.assertGreaterEqual(len(expected), 5000)
        proc = subprocess.run([exe], input=stdin, capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, f"driver failed (seed {seed}): {proc.stderr[-2000:]}")
        got = proc.stdout.splitlines()
        self.assertEqual(len(got), len(expected), "driver printed the wrong number of lines")
        bad = [f"{d}\n   expected {e}\n   got      {g}"
               for d, e, g in zip(desc, expected, got) if e != g]
        if bad:
            self.fail(f"{len(bad)} of {len(expected)} cases differ (seed {seed}):\n"
                      + '\n'.join(bad[:12]))

    def test_kernel(self):
        self.run_roundtrip('kernel', primary_cc(), ['-O1'])

    def test_kernel_ndebug_O2(self):
        self.run_roundtrip('kernel', primary_cc(), ['-O2', '-DNDEBUG'])

    def test_libsel4(self):
        self.run_roundtrip('libsel4', primary_cc(), ['-O1'])


def _add_compiler_variants():
    for cc in compilers()[1:]:
        name = os.path.basename(cc.split()[0])
        setattr(RoundTripTests, f'test_kernel_{name}',
                lambda self, c=cc: self.run_roundtrip('kernel', c, ['-O1']))


_add_compiler_variants()


# --------------------------------------------------------------------------
# Debug assertions must fire

ASSERT_CASES = {
    # name: (C statements, text expected in the assertion message or None)
    'control_no_abort': ("rt_basic_t s = rt_basic_new(0xffffffffu, 0x3ff, 0xfffff);\n"
                         "show(s.words[0]);\n"
                         "rcap_t c = rcap_rc_ep_new(1, 1, 0, 0xffff800000000000ull);\n"
                         "show(rcap_rc_ep_get_ptr(c));", None),
    'new_field_overflow': ("rt_basic_t s = rt_basic_new(0, big(0x400), 0);\nshow(s.words[0]);",
                           "0x3ff"),
    'set_field_overflow': ("rt_basic_t s = rt_basic_new(0, 0, 0);\n"
                           "s = rt_basic_set_b(s, big(0x100000));\nshow(s.words[0]);", "0xfffff"),
    'ptr_set_field_overflow': ("rt_msginfo_t m = rt_msginfo_new(0, 0, 0, 0);\n"
                               "rt_msginfo_ptr_set_length(&m, (uint32_t)big(0x80));\nshow(m.words[0]);",
                               None),
    'field_high_misaligned': ("rcap_t c = rcap_rc_frame_new(0, big(0x1001), 0, 0);\n"
                              "show(c.words[0]);", "0xfff"),
    'field_high_noncanonical_sext': ("rcap_t c = rcap_rc_ep_new(0, 0, 0, big(0x800000000000ull));\n"
                                     "show(c.words[0]);", "0xffff800000000000"),
    'field_high_noncanonical_zext': ("rt_noext_t n = rt_noext_new(big(0x1000000000000ull), 0);\n"
                                     "show(n.words[0]);", "0xffff000000000000"),
    'field_high_noncanonical_32': ("rt_s32_t p = rt_s32_new((uint32_t)big(0x800000u));\n"
                                   "show(p.words[0]);", "0xff800000"),
    'wrong_variant_get': ("rcap_t c = rcap_rc_null_new();\nshow(rcap_rc_ep_get_badge(c));",
                          "rcap_get_ctype"),
    'wrong_variant_ptr_set': ("spte_t e = spte_sp_page_new(0, 0);\n"
                              "spte_sp_small_ptr_set_attr(&e, 1);\nshow(e.words[0]);",
                              "spte_ptr_get_stype"),
}


@functools.lru_cache(maxsize=None)
def assert_program():
    header = generated_header('kernel')
    src = os.path.join(workdir(), 'asserts.c')
    lines = ['#include <stdio.h>', '#include <stdlib.h>', '#include <string.h>',
             f'#include "{header}"', '',
             'static void show(unsigned long long v) { printf("%llx\\n", v); }',
             'static unsigned long long big(unsigned long long v) { volatile unsigned long long x'
             ' = v; return x; }', '',
             'int main(int argc, char **argv)', '{', '    if (argc != 2) return 2;']
    for name, (code, _) in ASSERT_CASES.items():
        lines.append(f'    if (strcmp(argv[1], "{name}") == 0) {{')
        lines += [f"        {line}" for line in code.split('\n')] + ['        return 0;', '    }']
    lines += ['    return 2;', '}', '']
    with open(src, 'w') as fh:
        fh.write('\n'.join(lines))
    exe = os.path.join(workdir(), 'asserts.exe')
    ok, log = compile_c(primary_cc(), [src], exe, STRICT_CFLAGS + ['-O0', '-UNDEBUG'],
                        cwd=workdir())
    if not ok:
        raise AssertionError(log)
    return exe


class AssertTests(BfTestCase):
    group = 'asserts'

    def check_assert(self, name):
        proc = subprocess.run([assert_program(), name], capture_output=True, text=True,
                              timeout=30)
        phrase = ASSERT_CASES[name][1]
        if name.startswith('control'):
            self.assertEqual(proc.returncode, 0, proc.stderr)
            return
        self.assertNotEqual(proc.returncode, 0, f"assertion did not fire: {proc.stdout}")
        self.assertNotEqual(proc.returncode, 2, "unknown case")
        self.assertIn('ssert', proc.stderr)
        if phrase:
            self.assertIn(phrase, proc.stderr)


def _add_assert_tests():
    for name in ASSERT_CASES:
        setattr(AssertTests, f'test_{name}', lambda self, n=name: self.check_assert(n))


_add_assert_tests()
