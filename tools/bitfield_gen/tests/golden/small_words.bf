-- 32-, 16- and 8-bit bases, a sign-extended 32-bit base and a sliced tag.
base 32

block seL4_MessageInfo {
    field label 20
    field capsUnwrapped 3
    field extraCaps 2
    field length 7
}

base 32(24,1)
block small_ptr {
    field_ptr(8) sp 24
    field flags 8
}

base 32
block pte_table {
    field_high next 20
    padding 9
    field sw 1
    field hw 2
}

block pte_page {
    field_high frame 20
    field attr 9
    field sw 1
    field hw 2
}

tagged_union pte pte_type (hw, sw) {
    tag pte_table (3, 0)
    tag pte_page (3, 1)
}

base 16
block half {
    field a 3
    padding 5
    field_high b 4
    field c 4
}

base 8
block byte {
    field x 2
    field_high y 3
    padding 3
}
