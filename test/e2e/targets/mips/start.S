/* Reset code for a bare MIPS32 (QEMU malta, big-endian): QEMU loads the ELF's segments itself
 * (.data included, so nothing is copied) and its boot stub jumps here; we only need a stack and
 * a zeroed .bss before main. The firmware (../cortex-m3/fw.c, buddy.c) is shared with Cortex-M3. */
    .section .text.start, "ax"
    .set noreorder
    .globl _start
    .ent _start
_start:
    la      $sp, _estack
    addiu   $sp, $sp, -16          /* o32: the caller reserves 16 bytes for the callee's a0-a3 */
    la      $t0, _sbss
    la      $t1, _ebss
1:  beq     $t0, $t1, 2f
    nop
    sw      $zero, 0($t0)
    b       1b
    addiu   $t0, $t0, 4            /* branch delay slot */
2:  jal     main
    nop
3:  b       3b
    nop
    .end _start
