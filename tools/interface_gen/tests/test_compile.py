"""Compile the generated headers with the host C compiler and run the
stub <-> kernel round trip (see roundtrip.py)."""

import os
import subprocess
import unittest

from helpers import (SHIM_DIR, TempDir, all_on_config, compile_c, generate, load, read)
from roundtrip import Gen

ARCH_MACRO = {"x86_64": "SHIM_ARCH_X86_64", "aarch64": "SHIM_ARCH_AARCH64"}
STRICT = ["-std=c11", "-Wall", "-Wextra", "-Werror"]


class CompileGenerated(unittest.TestCase):
    def gen(self, d, arch, config=None):
        rc, err, lib, kern = generate(arch, d, config)
        self.assertEqual(rc, 0, err)
        return lib, kern

    def syntax_check(self, arch, config=None):
        with TempDir() as d:
            lib, kern = self.gen(d, arch, config)
            user = os.path.join(d, "user.c")
            with open(user, "w") as f:
                f.write("#define %s 1\n#include \"fake_sel4.h\"\n"
                        "#include <sel4/syscall.h>\n#include <sel4/objecttype.h>\n"
                        "#include <sel4/sel4_client.h>\n" % ARCH_MACRO[arch])
            rc, out = compile_c(STRICT + ["-fsyntax-only", "-I", lib, "-I", SHIM_DIR, user])
            self.assertEqual(rc, 0, out)
            kfile = os.path.join(d, "kernel.c")
            with open(kfile, "w") as f:
                # word_t and getSyscallArg come from the shim, as the kernel would
                # provide them; libsel4's label header is included too, to check
                # that the shared enum guards make that harmless.
                f.write("#define %s 1\n#include \"fake_sel4.h\"\n"
                        "#include <api/syscall_gen.h>\n#include <api/invocation_gen.h>\n"
                        "#include <sel4/invocation.h>\n#include <api/invocation_args_gen.h>\n"
                        % ARCH_MACRO[arch])
            rc, out = compile_c(STRICT + ["-fsyntax-only", "-I", kern, "-I", lib,
                                          "-I", SHIM_DIR, kfile])
            self.assertEqual(rc, 0, out)

    def test_client_and_kernel_headers_x86_64(self):
        self.syntax_check("x86_64")

    def test_client_and_kernel_headers_aarch64(self):
        self.syntax_check("aarch64")

    def test_all_methods_enabled_x86_64(self):
        self.syntax_check("x86_64", all_on_config("x86_64"))

    def test_all_methods_enabled_aarch64(self):
        self.syntax_check("aarch64", all_on_config("aarch64"))

    def test_syscall_constants_in_assembly(self):
        with TempDir() as d:
            _, kern = self.gen(d, "x86_64")
            src = os.path.join(d, "consts.S")
            with open(src, "w") as f:
                f.write("#include <api/syscall_gen.h>\n"
                        ".quad SYSCALL_CALL, SYSCALL_NB_RECV, SYSCALL_SET_TLS_BASE\n"
                        ".quad SYSCALL_MIN, SYSCALL_MAX\n")
            obj = os.path.join(d, "consts.o")
            rc, out = compile_c(["-c", "-x", "assembler-with-cpp", "-I", kern, src, "-o", obj])
            self.assertEqual(rc, 0, out)
            rc, out = compile_c(["-E", "-P", "-x", "assembler-with-cpp", "-I", kern, src])
            self.assertEqual(rc, 0, out)
            self.assertIn(".quad -1, -8, -30", out)
            self.assertIn(".quad (-8), (-1)", out)
            self.assertNotIn("enum", out)

    def roundtrip(self, arch, config=None, seed=1):
        with TempDir() as d:
            lib, kern = self.gen(d, arch, config)
            model = load(arch, config)
            src = os.path.join(d, "roundtrip.c")
            with open(src, "w") as f:
                f.write(Gen(model, seed).program(ARCH_MACRO[arch]))
            exe = os.path.join(d, "roundtrip")
            rc, out = compile_c(STRICT + ["-O2", "-I", lib, "-I", kern, "-I", SHIM_DIR,
                                          src, "-o", exe])
            self.assertEqual(rc, 0, out)
            proc = subprocess.run([exe], capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            self.assertIn(" 0 failures, %d methods" % len(model.enabled_methods()), proc.stdout)

    def test_roundtrip_x86_64(self):
        self.roundtrip("x86_64")

    def test_roundtrip_aarch64(self):
        self.roundtrip("aarch64")

    def test_roundtrip_all_methods_x86_64(self):
        self.roundtrip("x86_64", all_on_config("x86_64"), seed=2)

    def test_roundtrip_all_methods_aarch64(self):
        self.roundtrip("aarch64", all_on_config("aarch64"), seed=2)


if __name__ == "__main__":
    unittest.main()
