// Rust statics that hold heap pointers, for the root walker: Box, Option<Box>, Vec, String,
// BTreeMap, Rc inside a struct, and a slice reference (a fat pointer).
use std::collections::BTreeMap;
use std::ptr::NonNull;

pub struct Cache {
    pub entries: Vec<String>,
    pub head: Option<Box<u64>>,
    pub raw: Option<NonNull<u8>>,
}

pub static mut CACHE: Cache = Cache { entries: Vec::new(), head: None, raw: None };
pub static mut NAME: String = String::new();
pub static mut MAP: BTreeMap<u32, u64> = BTreeMap::new();
pub static mut WORDS: &[u32] = &[];
pub static mut PAIRS: [Option<Box<[u8; 24]>>; 3] = [None, None, None];

fn main() {
    unsafe {
        CACHE.entries.push(String::from("first"));
        CACHE.head = Some(Box::new(7));
        CACHE.raw = NonNull::new(Box::into_raw(Box::new(1u8)));
        NAME.push_str("owner");
        MAP.insert(1, 2);
        WORDS = Box::leak(vec![1u32, 2, 3].into_boxed_slice());
        PAIRS[1] = Some(Box::new([0; 24]));
        println!("{} {} {}", CACHE.entries.len(), NAME.len(), MAP.len() + WORDS.len() + PAIRS.len());
    }
}
