// The parsed form of a heap expression: only the constructs that name memory without changing it.
// The debugger is sent the printed form of this tree (print.ts), never the text the user wrote.

/** A type in a cast or sizeof: `struct heap *`, `unsigned char *`, `my_crate::Heap<18> *`, Rust's `*mut Heap<16>`. */
export interface TypeName {
  /** C keywords and qualifiers before the name: `struct`, `const`, `unsigned int`. */
  readonly keywords: readonly string[];
  /** The name's path (`my_crate::Heap`); empty for a builtin type spelled by keywords alone. */
  readonly path: readonly string[];
  /** One generic argument: `Heap<12>`, `Locked<Heap<12>>`. */
  readonly generic?: TypeName | NumberLiteral;
  /** C: the number of `*` after the name. */
  readonly stars: number;
  /** Rust (`as` casts): `*const` / `*mut` before the name, outermost first. */
  readonly rustPointers: readonly ('*const' | '*mut')[];
}

export interface NumberLiteral {
  readonly kind: 'number';
  /** As written: decimal, hex or octal digits with C's u/l suffixes. */
  readonly text: string;
}

export type Expr =
  /** `HEAP`, `my_crate::ALLOCATOR`. */
  | { readonly kind: 'path'; readonly segments: readonly string[] }
  | NumberLiteral
  /** Parentheses the user wrote, kept so the printed form reads like the written one. */
  | { readonly kind: 'paren'; readonly inner: Expr }
  /** `.f`, `.0`, `->f`. */
  | { readonly kind: 'field'; readonly base: Expr; readonly name: string; readonly arrow: boolean }
  /** `[3]`: constant indexes only. */
  | { readonly kind: 'index'; readonly base: Expr; readonly index: NumberLiteral }
  | { readonly kind: 'deref'; readonly operand: Expr }
  | { readonly kind: 'addressOf'; readonly operand: Expr }
  /** C's `(T *)e`. */
  | { readonly kind: 'cast'; readonly type: TypeName; readonly operand: Expr }
  /** Rust's `e as *mut T`. */
  | { readonly kind: 'as'; readonly operand: Expr; readonly type: TypeName }
  | { readonly kind: 'sizeof'; readonly operand: Expr | TypeName }
  /** Address arithmetic: `0x20000000 + 0x100`, `&HEAP - 1`. */
  | { readonly kind: 'binary'; readonly op: '+' | '-'; readonly left: Expr; readonly right: Expr }
  /**
   * `.lock()`, `.borrow_mut()`, `.unwrap()`…: only lock-like and unwrap methods with no arguments,
   * and only so that lockRewrite.ts replaces them by fields. print() refuses to print one.
   */
  | { readonly kind: 'methodCall'; readonly base: Expr; readonly name: string };

export function isTypeName(value: Expr | TypeName): value is TypeName {
  return !('kind' in value);
}
