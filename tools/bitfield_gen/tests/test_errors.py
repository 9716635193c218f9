"""Bad .bf inputs: exit status 1, one `file:line: error: ...` line, no traceback."""

import os
import re
import shutil

from bftest import BfTestCase, make_tempdir, primary_cc, run_generator

_TMP = None


def tmpdir() -> str:
    global _TMP
    if _TMP is None:
        _TMP = make_tempdir('bf_errors_')
    return _TMP


# name: (input text, expected "file:line" (None = the input file itself), line, key phrase)
CASES = {
    'field_size_zero': ("base 64\nblock a {\n  field x 0\n  padding 64\n}\n", 3, "size must be > 0"),
    'padding_negative': ("base 64\nblock a {\n  field x 64\n  padding 2 - 3\n}\n", 4,
                         "padding size -1 is negative"),
    'crosses_word': ("base 32\nblock a {\n  field x 16\n  field y 32\n  field z 16\n}\n", 4,
                     "crosses a 32-bit word boundary"),
    'not_multiple': ("base 64\n\nblock odd {\n  field x 63\n}\n", 3, "not a multiple of the 64-bit"),
    'order_missing': ("base 64\nblock a (x) {\n  field x 32\n  field y 32\n}\n", 2,
                      "missing field(s) 'y'"),
    'order_unknown': ("base 64\nblock a (x,\n  q) {\n  field x 64\n}\n", 3,
                      "unknown field 'q'"),
    'order_twice': ("base 64\nblock a (x, x) {\n  field x 64\n}\n", 2, "listed twice"),
    'duplicate_field': ("base 64\nblock a {\n  field x 32\n  field x 32\n}\n", 4,
                        "duplicate field 'x'"),
    'duplicate_block': ("base 64\nblock a { field x 64 }\n\nblock a { field y 64 }\n", 4,
                        "duplicate block 'a'"),
    'unknown_block_in_tag': ("base 64\nblock a { field t 64 }\ntagged_union u t {\n  tag a 0\n"
                             "  tag b 1\n}\n", 5, "unknown block 'b'"),
    'duplicate_tag_value': ("base 64\nblock a { field t 64 }\nblock b { field t 64 }\n"
                            "tagged_union u t {\n  tag a 3\n  tag b 3\n}\n", 6,
                            "tag value 3 of 'b' is already used by 'a'"),
    'duplicate_tag_name': ("base 64\nblock a { field t 64 }\ntagged_union u t {\n  tag a 3\n"
                           "  tag a 4\n}\n", 5, "tagged twice"),
    'tag_value_too_big': ("base 64\nblock a { field t 4 padding 60 }\ntagged_union u t {\n"
                          "  tag a 16\n}\n", 4, "does not fit in the 4-bit tag field"),
    'tag_offset_mismatch': ("base 64\nblock a { field t 4 padding 60 }\n"
                            "block b {\n  padding 4\n  field t 4\n  padding 56\n}\n"
                            "tagged_union u t {\n  tag a 1\n  tag b 2\n}\n", 5,
                            "at bit 56 width 4, but at bit 60 width 4"),
    'tag_width_mismatch': ("base 64\nblock a { field t 4 padding 60 }\n"
                           "block b {\n  field t 5\n  padding 59\n}\n"
                           "tagged_union u t {\n  tag a 1\n  tag b 2\n}\n", 4,
                           "width 5, but at bit 60 width 4"),
    'variant_size_mismatch': ("base 64\nblock a { field t 4 padding 60 }\n"
                              "block b { field t 4 padding 124 }\n"
                              "tagged_union u t {\n  tag a 1\n  tag b 2\n}\n", 6,
                              "'b' is 2 word(s) but 'a' is 1"),
    'variant_missing_tag': ("base 64\nblock a { field t 4 padding 60 }\nblock b { padding 64 }\n"
                            "tagged_union u t {\n  tag a 1\n  tag b 2\n}\n", 6,
                            "has no tag field 't'"),
    'block_in_two_unions': ("base 64\nblock a { field t 4 padding 60 }\n"
                            "tagged_union u t { tag a 1 }\n\ntagged_union v t {\n  tag a 1\n}\n",
                            6, "already a variant of tagged_union 'u'"),
    'tag_is_field_high': ("base 64\nblock a {\n  field_high t 4\n  padding 60\n}\n"
                          "tagged_union u t { tag a 1 }\n", 3, "must not be a field_high"),
    'syntax_missing_brace': ("base 64\nblock a\n  field x 64\n}\n", 3, "expected '{' to open block"),
    'syntax_bad_item': ("base 64\nblock a {\n  feild x 64\n}\n", 3,
                        "expected 'field', 'field_high', 'field_ptr', 'padding' or '}'"),
    'syntax_missing_size': ("base 64\nblock a {\n  field x\n}\n", 4,
                            "expected an integer expression, found '}'"),
    'syntax_toplevel': ("base 64\n\nstruct a {}\n", 3,
                        "expected 'base', 'block' or 'tagged_union'"),
    'syntax_eof': ("base 64\nblock a {\n  field x 64\n", 3, "found end of input"),
    'bad_character': ("base 64\nblock a {\n  field x 64;\n}\n", 3, "unexpected character ';'"),
    'bad_number': ("base 64\nblock a {\n  field x 0x\n}\n", 3, "invalid number '0x'"),
    'unknown_name': ("base 64\nblock a {\n  field x word_bits\n}\n", 3,
                     "unknown name 'word_bits'"),
    'division_by_zero': ("base 64\nblock a {\n  field x 64 / (1 - 1)\n}\n", 3, "division by zero"),
    'bad_base': ("\nbase 48\n", 2, "base must be 8, 16, 32 or 64"),
    'bad_sign_flag': ("base 64(48, 2)\n", 1, "sign-extension flag must be 0 or 1"),
    'block_before_base': ("-- no base\nblock a { field x 64 }\n", 2, "before any 'base'"),
    'field_ptr_too_small': ("base 64(48,1)\nblock a {\n  field_ptr(4) p 40\n  padding 24\n}\n",
                            3, "cannot hold 44 pointer bits"),
    'field_high_too_wide': ("base 64(48,1)\nblock a {\n  field_high p 50\n  padding 14\n}\n",
                            3, "more than the canonical size 48"),
    'mask_unsupported': ("base 32\nblock a { field t 4 padding 28 }\ntagged_union u t {\n"
                         "  mask 4 0xe\n  tag a 1\n}\n", 4, "'mask' (variable-width tags)"),
    'slice_count': ("base 32\nblock a { field hw 2 field sw 1 padding 29 }\n"
                    "tagged_union u ty (hw, sw) {\n  tag a (1)\n}\n", 4, "has 1 values for 2 slices"),
    'empty_union': ("base 64\n\ntagged_union u t {\n}\n", 3, "has no variants"),
    # Errors inside preprocessed input are reported at the original file and line.
    'line_markers': ('# 1 "arch/structures.bf"\n# 1 "<built-in>"\n# 1 "<command-line>"\n'
                     '# 1 "arch/structures.bf"\nbase 64\n# 1 "include/generic.bf" 1\n'
                     '-- comment\nblock a {\n  field x 65\n}\n# 3 "arch/structures.bf" 2\n',
                     ('include/generic.bf', 3), "is 65 bits, wider than the 64-bit word"),
    'line_markers_after_include': ('# 1 "main.bf"\nbase 64\n# 1 "inc.bf" 1\n'
                                   'block a { field x 64 }\n# 3 "main.bf" 2\n\n'
                                   'block b {\n  field y 0\n}\n',
                                   ('main.bf', 5), "size must be > 0"),
}


class ErrorTests(BfTestCase):
    group = 'errors'

    def check_error(self, name):
        text, where, phrase = CASES[name]
        src = os.path.join(tmpdir(), name + '.bf')
        out = os.path.join(tmpdir(), name + '.h')
        with open(src, 'w') as fh:
            fh.write(text)
        proc = run_generator([src, out])
        file, line = where if isinstance(where, tuple) else (src, where)
        self.assert_error(proc, file, line, phrase)
        self.assertFalse(os.path.exists(out), "no output may be written on error")

    def assert_error(self, proc, file, line, phrase):
        self.assertEqual(proc.returncode, 1, f"stdout={proc.stdout!r} stderr={proc.stderr!r}")
        self.assertNotIn('Traceback', proc.stderr)
        lines = proc.stderr.splitlines()
        self.assertEqual(len(lines), 1, proc.stderr)
        m = re.match(r'(.*):(\d+): error: (.*)$', lines[0])
        self.assertIsNotNone(m, lines[0])
        # normpath: compilers differ on "./inner.bf" versus "inner.bf"
        self.assertEqual((os.path.normpath(m.group(1)), int(m.group(2))),
                         (os.path.normpath(file), line), lines[0])
        self.assertIn(phrase, m.group(3))

    def test_real_cpp_include(self):
        """Feed real `cc -E` output (with #include) through the generator."""
        d = tmpdir()
        with open(os.path.join(d, 'inner.bf'), 'w') as fh:
            fh.write("-- included\nblock inner {\n    field a 10\n    field b 60\n    padding 58\n}\n")
        with open(os.path.join(d, 'outer.bf'), 'w') as fh:
            fh.write("#define WORD 64\nbase WORD\n\n#include \"inner.bf\"\n")
        cc = primary_cc().split()
        self.assertIsNotNone(shutil.which(cc[0]), f"no C compiler {cc[0]}")
        pre = os.path.join(d, 'outer.pbf')
        import subprocess
        proc = subprocess.run(cc + ['-E', '-x', 'c', 'outer.bf', '-o', pre], cwd=d,
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = run_generator([pre, os.path.join(d, 'outer.h')])
        self.assert_error(proc, 'inner.bf', 4, "crosses a 64-bit word boundary")

    def test_cli_missing_input(self):
        proc = run_generator([os.path.join(tmpdir(), 'does_not_exist.bf'),
                              os.path.join(tmpdir(), 'x.h')])
        self.assertEqual(proc.returncode, 1)
        self.assertNotIn('Traceback', proc.stderr)
        self.assertIn('cannot read', proc.stderr)

    def test_cli_bad_environment(self):
        proc = run_generator(['--environment', 'nonsense', 'a.bf', 'b.h'])
        self.assertNotEqual(proc.returncode, 0)
        self.assertNotIn('Traceback', proc.stderr)


def _add_tests():
    for name in CASES:
        ident = re.sub(r'\W', '_', name)
        setattr(ErrorTests, f'test_{ident}', lambda self, n=name: self.check_error(n))


_add_tests()
