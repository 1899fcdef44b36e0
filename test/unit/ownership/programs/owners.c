/* Statics that own blocks of a buddy heap, for the root walker and `inspect --core` tests: a
 * pointer, an array of pointers, a linked list on the heap, a struct with a union and a 2-D array
 * of pointers, a stack local, a leaked block, and a cycle between two blocks nothing else refers to. It prints
 * what it allocated and which blocks it leaked (the ground truth), then stops in checkpoint(). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "buddy.h"

struct node {
    struct node *next;
    unsigned value;
};

struct registry {
    unsigned count;
    union {
        void *any;
        unsigned long raw;
    } slot;
    char *table[2][3];
    struct node *head;
};

Heap HEAP;
static uint8_t arena[65536] __attribute__((aligned(65536)));

char *single;
void *entries[4];
struct registry registry;
int counter = 7;
/* Not writable: never a root. */
const char *const greeting = "hello";

/* One line per block: "owned <owning root path> <address> <size>" or "leaked - <address> <size>". */
static void report(const char *what, const char *owner, const void *block, size_t size) {
    printf("%s %s 0x%lx %zu\n", what, owner, (unsigned long)block, size);
}

static void *take(size_t size) {
    enum alloc_error error;
    void *block = heap_allocate(&HEAP, size, 8, &error);
    if (!block) {
        fprintf(stderr, "allocation of %zu failed: %d\n", size, (int)error);
        _exit(1);
    }
    return block;
}

void checkpoint(void) {
    __asm__ volatile("" ::: "memory");
}

int main(void) {
    if (heap_init(&HEAP, arena, sizeof arena) != HEAP_OK) return 1;
    single = take(64);
    report("owned", "single", single, 64);
    for (int i = 0; i < 4; i++) {
        entries[i] = take(32u << i);
        char path[16];
        snprintf(path, sizeof path, "entries[%d]", i);
        report("owned", path, entries[i], 32u << i);
    }
    for (int i = 0; i < 3; i++) {
        struct node *n = take(sizeof *n);
        n->next = registry.head;
        n->value = (unsigned)i;
        registry.head = n;
        report("owned", "registry.head", n, sizeof *n);
    }
    registry.slot.any = take(128);
    report("owned", "registry.slot.any", registry.slot.any, 128);
    registry.table[1][2] = take(256);
    report("owned", "registry.table[1][2]", registry.table[1][2], 256);
    registry.count = 5;
    /* Leaked: the only pointer to it is overwritten. */
    char *leak = take(512);
    memset(leak, 0, 512);
    report("leaked", "-", leak, 512);
    /* A cycle nothing else points to: unreachable. */
    struct node *a = take(sizeof *a);
    struct node *b = take(sizeof *b);
    a->next = b;
    b->next = a;
    report("leaked", "-", a, sizeof *a);
    report("leaked", "-", b, sizeof *b);
    a = b = 0;
    leak = 0;
    /* Owned by main's stack frame only. */
    char *local = take(48);
    report("owned", "stack", local, 48);
    fflush(stdout);
    checkpoint();
    local[0] = 1;
    return counter == 7 ? 0 : 1;
}
