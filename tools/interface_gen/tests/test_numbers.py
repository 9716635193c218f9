"""Every generated number against the ABI sheet (abi_data.py)."""

import os
import re
import unittest

import abi_data as abi
from helpers import (ARCHES, TempDir, all_on_config, generate, load, parse_enum_values, read,
                     target_config)

ARCH_LABELS = {"x86_64": abi.X86_64_LABELS, "aarch64": abi.AARCH64_LABELS}
ARCH_OBJECTS = {"x86_64": abi.X86_64_OBJECTS, "aarch64": abi.AARCH64_OBJECTS}
PRESENT = {"x86_64": abi.SYSCALLS_PRESENT_X86_64, "aarch64": abi.SYSCALLS_PRESENT_AARCH64}
DISABLED_RE = re.compile(r"/\* (seL4_Sys\w+) = (-\d+): needs ")


def gen_headers(arch, config=None):
    """Generate into a temp dir; return {relative path: text}."""
    with TempDir() as d:
        rc, err, lib, kern = generate(arch, d, config)
        if rc != 0:
            raise AssertionError("generator failed: " + err)
        out = {}
        for root in (lib, kern):
            for dirpath, _, files in os.walk(root):
                for f in files:
                    full = os.path.join(dirpath, f)
                    out[os.path.relpath(full, root)] = read(full)
        return out


def syscall_enum(text):
    return {k: v for k, v in parse_enum_values(text).items()
            if k.startswith("seL4_Sys") and not k.startswith("seL4_Syscall")}


class SyscallNumbers(unittest.TestCase):
    def check_arch(self, arch):
        h = gen_headers(arch)["sel4/syscall.h"]
        present = syscall_enum(h)
        self.assertEqual(present, {n: abi.SYSCALLS[n] for n in PRESENT[arch]})
        disabled = {n: int(v) for n, v in DISABLED_RE.findall(h)}
        self.assertEqual({**present, **disabled}, abi.SYSCALLS)
        vals = parse_enum_values(h)
        self.assertEqual(vals["seL4_SyscallIdMin"], abi.SYSCALL_MIN)
        self.assertEqual(vals["seL4_SyscallIdMax"], abi.SYSCALL_MAX)

    def test_x86_64_syscall_h(self):
        self.check_arch("x86_64")

    def test_aarch64_syscall_h(self):
        self.check_arch("aarch64")

    def test_model_numbers_include_disabled(self):
        for arch in ARCHES:
            self.assertEqual(load(arch).syscall_numbers(enabled_only=False), abi.SYSCALLS)

    def test_conditions_never_renumber(self):
        # Every debug syscall switched on (MCS stays off): same numbers, all present.
        for arch in ARCHES:
            cfg = all_on_config(arch, exclude=("CONFIG_KERNEL_MCS",))
            self.assertEqual(syscall_enum(gen_headers(arch, cfg)["sel4/syscall.h"]),
                             abi.SYSCALLS)

    def test_mcs_list(self):
        cfg = dict(target_config("x86_64"), CONFIG_KERNEL_MCS="1")
        nums = load("x86_64", cfg).syscall_numbers(enabled_only=False)
        for name, value in abi.SYSCALLS_MCS.items():
            self.assertEqual(nums[name], value, name)
        self.assertEqual(load("x86_64", cfg).api_min, -11)

    def test_kernel_syscall_gen_h(self):
        for arch in ARCHES:
            h = gen_headers(arch)["api/syscall_gen.h"]
            vals = parse_enum_values(h)
            self.assertEqual(vals["SYSCALL_MIN"], abi.SYSCALL_MIN)
            self.assertEqual(vals["SYSCALL_MAX"], abi.SYSCALL_MAX)
            for name, value in abi.SYSCALL_ASM.items():
                self.assertEqual(vals[name], value, name)
            kernel = {k: v for k, v in vals.items() if k.startswith("Sys")}
            self.assertEqual(kernel, {n[len("seL4_"):]: abi.SYSCALLS[n] for n in PRESENT[arch]})
            self.assertIn("#ifndef __ASSEMBLER__", h)
            self.assertIn("syscallName", h)
            self.assertEqual(vals.get("SYSCALL_SET_TLS_BASE"),
                             -30 if arch == "x86_64" else None)


class LabelNumbers(unittest.TestCase):
    def check_arch(self, arch):
        hs = gen_headers(arch)
        got = parse_enum_values(hs["sel4/invocation.h"])
        self.assertEqual(got, {**abi.GENERIC_LABELS, **ARCH_LABELS[arch]})
        self.assertEqual(parse_enum_values(hs["api/invocation_gen.h"]),
                         {**got, **parse_enum_values(hs["sel4/objecttype.h"])})
        model = load(arch)
        self.assertEqual(model.labels(), got)
        for m in model.enabled_methods():
            self.assertIn("    %s = %d," % (m.label, m.number), hs["sel4/invocation.h"])

    def test_x86_64_labels(self):
        self.check_arch("x86_64")

    def test_aarch64_labels(self):
        self.check_arch("aarch64")

    def test_enum_names(self):
        h = gen_headers("x86_64")["sel4/invocation.h"]
        for enum in ("enum invocation_label {", "enum sel4_arch_invocation_label {",
                     "enum arch_invocation_label {"):
            self.assertIn(enum, h)

    def test_x86_64_iommu_variant(self):
        cfg = dict(target_config("x86_64"), CONFIG_IOMMU="1")
        got = parse_enum_values(gen_headers("x86_64", cfg)["sel4/invocation.h"])
        for name, value in {**abi.GENERIC_LABELS, **abi.X86_64_LABELS_IOMMU}.items():
            self.assertEqual(got[name], value, name)
        self.assertEqual(got["nArchInvocationLabels"], 56)

    def check_hwdebug(self, arch):
        cfg = dict(target_config(arch), CONFIG_HARDWARE_DEBUG_API="1")
        got = parse_enum_values(gen_headers(arch, cfg)["sel4/invocation.h"])
        for name, value in abi.HWDEBUG_NEW.items():
            self.assertEqual(got[name], value, name)
        for name, value in {**abi.GENERIC_LABELS, **ARCH_LABELS[arch]}.items():
            shift = abi.HWDEBUG_SHIFT if value >= abi.HWDEBUG_FIRST_SHIFTED else 0
            self.assertEqual(got[name], value + shift, name)

    def test_x86_64_hwdebug_variant(self):
        self.check_hwdebug("x86_64")

    def test_aarch64_hwdebug_variant(self):
        self.check_hwdebug("aarch64")

    def test_aarch64_smp_variant(self):
        # SMP swaps IssueSGISignal for TriggerCore and adds TCBSetAffinity.
        cfg = dict(target_config("aarch64"), CONFIG_ENABLE_SMP_SUPPORT="1")
        got = parse_enum_values(gen_headers("aarch64", cfg)["sel4/invocation.h"])
        self.assertNotIn("ARMIRQIssueSGISignal", got)
        self.assertEqual(got["ARMIRQIssueIRQHandlerTriggerCore"],
                         got["ARMIRQIssueIRQHandlerTrigger"] + 1)
        self.assertEqual(got["TCBSetIPCBuffer"], abi.GENERIC_LABELS["TCBSetIPCBuffer"] + 1)


class ObjectTypes(unittest.TestCase):
    def test_x86_64_objects(self):
        hs = gen_headers("x86_64")
        self.assertEqual(parse_enum_values(hs["sel4/objecttype.h"]), abi.X86_64_OBJECTS)
        self.assertEqual(load("x86_64").object_types(), abi.X86_64_OBJECTS)

    def test_aarch64_objects(self):
        hs = gen_headers("aarch64")
        self.assertEqual(parse_enum_values(hs["sel4/objecttype.h"]), abi.AARCH64_OBJECTS)
        self.assertEqual(load("aarch64").object_types(), abi.AARCH64_OBJECTS)

    def test_x86_64_iommu_objects(self):
        cfg = dict(target_config("x86_64"), CONFIG_IOMMU="1")
        got = parse_enum_values(gen_headers("x86_64", cfg)["sel4/objecttype.h"])
        self.assertEqual(got, {**abi.X86_64_OBJECTS, **abi.X86_64_OBJECTS_IOMMU})

    def test_x86_64_no_huge_page_objects(self):
        cfg = dict(target_config("x86_64"))
        del cfg["CONFIG_HUGE_PAGE"]
        got = parse_enum_values(gen_headers("x86_64", cfg)["sel4/objecttype.h"])
        self.assertEqual(got, {**abi.X86_64_OBJECTS, **abi.X86_64_OBJECTS_NO_HUGE_PAGE,
                               "seL4_ModeObjectTypeCount": 7, "seL4_ObjectTypeCount": 11})

    def test_names_and_typedef(self):
        h = gen_headers("aarch64")["sel4/objecttype.h"]
        self.assertIn("typedef enum api_object {", h)
        self.assertIn("} seL4_ObjectType;", h)

    def test_kernel_fixed_sizes(self):
        m = load("x86_64")
        sizes = {o.name: o.size_bits for g in m.object_groups for o in g.entries if o.enabled}
        self.assertEqual(sizes["seL4_TCBObject"], 11)
        self.assertEqual(sizes["seL4_X64_HugePageObject"], 30)
        self.assertEqual(sizes["seL4_X86_LargePageObject"], 21)
        self.assertIsNone(sizes["seL4_UntypedObject"])


if __name__ == "__main__":
    unittest.main()
