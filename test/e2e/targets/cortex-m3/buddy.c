/* Heap<N> in C. Written from the crate's documented behaviour, one function per crate method. */
#include "buddy.h"

static uint8_t log2_floor(size_t n) {
    uint8_t result = 0;
    while (n > 1) { n >>= 1; result++; }
    return result;
}

static int is_power_of_two(size_t n) { return n != 0 && (n & (n - 1)) == 0; }

enum heap_error heap_init(Heap *heap, uint8_t *base, size_t size) {
    size_t min_block = size >> (HEAP_ORDERS - 1);
    if (((uintptr_t)base & (MIN_HEAP_ALIGN - 1)) != 0) return HEAP_BAD_BASE_ALIGNMENT;
    if (size < min_block) return HEAP_BAD_HEAP_SIZE;
    if (min_block < sizeof(FreeBlock)) return HEAP_MIN_BLOCK_TOO_SMALL;
    if (!is_power_of_two(size)) return HEAP_BAD_SIZE_ALIGNMENT;
    heap->heap_base = base;
    heap->heap_size = size;
    for (int i = 0; i < HEAP_ORDERS; i++) heap->free_lists[i] = NULL;
    /* The whole heap is the one top-order block; its next word is never written or read. */
    heap->free_lists[HEAP_ORDERS - 1] = (FreeBlock *)base;
    heap->min_block_size = min_block;
    heap->min_block_size_log2 = log2_floor(min_block);
    return HEAP_OK;
}

/* allocation_size: 0 on error (with *error set), else the power-of-two block size. */
static size_t allocation_size(const Heap *heap, size_t size, size_t align, enum alloc_error *error) {
    if (!is_power_of_two(align) || align > MIN_HEAP_ALIGN) { *error = ALLOC_BAD_ALIGNMENT; return 0; }
    if (align > size) size = align;
    if (size < heap->min_block_size) size = heap->min_block_size;
    /* Compared before rounding so the rounding cannot overflow a 32-bit size_t. */
    if (size > heap->heap_size) { *error = ALLOC_TOO_LARGE; return 0; }
    size_t rounded = 1;
    while (rounded < size) rounded <<= 1;
    if (rounded > heap->heap_size) { *error = ALLOC_TOO_LARGE; return 0; }
    return rounded;
}

static int allocation_order(const Heap *heap, size_t size, size_t align, enum alloc_error *error) {
    size_t block = allocation_size(heap, size, align, error);
    if (block == 0) return -1;
    return log2_floor(block) - heap->min_block_size_log2;
}

static size_t order_size(const Heap *heap, int order) {
    return (size_t)1 << (heap->min_block_size_log2 + order);
}

static FreeBlock *free_list_pop(Heap *heap, int order) {
    FreeBlock *candidate = heap->free_lists[order];
    if (candidate == NULL) return NULL;
    /* The top block's next word may be uninitialised: the crate never reads it. */
    heap->free_lists[order] = order != HEAP_ORDERS - 1 ? candidate->next : NULL;
    return candidate;
}

static void free_list_insert(Heap *heap, int order, uint8_t *block) {
    FreeBlock *header = (FreeBlock *)block;
    header->next = heap->free_lists[order];
    heap->free_lists[order] = header;
}

/* Unlinks `block` from list `order` if it is there, rewriting the predecessor's link in place. */
static int free_list_remove(Heap *heap, int order, uint8_t *block) {
    FreeBlock **checking = &heap->free_lists[order];
    while (*checking != NULL) {
        if (*checking == (FreeBlock *)block) {
            *checking = (*checking)->next;
            return 1;
        }
        checking = &(*checking)->next;
    }
    return 0;
}

static void split_free_block(Heap *heap, uint8_t *block, int order, int order_needed) {
    size_t size_to_split = order_size(heap, order);
    while (order > order_needed) {
        size_to_split >>= 1;
        order--;
        free_list_insert(heap, order, block + size_to_split);
    }
}

/* NULL when the block is the whole heap (it has no buddy). */
static uint8_t *buddy(const Heap *heap, int order, uint8_t *block) {
    size_t relative = (size_t)(block - heap->heap_base);
    size_t size = order_size(heap, order);
    if (size >= heap->heap_size) return NULL;
    return heap->heap_base + (relative ^ size);
}

uint8_t *heap_allocate(Heap *heap, size_t size, size_t align, enum alloc_error *error) {
    int order_needed = allocation_order(heap, size, align, error);
    if (order_needed < 0) return NULL;
    for (int order = order_needed; order < HEAP_ORDERS; order++) {
        FreeBlock *block = free_list_pop(heap, order);
        if (block != NULL) {
            if (order > order_needed) split_free_block(heap, (uint8_t *)block, order, order_needed);
            *error = ALLOC_OK;
            return (uint8_t *)block;
        }
    }
    *error = ALLOC_HEAP_EXHAUSTED;
    return NULL;
}

void heap_deallocate(Heap *heap, uint8_t *ptr, size_t size, size_t align) {
    enum alloc_error error;
    int initial_order = allocation_order(heap, size, align, &error);
    if (initial_order < 0) for (;;) {} /* the crate panics: "Tried to dispose of invalid block" */
    uint8_t *block = ptr;
    for (int order = initial_order; order < HEAP_ORDERS; order++) {
        uint8_t *other = buddy(heap, order, block);
        if (other != NULL && free_list_remove(heap, order, other)) {
            if (other < block) block = other;
            continue;
        }
        free_list_insert(heap, order, block);
        return;
    }
}
