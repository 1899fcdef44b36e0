// C++ heaps for discovery tests: a template Heap<N> in a namespace, a class's static member
// defined out of the class (its definition names the in-class declaration), and a heap in an
// anonymous namespace.
#include <cstddef>
#include <cstdint>

namespace kernel {
struct FreeBlock {
    FreeBlock *next;
};

template <std::size_t N>
struct Heap {
    std::uint8_t *heap_base;
    std::size_t heap_size;
    FreeBlock *free_lists[N];
    std::size_t min_block_size;
    std::uint8_t min_block_size_log2;
};

class Allocator {
  public:
    static Heap<14> heap;
    int users;
};

Heap<14> Allocator::heap;
Heap<6> boot_heap;
}  // namespace kernel

namespace {
kernel::Heap<7> scratch;
}

extern "C" kernel::Heap<7> *scratch_heap() {
    return &scratch;
}

extern "C" int main() {
    kernel::Allocator::heap.heap_size = 1;
    kernel::boot_heap.heap_size = 2;
    scratch_heap()->heap_size = 3;
    for (;;) {
    }
}
