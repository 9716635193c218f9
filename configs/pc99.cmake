# PC (pc99) platform: x86_64 on QEMU's `pc` machine, booted by Multiboot 1.
set(KernelArch x86_64 CACHE STRING "" FORCE)
set(KernelPlatform pc99 CACHE STRING "" FORCE)

# The target configuration of the ABI sheet (section 0): Nehalem-class CPU
# without FSGSBASE, INVPCID, PCID or XSAVE, and 3 GiB of RAM.
set(QEMU_SYSTEM qemu-system-x86_64)
set(QEMU_MACHINE_ARGS
    -machine pc
    -cpu "Nehalem,-vme,+pdpe1gb,-xsave,-xsaveopt,-xsavec,-fsgsbase,-invpcid,+syscall,+lm,enforce"
    -m 3G
    -device isa-debug-exit,iobase=0xf4,iosize=0x04)
