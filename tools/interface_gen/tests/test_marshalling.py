"""Message layouts (MR, bit offset, width) and extra-cap indices vs ABI §8."""

import unittest

import abi_data as abi
from helpers import ARCHES, TempDir, generate, load, read

MODELS = {}


def model(arch):
    if arch not in MODELS:
        MODELS[arch] = load(arch)
    return MODELS[arch]


def scalar_layout(lay):
    return {s.param.name: (s.mr, s.bit, s.width) for s in lay.slots if s.member is None}


class Marshalling(unittest.TestCase):
    def check(self, arch, label, spec):
        m = model(arch).method(label)
        self.assertEqual(scalar_layout(m.in_layout), spec["data"], "%s %s data" % (arch, label))
        self.assertEqual({p.name: i for p, i in m.caps}, spec["caps"], "%s %s caps" % (arch, label))
        self.assertEqual(m.in_layout.fixed_words, spec["length"], "%s %s length" % (arch, label))
        if "out" in spec:
            self.assertEqual(scalar_layout(m.out_layout), spec["out"])
            self.assertEqual(m.out_layout.fixed_words, spec["out_length"])
        else:
            self.assertEqual(scalar_layout(m.out_layout), {}, "%s %s: no value results"
                             % (arch, label))

    def test_sheet_tables(self):
        checked = 0
        for (arch, label), spec in sorted(abi.MARSHALLING.items(), key=lambda kv: kv[0][1]):
            for a in ARCHES if arch is None else (arch,):
                with self.subTest(arch=a, label=label):
                    self.check(a, label, spec)
                    checked += 1
        self.assertGreaterEqual(checked, 40)

    def test_untyped_retype(self):
        self.check("x86_64", "UntypedRetype", abi.MARSHALLING[(None, "UntypedRetype")])

    def test_tcb_read_registers(self):
        for arch in ARCHES:
            m = model(arch).method("TCBReadRegisters")
            self.check(arch, "TCBReadRegisters", abi.MARSHALLING[(None, "TCBReadRegisters")])
            var = m.out_layout.var
            self.assertEqual((var.param.name, var.mr, var.words),
                             ("regs", 0, len(abi.USER_CONTEXT[arch])))
            self.assertEqual(var.param.type.members, abi.USER_CONTEXT[arch])
            self.assertEqual(var.param.count.name, "count")

    def test_tcb_write_registers(self):
        for arch in ARCHES:
            var = model(arch).method("TCBWriteRegisters").in_layout.var
            self.assertEqual((var.param.name, var.mr, var.words),
                             ("regs", 2, len(abi.USER_CONTEXT[arch])))

    def test_cnode_mint(self):
        self.check("aarch64", "CNodeMint", abi.MARSHALLING[(None, "CNodeMint")])

    def test_cnode_rotate(self):
        self.check("x86_64", "CNodeRotate", abi.MARSHALLING[(None, "CNodeRotate")])

    def test_x86_page_map(self):
        self.check("x86_64", "X86PageMap", abi.MARSHALLING[("x86_64", "X86PageMap")])

    def test_irqcontrol_get_ioapic(self):
        self.check("x86_64", "X86IRQIssueIRQHandlerIOAPIC",
                   abi.MARSHALLING[("x86_64", "X86IRQIssueIRQHandlerIOAPIC")])

    def test_arm_irqcontrol_get_trigger(self):
        self.check("aarch64", "ARMIRQIssueIRQHandlerTrigger",
                   abi.MARSHALLING[("aarch64", "ARMIRQIssueIRQHandlerTrigger")])

    def test_arm_smc_call(self):
        m = model("aarch64").method("ARMSMCCall")
        self.assertEqual([(s.member, s.mr, s.bit, s.width) for s in m.in_layout.slots],
                         [(x, i, 0, 64) for i, x in enumerate(abi.SMC_CONTEXT)])
        self.assertEqual([(s.member, s.mr) for s in m.out_layout.slots],
                         [(x, i) for i, x in enumerate(abi.SMC_CONTEXT)])
        self.assertEqual((m.in_layout.fixed_words, m.out_layout.fixed_words), (8, 8))

    def test_stub_text_uses_registers_then_buffer(self):
        # MR0..3 go through seL4_CallWithMRs, MR4+ through seL4_SetMR.
        with TempDir() as d:
            rc, err, lib, _ = generate("x86_64", d)
            self.assertEqual(rc, 0, err)
            text = read(lib + "/sel4/sel4_client.h")
        start = text.index("seL4_Untyped_Retype(seL4_Untyped _service")
        body = text[start:text.index("\n}\n", start)]
        for line in ("seL4_SetCap(0, root);", "mr0 = type;", "mr1 = size_bits;",
                     "mr2 = node_index;", "mr3 = node_depth;", "seL4_SetMR(4, node_offset);",
                     "seL4_SetMR(5, num_objects);",
                     "tag = seL4_MessageInfo_new(UntypedRetype, 0, 1, 6);",
                     "seL4_CallWithMRs(_service, tag, &mr0, &mr1, &mr2, &mr3);"):
            self.assertIn(line, body)
        self.assertIn("seL4_Error seL4_Untyped_Retype(seL4_Untyped _service, seL4_Word type, "
                      "seL4_Word size_bits, seL4_CNode root, seL4_Word node_index, "
                      "seL4_Word node_depth, seL4_Word node_offset, seL4_Word num_objects)",
                      text.replace("SEL4_CLIENT_INLINE seL4_Error\n", "seL4_Error "))
        for struct, field in (("seL4_X86_Page_GetAddress", "paddr"),
                              ("seL4_TCB_SetFlags", "flags"),
                              ("seL4_X86_IOPort_In8", "result")):
            start = text.index("typedef struct %s {" % struct)
            self.assertIn("int error;", text[start:start + 200])
            self.assertIn(" %s;" % field, text[start:start + 200])
            self.assertIn("} %s_t;" % struct, text[start:start + 200])

    def test_kernel_unpack_text(self):
        # The example from the brief: suspend_source = MR0 & 1, arch_flags = (MR0 >> 8) & 0xff.
        with TempDir() as d:
            rc, err, _, kern = generate("aarch64", d)
            self.assertEqual(rc, 0, err)
            text = read(kern + "/api/invocation_args_gen.h")
        start = text.index("unpackTCBReadRegistersArgs(word_t *ipcBuffer)")
        body = text[start:text.index("\n}\n", start)]
        self.assertIn("w = getSyscallArg(0, ipcBuffer);", body)
        self.assertIn("args.suspend_source = w & 0x1ull;", body)
        self.assertIn("args.arch_flags = (w >> 8) & 0xffull;", body)
        self.assertIn("w = getSyscallArg(1, ipcBuffer);", body)
        self.assertIn("args.count = w;", body)
        self.assertIn("#define TCBReadRegisters_MinLength 2", text)
        self.assertIn("#define CNodeRotate_NumCaps 2", text)
        self.assertIn("#define CNodeRotate_src_root_CapIndex 1", text)
        self.assertIn("#define UntypedRetype_MinLength 6", text)
        self.assertIn("#define ARMPageGetAddress_ResultLength 1", text)


if __name__ == "__main__":
    unittest.main()
