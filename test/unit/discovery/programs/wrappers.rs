//! Heaps inside Rust's usual wrappers, for discovery tests: Option, std's Mutex and RefCell,
//! MaybeUninit, a tuple struct, and a plain `static mut`. Heap<N> has the crate's fields (rustc
//! reorders them).
#![allow(dead_code)]
use std::cell::RefCell;
use std::mem::MaybeUninit;
use std::ptr::{addr_of, null_mut};
use std::sync::Mutex;

pub struct FreeBlock {
    next: *mut FreeBlock,
}

pub struct Heap<const N: usize> {
    heap_base: *mut u8,
    heap_size: usize,
    free_lists: [*mut FreeBlock; N],
    min_block_size: usize,
    min_block_size_log2: u8,
}

unsafe impl<const N: usize> Send for Heap<N> {}

impl<const N: usize> Heap<N> {
    const fn empty() -> Self {
        Heap { heap_base: null_mut(), heap_size: 0, free_lists: [null_mut(); N], min_block_size: 0, min_block_size_log2: 0 }
    }
}

pub struct Wrapper(u32, Heap<12>);

pub static mut PLAIN: Heap<20> = Heap::empty();
pub static mut MAYBE: Option<Heap<8>> = None;
pub static MUTEX: Mutex<Heap<10>> = Mutex::new(Heap::empty());
pub static mut CELL: RefCell<Heap<9>> = RefCell::new(Heap::empty());
pub static mut UNINIT: MaybeUninit<Heap<11>> = MaybeUninit::uninit();
pub static mut TUPLE: Wrapper = Wrapper(7, Heap::empty());

fn main() {
    unsafe {
        MAYBE = Some(Heap::empty());
        std::hint::black_box(addr_of!(PLAIN));
        std::hint::black_box(addr_of!(MAYBE));
        std::hint::black_box(&MUTEX);
        std::hint::black_box(addr_of!(CELL));
        std::hint::black_box(addr_of!(UNINIT));
        std::hint::black_box(addr_of!(TUPLE));
    }
}
