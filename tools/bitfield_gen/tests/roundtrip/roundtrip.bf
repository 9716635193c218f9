-- Round-trip test specification.  Every block here is described again,
-- independently, by MODEL in ../test_roundtrip.py: keep the two in sync.

base 64(48,1)

block rt_basic (c, a, b) {
    field a 10
    padding 2
    field b 20
    field c 32
}

-- Three words; fields start and end exactly at word boundaries.
block rt_multi {
    field full 64
    field_high hptr 48
    field t 16
    field_ptr(4) fp word_size
}

block rt_edges {
    field top 1
    padding 62
    field bot 1
    field hi 1
    field_high tiny 1
    field_high mid 30
    padding word_size - 33
    field lo 1
}

-- A capability-like union: 5-bit tag at the top of words[0].
block rc_null {
    padding 64
    field ctype 5
    padding 59
}

block rc_ep (ctype, badge, grant, recv, ptr) {
    field badge 64
    field ctype 5
    field grant 1
    field recv 1
    padding 9
    field_high ptr 48
}

block rc_frame {
    field asid 16
    field_ptr(12) fbase 48
    field ctype 5
    field fsize 2
    padding 9
    field_ptr mapped 48
}

block rc_untyped {
    field free 48
    field bits 6
    padding 10
    field ctype 5
    padding 11
    field_ptr(4) uptr 48
}

block rc_cnode {
    field guard 64
    field ctype 5
    field radix 6
    field gsize 6
    field_ptr(1) cptr 47
}

tagged_union rcap ctype {
    tag rc_null 0
    tag rc_ep 4
    tag rc_frame 1
    tag rc_untyped 2
    tag rc_cnode 0x1f
}

base 64(48,0)

block rt_pte {
    field xn 1
    padding 15
    field_high paddr 36
    field attr 10
    field valid 2
}

block rt_noext {
    field_high p 20
    field x 44
}

base 64(39,1)

block rt_sv39 {
    padding 10
    field_high ppn 27
    padding 17
    field flags 10
}

base 64

block sp_table {
    field_high next 52
    padding 9
    field sw 1
    field hw 2
}

block sp_page {
    field_high frame 52
    field attr 9
    field sw 1
    field hw 2
}

block sp_small {
    field_high frame 52
    field attr 9
    field sw 1
    field hw 2
}

tagged_union spte stype (hw, sw) {
    tag sp_table (3, 0)
    tag sp_page (1, 0)
    tag sp_small (3, 1)
}

base 32

block rt_msginfo {
    field label 20
    field caps 3
    field extra 2
    field length 7
}

block rt_rights {
    padding 28
    field g 1
    field gr 1
    field r 1
    field w 1
}

block rt_two32 {
    field a 32
    field_high p 20
    padding 10
    field k 2
}

block r32_a {
    field x 28
    field kind 4
    field y 32
}

block r32_b (z, kind, w) {
    padding 28
    field kind 4
    field_high z 16
    field w 16
}

tagged_union r32 kind {
    tag r32_a 5
    tag r32_b 10
}

base 32(24,1)

block rt_s32 {
    field_high p 16
    padding 16
}

base 16

block rt_h16 {
    field a 3
    padding 5
    field_high b 4
    field c 4
}

base 8

block rt_h8 {
    field x 2
    field_high y 3
    padding 3
}
