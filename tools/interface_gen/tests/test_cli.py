"""CLI behaviour: determinism, clear errors for malformed input, manual output."""

import contextlib
import io
import os
import shutil
import unittest

from helpers import XML_DIR, TempDir, generate, interface_gen, load, read, target_config


def tree(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            full = os.path.join(dirpath, f)
            with open(full, "rb") as fh:
                out[os.path.relpath(full, root)] = fh.read()
    return out


class Determinism(unittest.TestCase):
    def test_byte_identical_outputs(self):
        for arch in ("x86_64", "aarch64"):
            with TempDir() as a, TempDir() as b:
                self.assertEqual(generate(arch, a, manual=True)[0], 0)
                self.assertEqual(generate(arch, b, manual=True)[0], 0)
                ta, tb = tree(a), tree(b)
                self.assertEqual(sorted(ta), sorted(tb))
                self.assertEqual(ta, tb)
                self.assertGreater(len(ta), 10)

    def test_unchanged_files_not_rewritten(self):
        with TempDir() as d:
            self.assertEqual(generate("x86_64", d)[0], 0)
            path = os.path.join(d, "lib", "sel4", "sel4_client.h")
            os.utime(path, (1000000000, 1000000000))
            self.assertEqual(generate("x86_64", d)[0], 0)
            self.assertEqual(os.stat(path).st_mtime, 1000000000)


class MalformedInput(unittest.TestCase):
    """Each case edits a copy of the real XML and expects exit 1 with a message
    naming the file, the line, the element and the reason."""

    def run_broken(self, filename, old, new, *expect):
        with TempDir() as d:
            xml = os.path.join(d, "xml")
            shutil.copytree(XML_DIR, xml)
            path = os.path.join(xml, filename)
            text = read(path)
            self.assertIn(old, text)
            with open(path, "w") as f:
                f.write(text.replace(old, new, 1))
            rc, err, _, _ = generate("x86_64", d, xml_dir=xml)
            self.assertEqual(rc, 1, err)
            self.assertIn(filename + ":", err)
            for e in expect:
                self.assertIn(e, err)
            self.assertNotIn("Traceback", err)
            self.assertFalse(os.path.exists(os.path.join(d, "lib")), "no output on error")

    def test_xml_syntax_error(self):
        self.run_broken("object-api.xml", "</brief>", "</brieff>", "XML parse error",
                        "mismatched tag")

    def test_unknown_type(self):
        self.run_broken("object-api.xml", 'type="seL4_Word">New TLS base.',
                        'type="seL4_Bogus">New TLS base.', "<param name='tls_base'>",
                        "unknown type 'seL4_Bogus'")

    def test_duplicate_label(self):
        self.run_broken("object-api.xml", 'label="TCBSetFlags"', 'label="TCBSetTLSBase"',
                        "label 'TCBSetTLSBase' is declared more than once")

    def test_same_label_same_condition(self):
        self.run_broken("object-api.xml",
                        '<method label="TCBSetTimeoutEndpoint"',
                        '<method label="TCBSetSchedParams"',
                        "declared twice with the same condition")

    def test_bad_condition(self):
        self.run_broken("object-api-x86_64.xml",
                        '<condition><config var="CONFIG_ARCH_IA32"/></condition>',
                        '<condition><not><config var="A"/><config var="B"/></not></condition>',
                        "<not> needs exactly one operand")

    def test_unknown_attribute(self):
        self.run_broken("object-api.xml", '<method label="TCBSuspend" name="Suspend">',
                        '<method label="TCBSuspend" name="Suspend" colour="red">',
                        "<method label='TCBSuspend' name='Suspend'>", "unknown attribute 'colour'")

    def test_missing_attribute(self):
        self.run_broken("object-api.xml", '<method label="TCBResume" name="Resume">',
                        '<method name="Resume">', "missing required attribute 'label'")

    def test_unexpected_element(self):
        self.run_broken("object-api.xml", "<brief>Stop a thread;",
                        "<bogus/><brief>Stop a thread;", "unexpected element <bogus>")

    def test_syscall_listed_twice(self):
        self.run_broken("syscalls.xml", '<syscall name="Yield">', '<syscall name="Call">',
                        "syscall 'Call' listed twice")

    def test_no_api_list_selected(self):
        self.run_broken("syscalls.xml",
                        '<condition><not><config var="CONFIG_KERNEL_MCS"/></not></condition>',
                        '<condition><config var="CONFIG_NEVER"/></condition>',
                        "exactly one <api> list must have a true condition")

    def test_cap_as_output(self):
        self.run_broken("object-api.xml",
                        '<param name="flags" type="seL4_Word" dir="out">',
                        '<param name="flags" type="seL4_CNode" dir="out">',
                        "a capability cannot be an output")

    def test_counted_struct_not_last(self):
        self.run_broken("object-api.xml",
                        '<param name="regs" type="seL4_UserContext" count="count">'
                        'The register values.</param>',
                        '<param name="regs" type="seL4_UserContext" count="count">'
                        'The register values.</param><param name="x" type="seL4_Word">x</param>',
                        "counted struct 'regs' must be the last data parameter")

    def test_interface_not_a_cap(self):
        self.run_broken("object-api.xml", '<interface name="seL4_DomainSet"',
                        '<interface name="seL4_Word"', "must be a type of kind 'cap'")

    def test_bad_type_kind(self):
        self.run_broken("object-api-x86_64.xml", 'kind="enum"', 'kind="float"',
                        "unknown kind 'float'")

    def test_reserved_param_name(self):
        self.run_broken("object-api.xml", '<param name="tls_base"', '<param name="tag"',
                        "parameter name 'tag' is reserved")

    def test_missing_config_file(self):
        with TempDir() as d, contextlib.redirect_stderr(io.StringIO()) as err:
            rc = interface_gen.main(["--arch", "x86_64", "--xml-dir", XML_DIR,
                                     "--config", os.path.join(d, "nope.h"),
                                     "--libsel4-out", d, "--kernel-out", d])
            self.assertEqual(rc, 1)
            self.assertIn("nope.h: config header not found", err.getvalue())


class ConfigAndConditions(unittest.TestCase):
    def test_config_parser(self):
        with TempDir() as d:
            path = os.path.join(d, "c.h")
            with open(path, "w") as f:
                f.write("#pragma once\n#define CONFIG_A 1\n#  define CONFIG_B  0x10 /* x */\n"
                        "#define CONFIG_C\n/* disabled: CONFIG_D */\n// #define CONFIG_E 1\n"
                        "#define CONFIG_F \"str\"\n")
            cfg = interface_gen.read_config(path)
        self.assertEqual(cfg, {"CONFIG_A": "1", "CONFIG_B": "0x10", "CONFIG_C": "",
                               "CONFIG_F": '"str"'})

    def test_condition_eval(self):
        C = interface_gen.Cond
        expr = C("and", args=[C("config", var="A"),
                              C("or", args=[C("not", args=[C("config", var="B")]),
                                            C("config", var="C")])])
        self.assertEqual(expr.text(), "A && (!B || C)")
        self.assertTrue(expr.eval({"A": "1"}))
        self.assertFalse(expr.eval({"A": "1", "B": "1"}))
        self.assertTrue(expr.eval({"A": "1", "B": "1", "C": "1"}))
        self.assertFalse(expr.eval({}))

    def test_target_configs_choose_sheet_options(self):
        x86 = target_config("x86_64")
        for name in ("CONFIG_HUGE_PAGE", "CONFIG_SET_TLS_BASE_SELF", "CONFIG_PRINTING",
                     "CONFIG_DEBUG_BUILD"):
            self.assertIn(name, x86)
        self.assertNotIn("CONFIG_IOMMU", x86)
        self.assertNotIn("CONFIG_SET_TLS_BASE_SELF", target_config("aarch64"))


class Manual(unittest.TestCase):
    def test_manual_pages(self):
        with TempDir() as d:
            rc, err, _, _ = generate("x86_64", d, manual=True)
            self.assertEqual(rc, 0, err)
            man = os.path.join(d, "manual")
            cnode = read(os.path.join(man, "CNode.md"))
            self.assertIn("## seL4_CNode_Mint", cnode)
            self.assertIn("Label `CNodeMint` = 21.", cnode)
            self.assertIn("| `badge` | `seL4_Word` | in | MR5 |", cnode)
            self.assertIn("| `src_root` | `seL4_CNode` | in | extra cap 0 |", cnode)
            self.assertIn("| `seL4_DeleteFirst` |", cnode)
            irq = read(os.path.join(man, "IRQControl.md"))
            self.assertIn("## seL4_IRQControl_Get\n", irq)
            self.assertIn("## seL4_IRQControl_GetIOAPIC", irq)
            tcb = read(os.path.join(man, "TCB.md"))
            self.assertIn("seL4_TCB_SetBreakpoint` (`TCBSetBreakpoint`): needs "
                          "`CONFIG_HARDWARE_DEBUG_API`", tcb)
            self.assertIn("| `regs` | `seL4_UserContext` | out | reply MR0.. (min(count, 20) "
                          "words) |", tcb)
            index = read(os.path.join(man, "index.md"))
            self.assertIn("| -30 | `seL4_SysSetTLSBase` | yes |", index)
            self.assertIn("[X86 Page](X86_Page.md)", index)

    def test_every_enabled_method_documented(self):
        for arch in ("x86_64", "aarch64"):
            for m in load(arch).enabled_methods():
                self.assertTrue(m.brief, m.label)
                for p in m.params:
                    self.assertTrue(p.text, "%s.%s has no description" % (m.label, p.name))


if __name__ == "__main__":
    unittest.main()
