"""Build a C program that round-trips every enabled invocation.

For each method the program
  1. packs random result values with the kernel-side pack<L>Result() and
     checks the words against the Python layout model,
  2. calls the libsel4 stub with random arguments; the fake seL4_CallWithMRs
     records the message and delivers the packed reply,
  3. checks the message words, tag and extra caps against the model,
  4. decodes the message with the kernel-side unpack<L>Args() and checks that
     every argument comes back unchanged,
  5. checks that the stub returned every result unchanged,
  6. repeats the call with an error reply and checks the error path.
So stubs, kernel decoding and the packing model cannot drift apart.
"""

import random


def lit(v):
    return "0x%xull" % v


class Gen:
    def __init__(self, model, seed):
        self.model = model
        self.seed = seed

    def scalar_value(self, rng, p):
        kind = p.type.kind
        if kind == "bool":
            return rng.randint(0, 1)
        if kind == "enum":
            return rng.randint(0, 3)
        return rng.getrandbits(p.type.bits)

    def c_value(self, p, v):
        kind = p.type.kind
        if kind == "enum":
            return "(%s)%d" % (p.type.name, v)
        if kind == "bool":
            return str(v)
        return lit(v)

    def method(self, m):
        rng = random.Random("%s:%s" % (self.seed, m.label))
        word_bits = self.model.word_bits
        L = m.label
        counts = {lay.var.param.count.name: lay.var.words
                  for lay in (m.in_layout, m.out_layout) if lay.var}
        decls, call_args, checks = [], [], []
        values = {}              # param name -> int or list of member values
        service = rng.getrandbits(64) | 1

        # ---- arguments ----
        for p in m.params:
            if p.dir == "in" and p.is_cap:
                v = rng.getrandbits(64)
                values[p.name] = v
                call_args.append(lit(v))
            elif p.dir == "in" and p.is_struct:
                vals = [rng.getrandbits(64) for _ in p.type.members]
                values[p.name] = vals
                decls.append("    %s %s_in;" % (p.type.name, p.name))
                for member, v in zip(p.type.members, vals):
                    decls.append("    %s_in.%s = %s;" % (p.name, member, lit(v)))
                call_args.append("&%s_in" % p.name)
            elif p.dir == "in":
                if p.name in counts:
                    n = counts[p.name]
                    v = rng.choice([0, 1, 3, 5, n - 1, n, n + 2])
                else:
                    v = self.scalar_value(rng, p)
                values[p.name] = v
                if p.type.kind == "bitfield":
                    decls.append("    %s %s_in = {{%s}};" % (p.type.name, p.name, lit(v)))
                    call_args.append("%s_in" % p.name)
                else:
                    call_args.append(self.c_value(p, v))
            elif p.is_struct:
                decls.append("    %s %s_out;" % (p.type.name, p.name))
                for member in p.type.members:
                    decls.append("    %s_out.%s = SENTINEL;" % (p.name, member))
                call_args.append("&%s_out" % p.name)

        # ---- expected message ----
        lay = m.in_layout
        words = [0] * lay.max_words
        for s in lay.slots:
            v = values[s.param.name]
            v = v[s.member_index] if s.member is not None else v
            words[s.mr] |= (v & ((1 << s.width) - 1)) << s.bit
        length = lay.fixed_words
        if lay.var:
            n = min(values[lay.var.param.count.name], lay.var.words)
            for j in range(n):
                words[lay.var.mr + j] = values[lay.var.param.name][j]
            length += n

        # ---- results: kernel packs, stub unpacks ----
        olay = m.out_layout
        out_values = {}
        out_words = [0] * olay.max_words
        out_len = olay.fixed_words
        for s in olay.slots:
            p = s.param
            if p.name not in out_values:
                out_values[p.name] = ([rng.getrandbits(64) for _ in p.type.members]
                                      if p.is_struct else self.scalar_value(rng, p))
            v = out_values[p.name]
            v = v[s.member_index] if s.member is not None else v
            out_words[s.mr] |= (v & ((1 << s.width) - 1)) << s.bit
        out_n = 0
        if olay.var:
            p = olay.var.param
            out_values[p.name] = [rng.getrandbits(64) for _ in p.type.members]
            out_n = min(values[p.count.name], olay.var.words)
            for j in range(out_n):
                out_words[olay.var.mr + j] = out_values[p.name][j]
            out_len += out_n

        body = []
        body.append("    fake_reset();")
        if m.outs:
            body.append("    {")
            body.append("        struct %s_result res;" % L)
            body.append("        word_t mrs[120];")
            body.append("        word_t n;")
            for s in olay.slots:
                p = s.param
                if s.member is not None:
                    v = out_values[p.name][s.member_index]
                    body.append("        res.%s[%d] = %s;" % (p.name, s.member_index, lit(v)))
                else:
                    body.append("        res.%s = %s;" % (p.name, lit(out_values[p.name])))
            if olay.var:
                p = olay.var.param
                for j, v in enumerate(out_values[p.name]):
                    body.append("        res.%s[%d] = %s;" % (p.name, j, lit(v)))
                body.append("        n = pack%sResult(&res, %s, mrs);"
                            % (L, lit(values[p.count.name])))
            else:
                body.append("        n = pack%sResult(&res, mrs);" % L)
            body.append("        CHECK(n == %d);" % out_len)
            body.append("        CHECK(n <= %s_ResultLength);" % L)
            for i in range(out_len):
                body.append("        CHECK(mrs[%d] == %s);" % (i, lit(out_words[i])))
            body.append("        for (word_t i = 0; i < n; i++) {")
            body.append("            fake_reply_words[i] = mrs[i];")
            body.append("        }")
            body.append("        fake_reply_len = n;")
            body.append("    }")
        ret_type = "%s_t" % m.stub if m.value_outs else "seL4_Error"
        err = "r.error" if m.value_outs else "r"
        call = "%s(%s)" % (m.stub, ", ".join([lit(service)] + call_args))
        body.append("    {")
        body.append("        %s r = %s;" % (ret_type, call))
        body.append("        CHECK(%s == 0);" % err)
        for p in m.value_outs:
            v = out_values[p.name]
            if p.type.kind == "bitfield":
                body.append("        CHECK(r.%s.words[0] == %s);" % (p.name, lit(v)))
            else:
                body.append("        CHECK(r.%s == %s);" % (p.name, lit(v)))
        body.append("    }")
        for p in m.outs:
            if p.is_struct:
                vals = out_values[p.name]
                limit = out_n if (olay.var and olay.var.param is p) else len(vals)
                for j, member in enumerate(p.type.members):
                    want = lit(vals[j]) if j < limit else "SENTINEL"
                    body.append("    CHECK(%s_out.%s == %s);" % (p.name, member, want))
        body.append("    CHECK(fake_sent_service == %s);" % lit(service))
        body.append("    CHECK(seL4_MessageInfo_get_label(fake_sent_tag) == %s);" % L)
        body.append("    CHECK(seL4_MessageInfo_get_label(fake_sent_tag) == %d);" % m.number)
        body.append("    CHECK(seL4_MessageInfo_get_length(fake_sent_tag) == %d);" % length)
        body.append("    CHECK(seL4_MessageInfo_get_extraCaps(fake_sent_tag) == %d);" % len(m.caps))
        body.append("    CHECK(%s_NumCaps == %d);" % (L, len(m.caps)))
        body.append("    CHECK(%s_MinLength == %d);" % (L, lay.fixed_words))
        for i in range(length):
            body.append("    CHECK(sent_word(%d) == %s);" % (i, lit(words[i])))
        for p, idx in m.caps:
            body.append("    CHECK(%s_%s_CapIndex == %d);" % (L, p.name, idx))
            body.append("    CHECK(fake_caps[%d] == %s);" % (idx, lit(values[p.name])))
        if lay.slots:
            body.append("    {")
            body.append("        struct %s_args a = unpack%sArgs(fake_sent_ipc);" % (L, L))
            for s in lay.slots:
                p = s.param
                if s.member is not None:
                    body.append("        CHECK(a.%s[%d] == %s);"
                                % (p.name, s.member_index, lit(values[p.name][s.member_index])))
                else:
                    body.append("        CHECK(a.%s == %s);" % (p.name, lit(values[p.name])))
            body.append("    }")
        if lay.var:
            p = lay.var.param
            n = min(values[p.count.name], lay.var.words)
            for j in range(n):
                body.append("    CHECK(get%s_%sWord(%d, fake_sent_ipc) == %s);"
                            % (L, p.name, j, lit(values[p.name][j])))

        # ---- error path ----
        body.append("    fake_reset();")
        body.append("    fake_reply_label = seL4_RangeError;")
        body.append("    fake_reply_len = 2;")
        for i in range(self.model.fast_mrs):
            body.append("    fake_reply_words[%d] = %s;" % (i, lit(0x1111 * (i + 1))))
        for p in m.outs:
            if p.is_struct:
                body.append("    %s_out.%s = SENTINEL;" % (p.name, p.type.members[0]))
        body.append("    {")
        body.append("        %s r = %s;" % (ret_type, call))
        body.append("        CHECK(%s == seL4_RangeError);" % err)
        body.append("    }")
        for i in range(self.model.fast_mrs):
            body.append("    CHECK(seL4_GetMR(%d) == %s);" % (i, lit(0x1111 * (i + 1))))
        for p in m.outs:
            if p.is_struct:
                body.append("    CHECK(%s_out.%s == SENTINEL);" % (p.name, p.type.members[0]))

        fn = ["static void test_%s(void)" % L, "{"] + decls + body + ["}", ""]
        return fn

    def program(self, arch_macro):
        out = [
            "/* Generated by tests/roundtrip.py. */",
            "#define %s 1" % arch_macro,
            "#include <stdio.h>",
            "#include \"fake_sel4.h\"",
            "#include <sel4/sel4_client.h>",
            "#include <sel4/objecttype.h>",
            "#include <api/invocation_gen.h>",
            "#include <api/invocation_args_gen.h>",
            "",
            "#define SENTINEL 0x5e5e5e5e5e5e5e5eull",
            "static unsigned long checks, failures;",
            "#define CHECK(c) do { checks++; if (!(c)) { failures++; \\",
            "    printf(\"FAIL %s:%d: %s\\n\", __func__, __LINE__, #c); } } while (0)",
            "",
            "static void fake_reset(void)",
            "{",
            "    for (int i = 0; i < 128; i++) {",
            "        fake_ipc[i] = 0;",
            "        fake_sent_ipc[i] = 0;",
            "    }",
            "    for (int i = 0; i < 120; i++) {",
            "        fake_reply_words[i] = 0;",
            "    }",
            "    for (int i = 0; i < 3; i++) {",
            "        fake_caps[i] = 0;",
            "    }",
            "    fake_reply_label = 0;",
            "    fake_reply_len = 0;",
            "}",
            "",
            "static seL4_Word sent_word(int i)",
            "{",
            "    return i < 4 ? fake_sent_regs[i] : fake_sent_ipc[i + 1];",
            "}",
            "",
        ]
        methods = self.model.enabled_methods()
        for m in methods:
            out += self.method(m)
        out.append("int main(void)")
        out.append("{")
        for m in methods:
            out.append("    test_%s();" % m.label)
        out.append("    printf(\"roundtrip: %%lu checks, %%lu failures, %%d methods\\n\", "
                   "checks, failures, %d);" % len(methods))
        out.append("    return failures != 0;")
        out.append("}")
        return "\n".join(out) + "\n"
