# QEMU `virt` (AArch64): booted through our loader image (loader + kernel
# + root server, packed by tools/imagegen), PL011 console, GICv2 by
# default, 2 GiB of RAM at 0x40000000 (seL4-abi.md section 0).
set(KernelArch aarch64 CACHE STRING "" FORCE)
set(KernelPlatform qemu-arm-virt CACHE STRING "" FORCE)

set(QEMU_SYSTEM qemu-system-aarch64)
# Called after cmake/options.cmake: the CPU and the GIC are options
# (KernelArmCPU, KernelArmGICVersion). -semihosting gives the kernel its
# exit status (KernelArmSemihosting).
macro(platform_qemu_machine_args)
    set(QEMU_MACHINE_ARGS
        -machine "virt,gic-version=${KernelArmGICVersion}"
        -cpu ${KernelArmCPU}
        -m 2G
        -semihosting)
endmacro()
