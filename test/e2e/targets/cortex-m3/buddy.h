/* A C rendition of buddyalloc's Heap<N> (see /work/shared/seeds): same fields in the same
 * declaration order, same rounding, splitting, LIFO free lists and buddy merging, so the bytes it
 * leaves in target memory are the bytes the crate would leave. HEAP_ORDERS is the const generic N. */
#ifndef BUDDY_H
#define BUDDY_H
#include <stddef.h>
#include <stdint.h>

#ifndef HEAP_ORDERS
#define HEAP_ORDERS 12
#endif

#define MIN_HEAP_ALIGN 4096u

/* A free block's header: the first word of every free block. */
typedef struct FreeBlock {
    struct FreeBlock *next;
} FreeBlock;

typedef struct Heap {
    uint8_t *heap_base;
    size_t heap_size;
    FreeBlock *free_lists[HEAP_ORDERS];
    size_t min_block_size;
    uint8_t min_block_size_log2;
} Heap;

/* The crate's HeapError, plus 0 for success. */
enum heap_error { HEAP_OK = 0, HEAP_BAD_BASE_ALIGNMENT, HEAP_BAD_SIZE_ALIGNMENT, HEAP_BAD_HEAP_SIZE, HEAP_MIN_BLOCK_TOO_SMALL };

/* The crate's AllocationError: what heap_allocate reports through *error when it returns NULL. */
enum alloc_error { ALLOC_OK = 0, ALLOC_HEAP_EXHAUSTED, ALLOC_BAD_ALIGNMENT, ALLOC_TOO_LARGE };

enum heap_error heap_init(Heap *heap, uint8_t *base, size_t size);
uint8_t *heap_allocate(Heap *heap, size_t size, size_t align, enum alloc_error *error);
void heap_deallocate(Heap *heap, uint8_t *ptr, size_t size, size_t align);

#endif
