/* Heaps nested in wrappers, for discovery tests: a lock-and-union wrapper, an array of them, an
 * anonymous struct member, a function-local static, and a struct with the field names but not the
 * shape (a near miss). Built for Cortex-M3 and big-endian MIPS with buddy.c from the e2e target. */
#include "buddy.h"

struct spin_lock { volatile uint32_t held; };

typedef struct {
    struct spin_lock lock;
    union {
        Heap heap;
        uint8_t raw[sizeof(Heap)];
    } cell;
} LockedHeap;

struct system {
    uint32_t magic;
    LockedHeap pools[2];
    struct {
        uint16_t flags;
        Heap inner;
    };
};

/* Not a heap: free_lists is one pointer, not an array. */
struct not_a_heap {
    uint8_t *heap_base;
    size_t heap_size;
    FreeBlock *free_lists;
    size_t min_block_size;
    uint8_t min_block_size_log2;
};

struct system SYSTEM = { .magic = 0x53595354u };
struct not_a_heap IMPOSTOR;
const volatile LockedHeap BOOT_HEAP;

static uint8_t arena[4096] __attribute__((aligned(4096)));

Heap *local_heap(void) {
    static Heap fn_heap;
    return &fn_heap;
}

int main(void) {
    heap_init(&SYSTEM.pools[1].cell.heap, arena, sizeof arena);
    heap_init(&SYSTEM.inner, arena, sizeof arena);
    heap_init(local_heap(), arena, sizeof arena);
    IMPOSTOR.heap_size = (size_t)&BOOT_HEAP;
    for (;;) {
    }
}
